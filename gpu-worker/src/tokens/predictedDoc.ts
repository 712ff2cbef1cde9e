import { entsFromTags, InputError, type ScoredDoc, type ScoredToken } from '@evalshard/scorer';

/** What a token classifier's labels are. */
export type TokenAnnotation = 'pos' | 'tag' | 'ents';

/** How entity labels are written: prefixed tags, or bare types (consecutive equal types form one entity). */
export type LabelScheme = 'IOB2' | 'BILOU' | 'IOBES' | 'plain';

export const LABEL_SCHEMES: readonly LabelScheme[] = ['IOB2', 'BILOU', 'IOBES', 'plain'];
const PREFIXES: Record<Exclude<LabelScheme, 'plain'>, string> = { IOB2: 'BI', BILOU: 'BILU', IOBES: 'BIES' };

/**
 * Refuses model labels the scheme cannot read, naming the first: every
 * label is O or PREFIX-TYPE with a prefix of the scheme; plain labels carry
 * no prefix.
 */
export function checkLabelScheme(labels: readonly string[], scheme: LabelScheme, where: string): void {
  for (const label of labels) {
    if (label === 'O') continue;
    const prefixed = /^([A-Z])-(.+)$/.exec(label);
    const fits = scheme === 'plain' ? prefixed === null || !'BILUES'.includes(prefixed[1]!) : prefixed !== null && PREFIXES[scheme].includes(prefixed[1]!);
    if (!fits) {
      throw new InputError(
        `${where}: label "${label}" does not fit scheme ${scheme} (${scheme === 'plain' ? 'plain labels are entity types or O' : `O or ${[...PREFIXES[scheme]].join('/')}-TYPE`}); ` +
          `set the spec's tokens.scheme to how the model writes its labels`,
        { field: 'tokens.scheme', code: 'BAD_SPEC' },
      );
    }
  }
}

/**
 * The predicted document: the gold's words (so the alignment is one to one)
 * with the model's label for each word (null where a word made no subword).
 * Tags and UPOS fill `tag` or `pos`; entity labels become spaCy's entities
 * (read as Doc(ents=…) reads tags) and, for seqeval, tag sequences split
 * like the gold's sentences: as the model wrote them, or, for plain labels,
 * as IOB2.
 */
export function predictedDoc(
  gold: ScoredDoc,
  labels: ReadonlyArray<string | null>,
  annotation: TokenAnnotation,
  scheme: LabelScheme,
): ScoredDoc {
  const tokens: ScoredToken[] = gold.tokens.map((token, i) => ({
    text: token.text,
    idx: token.idx,
    length: token.length,
    space: token.space,
    tag: annotation === 'tag' ? labels[i] ?? null : null,
    pos: annotation === 'pos' ? labels[i] ?? null : null,
    morph: null,
    lemma: null,
    dep: null,
    head: i,
    sentStart: token.sentStart,
    entIob: annotation === 'ents' ? 2 : 0,
  }));
  const doc: ScoredDoc = {
    id: gold.id,
    text: gold.text,
    tokens,
    ents: [],
    spans: new Map(),
    cats: [],
    hasUnknownSpaces: gold.hasUnknownSpaces,
    tagSequences: null,
  };
  if (annotation !== 'ents') return doc;
  const tags = labels.map((label) => label ?? 'O');
  const written = scheme === 'plain' ? plainToIob2(tags) : tags;
  doc.ents = entsFromTags(tokens, written);
  if (gold.tagSequences !== null) {
    let at = 0;
    doc.tagSequences = gold.tagSequences.map((sentence) => written.slice(at, (at += sentence.length)));
  }
  return doc;
}

// PER PER LOC O → B-PER I-PER B-LOC O
function plainToIob2(labels: string[]): string[] {
  return labels.map((label, i) => (label === 'O' ? 'O' : `${i > 0 && labels[i - 1] === label ? 'I' : 'B'}-${label}`));
}
