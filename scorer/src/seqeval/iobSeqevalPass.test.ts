import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { documentPass } from '../documentPass.js';
import { stringifyJson } from '../json/orderedJson.js';
import { encodeMetricStates, finalizeMetricStates, type MetricStates } from '../metricStates.js';
import type { ScorerOptions } from '../scorerOptions.js';
import { oracleFixturePaths, orderedEntries, readOracleJson } from '../testing/oracleFixtures.js';
import { iobSeqevalPass } from './iobSeqevalPass.js';

const dir = mkdtempSync(join(tmpdir(), 'evalshard-iob-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const UNER = fileURLToPath(new URL('../../../test/data/uner-english-ewt/en_ewt-ud-dev.iob2', import.meta.url));
const SEQEVAL: ScorerOptions = { families: ['seqeval'] };
let written = 0;

function files(gold: string | Buffer, predicted: string | Buffer): { gold: string; predicted: string } {
  const n = written++;
  const paths = { gold: join(dir, `gold-${n}.iob2`), predicted: join(dir, `pred-${n}.iob2`) };
  writeFileSync(paths.gold, gold);
  writeFileSync(paths.predicted, predicted);
  return paths;
}

type Outcome = { scores: string; states: string; docs: number; annotated: number } | { error: string };

// The document path, as scoreSinglePass runs it when the byte pass gives null.
async function documentOutcome(gold: string, predicted: string, options: ScorerOptions): Promise<Outcome> {
  try {
    const { states, docs } = await documentPass(gold, predicted, 'iob', options);
    return outcome(states, docs);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function outcome(states: MetricStates, docs: number): Outcome {
  return {
    scores: stringifyJson(finalizeMetricStates(states, { onlyAnnotated: true })),
    states: JSON.stringify(encodeMetricStates(states)),
    docs,
    annotated: states.slots[0]!.annotatedDocs,
  };
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * The byte pass's contract: where it gives a result, the document path
 * gives the same states, scores and document count, and the digests are
 * the files'. Returns whether it gave one.
 */
async function sameAsDocuments(gold: string | Buffer, predicted: string | Buffer, options = SEQEVAL): Promise<boolean> {
  const paths = files(gold, predicted);
  const bytes = await iobSeqevalPass(paths.gold, paths.predicted, options);
  if (bytes === null) return false;
  expect(await documentOutcome(paths.gold, paths.predicted, options)).toEqual(outcome(bytes.states, bytes.docs));
  expect(bytes.digests).toEqual({ gold: sha256(paths.gold), predicted: sha256(paths.predicted) });
  return true;
}

// Types seqeval and spaCy users meet, and the awkward ones: integer-like, non-ASCII, "_", dashes, long.
const TYPES = ['PER', 'LOC', 'ORG', 'MISC', '10', '1', 'Ü', 'Straße', '_', 'a-b', '-', 'x'.repeat(300), '人名'];
const PREFIXES = ['B', 'I', 'E', 'S', 'L', 'U'];
const tagArbitrary = fc.oneof(
  { weight: 5, arbitrary: fc.constant('O') },
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...PREFIXES), fc.constantFrom(...TYPES)).map(([prefix, type]) => `${prefix}-${type}`) },
);
const wordArbitrary = fc.oneof(
  fc.constantFrom('the', 'Paris', '10', '007', 'Ünïcödé', '東京', '😀', '-', '.', 'a b', '\u00a0x', 'x\u2028y', '#hash'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).filter((word) => !/[\t\n\r]/.test(word) && word.trim() === word && word !== ''),
);

interface Corpus {
  layout: 'numbered' | 'wordTag' | 'columns' | 'wide';
  newdoc: boolean;
  docs: Array<Array<{ comments: string[]; tokens: Array<{ word: string; gold: string; predicted: string }> }>>;
}

const corpusArbitrary: fc.Arbitrary<Corpus> = fc.record({
  layout: fc.constantFrom('numbered', 'wordTag', 'columns', 'wide'),
  newdoc: fc.boolean(),
  docs: fc.array(
    fc.array(
      fc.record({
        comments: fc.array(fc.constantFrom('# sent_id = s1', '# text = Ü 10 東京', '#', '# newdoc', '#newdocs', '# note\t2'), { maxLength: 2 }),
        tokens: fc.array(fc.record({ word: wordArbitrary, gold: tagArbitrary, predicted: tagArbitrary }), { minLength: 0, maxLength: 12 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    { minLength: 0, maxLength: 6 },
  ),
});

function corpusText(corpus: Corpus, side: 'gold' | 'predicted'): string {
  let out = '';
  corpus.docs.forEach((doc, d) => {
    doc.forEach((sentence, s) => {
      if (corpus.newdoc && s === 0) out += `# newdoc id = doc-${d}\n`;
      for (const comment of sentence.comments) out += `${comment}\n`;
      sentence.tokens.forEach((token, t) => {
        const tag = token[side];
        if (corpus.layout === 'numbered') out += `${t + 1}\t${token.word}\t${tag}\t-\t-\n`;
        else if (corpus.layout === 'wordTag') out += `${token.word}\t${tag}\n`;
        else if (corpus.layout === 'columns') out += `${token.word}\tNN\t${tag}\n`;
        // The tag last, after more than one other column (CoNLL 2003).
        else out += `${token.word}\tNN\tI-NP\t${tag}\n`;
      });
      out += '\n';
    });
  });
  return out;
}

// What a hand-edited or foreign file holds: each makes the files differ from the plain case somewhere.
const DAMAGE: Array<[string, (text: string, at: number) => string | Buffer]> = [
  ['carriage returns', (text) => text.replace(/\n/g, '\r\n')],
  ['a byte order mark', (text) => `\ufeff${text}`],
  ['no newline at the end', (text) => text.replace(/\n+$/, '')],
  ['a blank line of spaces', (text, at) => insertLine(text, at, '   ')],
  ['an extra blank line', (text, at) => insertLine(text, at, '')],
  ['a line without a tab', (text, at) => insertLine(text, at, 'word O')],
  ['a leading space', (text, at) => insertLine(text, at, ' 1\tword\tO')],
  ['an invalid tag', (text) => text.replace(/\tO\n/, '\tX\n')],
  ['a lower-case prefix', (text) => text.replace(/\tB-/, '\tb-')],
  ['a changed word', (text) => text.replace(/\t[^\t\n]+\t/, '\tchanged\t')],
  ['a changed first column', (text) => text.replace(/^[^#\t\n][^\t\n]*\t/m, 'changed\t')],
  ['a dropped line', (text, at) => dropLine(text, at)],
  ['a changed comment', (text) => text.replace(/^# /m, '#  ')],
  ['a different document id', (text) => text.replace('# newdoc id = doc-', '# newdoc id = other-')],
  ['a different document id of the same length', (text) => text.replace('# newdoc id = doc-', '# newdoc id = dok-')],
  ['an added # newdoc', (text, at) => insertLine(text, at, '# newdoc')],
  ['a bad UTF-8 byte', (text, at) => Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff]), Buffer.from(text.slice(at))])],
  ['a tab in place of a word', (text) => text.replace(/\t[^\t\n]+\t/, '\t\t')],
];

function insertLine(text: string, at: number, line: string): string {
  const cut = text.indexOf('\n', at);
  return cut < 0 ? `${text}\n${line}` : `${text.slice(0, cut + 1)}${line}\n${text.slice(cut + 1)}`;
}

function dropLine(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  return end < 0 ? text.slice(0, start) : text.slice(0, start) + text.slice(end + 1);
}

describe('seqeval on the bytes of IOB files, against the document path', () => {
  it('plain corpora (any layout, # newdoc or not, awkward words and types): the same scores, states and documents', async () => {
    await fc.assert(
      fc.asyncProperty(corpusArbitrary, async (corpus) => {
        const taken = await sameAsDocuments(corpusText(corpus, 'gold'), corpusText(corpus, 'predicted'));
        // A word opening a line with # makes it a comment, which then differs between the files.
        const commentLike = corpus.layout !== 'numbered' && corpus.docs.flat().some((s) => s.tokens.some((t) => t.word.startsWith('#')));
        if (!commentLike) expect(taken).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('damaged files: the byte pass gives null where it cannot give the document path’s result', async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(corpusArbitrary, fc.nat(DAMAGE.length - 1), fc.boolean(), fc.nat(), async (corpus, which, onGold, where) => {
        const gold = corpusText(corpus, 'gold');
        const predicted = corpusText(corpus, 'predicted');
        const damage = DAMAGE[which]![1];
        const at = where % Math.max(1, (onGold ? gold : predicted).length);
        if (await sameAsDocuments(onGold ? damage(gold, at) : gold, onGold ? predicted : damage(predicted, at))) taken++;
      }),
      { numRuns: 300 },
    );
    // Some damage leaves the files plain (a comment the corpus lacks, an invalid tag it has no O for).
    expect(taken).toBeLessThan(300);
  });

  it('the same damage on both sides (a CRLF corpus, a byte order mark): null, the document path scores it', async () => {
    const text = corpusText({ layout: 'numbered', newdoc: true, docs: [[{ comments: [], tokens: [{ word: 'Paris', gold: 'B-LOC', predicted: 'B-LOC' }] }]] }, 'gold');
    const crlf = text.replace(/\n/g, '\r\n');
    const paths = files(crlf, crlf);
    expect(await iobSeqevalPass(paths.gold, paths.predicted, SEQEVAL)).toBeNull();
    expect(await documentOutcome(paths.gold, paths.predicted, SEQEVAL)).toMatchObject({ docs: 1 });
  });

  it('a byte order mark on both sides, before a line whose third and last fields differ: not read as part of its index', async () => {
    const text = '\ufeff1\tParis\tB-LOC\tI-MISC\n2\tis\tO\tO\n\n1\tRome\tB-LOC\tO\n';
    const predicted = text.replace('Rome\tB-LOC', 'Rome\tO');
    expect(await sameAsDocuments(text, predicted)).toBe(false);
    const paths = files(text, predicted);
    expect(await documentOutcome(paths.gold, paths.predicted, SEQEVAL)).toMatchObject({ docs: 2 });
  });

  it('a folder or a missing file: null (the document path says what it is)', async () => {
    const paths = files(readFileSync(UNER), readFileSync(UNER));
    expect(await iobSeqevalPass(dir, paths.predicted, SEQEVAL)).toBeNull();
    expect(await iobSeqevalPass(paths.gold, join(dir, 'missing.iob2'), SEQEVAL)).toBeNull();
    expect(await documentOutcome(dir, paths.predicted, SEQEVAL)).toHaveProperty('error');
  });

  it('other families, strict mode or a bootstrap: null (the document path scores them)', async () => {
    const paths = files(readFileSync(UNER), readFileSync(UNER));
    for (const options of [
      { families: ['seqeval', 'ents'] },
      { families: ['ents'] },
      { families: ['seqeval'], seqeval: { mode: 'strict' as const, scheme: 'IOB2' as const, zeroDivision: 0 as const } },
      { families: ['seqeval'], bootstrap: { replicates: 3, seed: 1, confidence: 0.95 } },
    ]) {
      expect(await iobSeqevalPass(paths.gold, paths.predicted, options)).toBeNull();
    }
  });
});

describe('seqeval on the bytes of real and large files', () => {
  const uner = readFileSync(UNER, 'utf8');
  // Tags changed here and there, as a tagger would: the same lines otherwise.
  const perturbed = (text: string, seed: number) => {
    const random = fc.sample(fc.array(fc.nat(9), { minLength: 64, maxLength: 64 }), { numRuns: 1, seed })[0]!;
    let n = 0;
    return text.replace(/^(\d+\t[^\t\n]+\t)([^\t\n]+)/gm, (_line, head: string, tag: string) => {
      const roll = random[n++ % random.length]!;
      if (roll === 0) return `${head}O`;
      if (roll === 1) return `${head}${tag === 'O' ? 'B-PER' : tag.replace(/^B-/, 'I-')}`;
      if (roll === 2 && tag !== 'O') return `${head}B-${tag.slice(2) === 'LOC' ? 'ORG' : 'LOC'}`;
      return `${head}${tag}`;
    });
  };

  it('UNER EWT dev against perturbed tags (several seeds)', async () => {
    for (const seed of [1, 2, 3]) expect(await sameAsDocuments(uner, perturbed(uner, seed))).toBe(true);
  });

  it('files of several read chunks, lines straddling every chunk edge', async () => {
    // Different tag lengths put gold's and the prediction's chunk edges at different lines.
    const gold = uner.repeat(4);
    expect(Buffer.byteLength(gold)).toBeGreaterThan(2 << 20);
    expect(await sameAsDocuments(gold, perturbed(gold, 4))).toBe(true);
  });

  it('a line longer than the read buffer (a 3 MB word)', async () => {
    const word = 'ü'.repeat(1_500_000);
    const text = `# newdoc id = long\n1\tBefore\tB-PER\n2\t${word}\tI-PER\n3\tafter\tO\n\n1\tnext\tB-LOC\n`;
    expect(await sameAsDocuments(text, text.replace('I-PER', 'B-PER'))).toBe(true);
  });

  it('more types than its tables hold: null, not a wrong count', async () => {
    const lines = Array.from({ length: 70_000 }, (_, i) => `1\tw\tB-T${i}\n`).join('\n');
    const paths = files(lines, lines);
    expect(await iobSeqevalPass(paths.gold, paths.predicted, SEQEVAL)).toBeNull();
  });
});

interface SeqevalOracle {
  seed: number;
  cases: Array<{ name: string; mode: string; docs: Array<{ gold: string[][]; pred: string[][] }>; expected?: Record<string, unknown>; error?: string }>;
}

const writable = (tag: string) => !/[\t\n\r\u2028\u2029]/.test(tag) && /^(O|[BIESLU]-.+)$/.test(tag);

for (const path of oracleFixturePaths('seqeval-oracle.json')) {
  const fixture = readOracleJson<SeqevalOracle>(path);
  const cases = fixture.cases.filter((c) => c.mode === 'default' && c.error === undefined);
  describe(`seqeval on the bytes of IOB files against seqeval's classification_report (seed ${fixture.seed})`, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const sentences = c.docs.flatMap((doc) => doc.gold.map((gold, s) => ({ gold, predicted: doc.pred[s]! }))).filter((s) => s.gold.length > 0);
      const text = (side: 'gold' | 'predicted') =>
        sentences.map((sentence) => sentence[side].map((tag, t) => `${t + 1}\tw${t}\t${tag}\n`).join('') + '\n').join('');
      const paths = files(text('gold'), text('predicted'));
      const bytes = await iobSeqevalPass(paths.gold, paths.predicted, SEQEVAL);
      if (!sentences.every((s) => [...s.gold, ...s.predicted].every(writable))) {
        // Tags the IOB reader refuses: the document path says where; the byte pass leaves it to it.
        expect(bytes).toBeNull();
        return;
      }
      expect(bytes).not.toBeNull();
      expect(orderedEntries(finalizeMetricStates(bytes!.states))).toEqual(orderedEntries(c.expected));
    });
  });
}
