import { InputError } from '../errors.js';
import type { ScorerOptions } from '../scorerOptions.js';
import { catsFamily } from './catsFamily.js';
import { depsFamily } from './depsFamily.js';
import { entsFamily } from './entsFamily.js';
import { morphPerFeatFamily } from './morphPerFeatFamily.js';
import { seqevalFamily } from '../seqeval/seqevalFamily.js';
import type { ScoreFamily } from './scoreFamily.js';
import { sentsFamily, spanGroupFamily } from './spansFamily.js';
import { tokenAttrFamily } from './tokenAttrFamily.js';
import { tokenizationFamily } from './tokenizationFamily.js';

/**
 * Report order: the tokenizer's keys, then the components of spaCy's default
 * scoring pipeline (senter, tagger, morphologizer, parser, ner, textcat),
 * then lemmatizer and span categorizers. Sentences are the senter's scores
 * unless deps are scored too: then they are the parser's, which reports them
 * just before `dep_uas` (the common pipelines have a parser and no senter).
 */
export const REPORT_ORDER = [
  'tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'deps', 'ents', 'cats', 'lemma', 'seqeval',
] as const;

export const DOC_FAMILIES = new Set<string>(REPORT_ORDER.filter((name) => name !== 'cats'));

export function isFamilyName(name: string): boolean {
  return DOC_FAMILIES.has(name) || name === 'cats' || /^spans:.+$/.test(name);
}

/** The families a scorer config asks for, in report order. */
export function createFamilies(options: ScorerOptions): Array<ScoreFamily<unknown>> {
  const requested = new Set(options.families ?? []);
  if (options.textcat !== undefined) requested.add('cats');
  for (const name of requested) {
    if (!isFamilyName(name)) {
      throw new InputError(
        `unknown score family "${name}"; known: ${[...REPORT_ORDER, 'spans:KEY'].join(', ')}`,
        { field: 'scorers', code: 'BAD_SCORER' },
      );
    }
  }
  const families: Array<ScoreFamily<unknown>> = [];
  const order = requested.has('deps') ? REPORT_ORDER.filter((name) => name !== 'sents') : [...REPORT_ORDER];
  if (requested.has('deps')) order.splice(order.indexOf('deps'), 0, 'sents');
  for (const name of order) {
    if (!requested.has(name)) continue;
    families.push(familyNamed(name, options) as ScoreFamily<unknown>);
  }
  // Span groups come after every spaCy component, in the order asked for (a
  // pipeline's spancat order), seqeval last.
  const seqeval = families.findIndex((family) => family.name === 'seqeval');
  const last = seqeval < 0 ? undefined : families.splice(seqeval, 1)[0];
  const spanKeys = [...requested].filter((name) => name.startsWith('spans:')).map((name) => name.slice('spans:'.length));
  for (const key of spanKeys) {
    const allowOverlap = options.spanGroups?.find((group) => group.key === key)?.allowOverlap ?? true;
    families.push(spanGroupFamily(key, allowOverlap) as ScoreFamily<unknown>);
  }
  if (last !== undefined) families.push(last);
  return families;
}

function familyNamed(name: (typeof REPORT_ORDER)[number], options: ScorerOptions): ScoreFamily<unknown> {
  switch (name) {
    case 'tokenization':
      return tokenizationFamily() as ScoreFamily<unknown>;
    case 'sents':
      return sentsFamily() as ScoreFamily<unknown>;
    case 'tag':
    case 'pos':
    case 'morph':
    case 'lemma':
      return tokenAttrFamily(name) as ScoreFamily<unknown>;
    case 'morph_per_feat':
      return morphPerFeatFamily() as ScoreFamily<unknown>;
    case 'deps':
      return depsFamily(options.depsMissingIndices ?? 'reference') as ScoreFamily<unknown>;
    case 'ents':
      return entsFamily() as ScoreFamily<unknown>;
    case 'seqeval':
      return seqevalFamily(options.seqeval ?? { mode: 'default', scheme: null, zeroDivision: 0 }) as ScoreFamily<unknown>;
    case 'cats':
      if (options.textcat === undefined) {
        throw new InputError('the cats family needs category labels', { field: 'cats', code: 'BAD_SCORER' });
      }
      return catsFamily(options.textcat) as ScoreFamily<unknown>;
  }
}
