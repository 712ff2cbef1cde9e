import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentPass } from '../documentPass.js';
import type { ScorerOptions } from '../scorerOptions.js';
import { encodedStates, jsonLines, nativePassFiles } from '../testing/nativePassCheck.js';
import { nativeDocPass } from './nativeDocPass.js';

// Texts where lowercasing is not ASCII's: final sigma (Σ lowercases by what
// surrounds it, case-ignorable characters passed over), letters that grow
// (İ), titlecase digraphs, combining marks, astral characters. Predictions
// change the case of words and split tokens, so alignment and span texts
// lowercase; labels and dependency relations carry the same letters.

const WORDS = [
  'ΣΟΦΙΑΣ', 'Σ', 'ΟΔΥΣΣΕΥΣ', "Α'Σ", 'ΑΣ.', 'ΑΣ\u0301', 'Σ\u0301Α', 'σς', 'ΑΣ:Β', 'İstanbul', 'ǅungla', 'Straße', 'Ω', 'K', 'ÀB', 'a', 'The',
  "don't", 'e-mail', '東京', '🎉x', 'X\u0301y', 'U.S.', 'ᾼΣ', 'ΣᾼΣ', 'A.Σ', '𐐀𐐨', 'Ⅻ', 'ⓐⒶ', 'aaa', 'aa', 'AaA', 'σσσ',
];
const LABELS = ['ΣΟ', 'LOC', 'loc', 'Ǆ', 'Σ'];
const DEPS = ['ROOT', 'nsubj', 'P', 'ΣΣ', 'Ǆ', 'punct', 'DeP'];

const caseOf = (word: string, change: number) => (change === 1 ? word.toLowerCase() : change === 2 ? word.toUpperCase() : word);

const docArbitrary = fc.record({
  words: fc.array(fc.record({ word: fc.constantFrom(...WORDS), change: fc.nat(2), split: fc.nat(7), goldSplit: fc.nat(7) }), { maxLength: 9 }),
  goldSeed: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
  predSeed: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
  deps: fc.boolean(),
});

/** One side's record: its words as tokens (split once where `splits` says, a quarter of them), with attributes, heads, entities and spans. */
function record(words: string[], splits: number[], seed: number[], deps: boolean): string {
  const pick = <T>(items: readonly T[], k: number) => items[seed[k % seed.length]! % items.length]!;
  const text = words.join(' ');
  const tokens: Array<{ start: number; end: number }> = [];
  let offset = 0;
  words.forEach((word, w) => {
    const points = Array.from(word);
    const cut = splits[w]! % 4 === 0 && points.length > 1 ? 1 + (Math.floor(splits[w]! / 4) % (points.length - 1)) : points.length;
    tokens.push({ start: offset, end: offset + cut });
    if (cut < points.length) tokens.push({ start: offset + cut, end: offset + points.length });
    offset += points.length + 1;
  });
  const rich = tokens.map((token, t) => ({
    ...token,
    tag: pick(['A', 'Σ', 'ΣΑ', 'b'], t),
    morph: pick(['Case=Nom', 'Ǆ=Σ|Case=Acc', '_', '', 'Case=Nom|Case=Nom', 'Case=Acc|Case=Nom|Ǆ=Σ'], t + 3),
    ...(deps ? { dep: pick(DEPS, t + 5), head: seed[(t + 7) % seed.length]! % tokens.length } : {}),
  }));
  const spans = (k: number, overlap: boolean) => {
    const out: Array<{ start: number; end: number; label: string }> = [];
    for (let t = 0; t < tokens.length; t++) {
      const length = seed[(k + t) % seed.length]! % 3;
      if (length === 0 || t + length > tokens.length) continue;
      out.push({ start: tokens[t]!.start, end: tokens[t + length - 1]!.end, label: pick(LABELS, k + t) });
      if (!overlap) t += length;
    }
    return out;
  };
  const sents = deps ? {} : { sents: spans(11, false).map(({ start, end }) => ({ start, end })) };
  return JSON.stringify({ text, tokens: rich, ents: spans(17, false), spans: { sc: spans(23, true) }, ...sents });
}

const writeFiles = nativePassFiles();

describe('the native pass lowercases as JavaScript does', () => {
  it('scores documents with changed case and tokenization as the document pass does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(docArbitrary, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.boolean(), async (docs, perExample, overlap) => {
        const golds = docs.map((doc) => record(doc.words.map((w) => w.word), doc.words.map((w) => w.goldSplit), doc.goldSeed, doc.deps));
        const predictions = docs.map((doc) =>
          record(doc.words.map((w) => caseOf(w.word, w.change)), doc.words.map((w) => w.split), doc.predSeed, doc.deps),
        );
        const files = writeFiles(jsonLines(golds), jsonLines(predictions));
        const options: ScorerOptions = {
          families: ['tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'deps', 'ents', 'lemma', 'spans:sc'],
          depsMissingIndices: perExample ? 'per-example' : 'reference',
          spanGroups: [{ key: 'sc', allowOverlap: overlap }],
        };
        // Case changes that change lengths (ß, İ) leave texts JavaScript cannot align either.
        await expectSameOrBothRefuse(files, options);
      }),
      { numRuns: 300 },
    );
  });

  it('aligns any two tokenizations of texts of a few repeated letters as the document pass does', async () => {
    // Identical tokens starting mid-token must not jump together: gold [aa, a] against predicted [a, aa].
    const tokenization = (word: string, cuts: number[]) => {
      const points = Array.from(word);
      const at = [...new Set(cuts.map((cut) => 1 + (cut % Math.max(points.length - 1, 1))).filter((cut) => cut < points.length))].sort((a, b) => a - b);
      return [0, ...at, points.length].slice(1).map((end, k, ends) => [k === 0 ? 0 : ends[k - 1]!, end] as const);
    };
    const side = (words: string[], cuts: number[][]) => {
      const tokens: Array<{ start: number; end: number; tag: string }> = [];
      let offset = 0;
      words.forEach((word, w) => {
        for (const [start, end] of tokenization(word, cuts[w]!)) tokens.push({ start: offset + start, end: offset + end, tag: Array.from(word).slice(start, end).join('') });
        offset += Array.from(word).length + 1;
      });
      return JSON.stringify({ text: words.join(' '), tokens, ents: tokens.length > 1 ? [{ start: tokens[1]!.start, end: tokens[tokens.length - 1]!.end, label: 'X' }] : [] });
    };
    const wordArbitrary = fc.record({ word: fc.stringMatching(/^[aAσΣ]{1,5}$/), change: fc.nat(2), goldCuts: fc.array(fc.nat(), { maxLength: 3 }), cuts: fc.array(fc.nat(), { maxLength: 3 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(wordArbitrary, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), async (docs) => {
        const golds = docs.map((words) => side(words.map((w) => w.word), words.map((w) => w.goldCuts)));
        const predictions = docs.map((words) => side(words.map((w) => caseOf(w.word, w.change)), words.map((w) => w.cuts)));
        const files = writeFiles(jsonLines(golds), jsonLines(predictions));
        const options: ScorerOptions = { families: ['tokenization', 'tag', 'ents'] };
        await expectSameOrBothRefuse(files, options);
      }),
      { numRuns: 300 },
    );
  });
});

/** The document pass's states; or, where it cannot align the texts, null (final sigma can tell texts apart). */
async function expectSameOrBothRefuse(files: { gold: string; predicted: string }, options: ScorerOptions): Promise<void> {
  const native = await nativeDocPass(files.gold, files.predicted, options);
  let documents;
  try {
    documents = await documentPass(files.gold, files.predicted, 'jsonl', options);
  } catch (error) {
    expect(String(error)).toMatch(/different texts/);
    expect(native).toBeNull();
    return;
  }
  expect(native, 'the native pass gave plain files back').not.toBeNull();
  expect(encodedStates(native!.states)).toBe(encodedStates(documents.states));
}
