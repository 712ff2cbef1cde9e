import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import tokenizers from 'tokenizers';
import { describe, expect, it } from 'vitest';
import { isPrefixSafe, prefixOf, TextEncoder } from './textEncoder.js';

const { BPE, Tokenizer, Unigram, byteLevelAlphabet, byteLevelPreTokenizer, lowercase, metaspacePreTokenizer, nfkcNormalizer, sequenceNormalizer } =
  tokenizers;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'evalshard-text-encoder-'));

// Tokenizers of other families than the bundles' WordPiece, built here with the same library.
function byteLevelBpe(): string {
  const alphabet = byteLevelAlphabet();
  const vocab: Record<string, number> = Object.fromEntries(alphabet.map((c, i) => [c, i]));
  const merges: Array<[string, string]> = [['Ġ', 't'], ['h', 'e'], ['Ġt', 'he'], ['i', 'n'], ['Ġ', 'a'], ['e', 'r'], ['Ġ', 's']];
  for (const [a, b] of merges) vocab[a + b] ??= Object.keys(vocab).length;
  const tokenizer = new Tokenizer(BPE.init(vocab, merges as never));
  tokenizer.setPreTokenizer(byteLevelPreTokenizer(true, true));
  const path = join(dir, 'byte-level-bpe.json');
  tokenizer.save(path);
  return path;
}

function metaspaceUnigram(split: boolean): string {
  // Pieces across a space: a tokenizer that does not split at whitespace merges over it.
  const pieces: Array<[string, number]> = [['<unk>', 0], ['▁', -1], ['▁the', -2], ['▁c', -3], ['at', -2.5], ['▁a', -3], ['t▁t', -1], ['e▁c', -1], ['at▁', -1.5]];
  for (const c of 'abcdefghijklmnopqrstuvwxyzé漢字') pieces.push([c, -4], [`▁${c}`, -4.5]);
  const tokenizer = new Tokenizer(Unigram.init(pieces, { unkId: 0 }));
  tokenizer.setPreTokenizer(metaspacePreTokenizer('▁', 'always', split));
  tokenizer.setNormalizer(sequenceNormalizer([nfkcNormalizer(), lowercase()]));
  const path = join(dir, `unigram-split-${split}.json`);
  tokenizer.save(path);
  return path;
}

const TOKENIZERS: Array<[string, string]> = [
  ['demo WordPiece (BertNormalizer, accents stripped)', join(root, 'examples/spamassassin/model/tokenizer.json')],
  ['NER WordPiece (cased)', join(root, 'examples/transformers/ner/model/tokenizer.json')],
  ['byte-level BPE', byteLevelBpe()],
  ['Metaspace Unigram', metaspaceUnigram(true)],
  ['Metaspace Unigram without splitting (tokenized whole)', metaspaceUnigram(false)],
];

const pieceArbitrary = fc.oneof(
  fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', ' \u00a0', '\u3000'),
  fc.constantFrom('the', 'cat', 'hat', 'in', 'Über', 'café', 'e\u0301', '漢字', '😀', '[SEP]', '--', '!!', '42', 'supercalifragilistic'),
  fc.string({ unit: fc.constantFrom('a', 'b', 'é', '.', ',', '-', 'T', '1'), minLength: 1, maxLength: 12 }),
);

/** The reference: the whole text tokenized, cut to the room, with the special tokens around. */
async function wholeThenTruncated(path: string, text: string, maxLength: number): Promise<number[]> {
  const tokenizer = Tokenizer.fromFile(path);
  tokenizer.disableTruncation();
  tokenizer.disablePadding();
  const plain = (await tokenizer.encode('hello world', null, { addSpecialTokens: false })).getIds();
  const decorated = (await tokenizer.encode('hello world', null, { addSpecialTokens: true })).getIds();
  const at = decorated.findIndex((_, i) => plain.every((id, k) => decorated[i + k] === id));
  const prefix = decorated.slice(0, at);
  const suffix = decorated.slice(at + plain.length);
  const ids = (await tokenizer.encode(text, null, { addSpecialTokens: false })).getIds();
  return [...prefix, ...ids.slice(0, maxLength - prefix.length - suffix.length), ...suffix];
}

describe('TextEncoder: truncation without tokenizing a whole long text', () => {
  for (const [name, path] of TOKENIZERS) {
    it(`${name}: the same ids as tokenizing everything and truncating`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(pieceArbitrary, { maxLength: 400 }), fc.integer({ min: 6, max: 48 }), async (pieces, maxLength) => {
          const text = pieces.join('');
          const encoder = await TextEncoder.fromFile(path, maxLength);
          const [ids] = await encoder.encodeBatch([text]);
          expect(ids).toEqual(await wholeThenTruncated(path, text, maxLength));
        }),
        { numRuns: 60 },
      );
    });
  }

  it('the invariant itself: where isPrefixSafe holds, a cut text tokenizes to a prefix of the whole text\'s tokens', async () => {
    for (const [, path] of TOKENIZERS.filter(([, file]) => isPrefixSafe(JSON.parse(readFileSync(file, 'utf8')) as never))) {
      const tokenizer = Tokenizer.fromFile(path);
      tokenizer.disableTruncation();
      await fc.assert(
        fc.asyncProperty(fc.array(pieceArbitrary, { minLength: 1, maxLength: 200 }), fc.nat(), async (pieces, at) => {
          const text = pieces.join('');
          const cut = prefixOf(text, at % (text.length + 1));
          const whole = (await tokenizer.encode(text, null, { addSpecialTokens: false })).getIds();
          const prefix = (await tokenizer.encode(cut.text, null, { addSpecialTokens: false })).getIds();
          expect(whole.slice(0, prefix.length)).toEqual(prefix);
        }),
        { numRuns: 150 },
      );
    }
    // And where it does not hold: a model that merges over a space makes other tokens of a cut text.
    const unsplit = Tokenizer.fromFile(TOKENIZERS[4]![1]);
    const whole = (await unsplit.encode('cat tea', null, { addSpecialTokens: false })).getTokens();
    const cut = (await unsplit.encode('cat', null, { addSpecialTokens: false })).getTokens();
    expect(whole.slice(0, cut.length)).not.toEqual(cut);
  });

  it('reads only a prefix of a huge text, and it is the right one', async () => {
    const path = TOKENIZERS[0]![1];
    const text = readFileSync(join(root, 'examples/spamassassin/test.jsonl'), 'utf8');
    const encoder = await TextEncoder.fromFile(path, 256);
    const [ids] = await encoder.encodeBatch([text]);
    expect(ids).toEqual(await wholeThenTruncated(path, text, 256));
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(encoder.tokenizedChars).toBeLessThan(256 * 4 + 1);
  }, 120_000);

  it('knows which tokenizers may be cut at whitespace', () => {
    const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof isPrefixSafe>[0];
    expect(TOKENIZERS.map(([, path]) => isPrefixSafe(json(path)))).toEqual([true, true, true, true, false]);
    expect(isPrefixSafe({ normalizer: { type: 'Replace' }, pre_tokenizer: { type: 'Whitespace' } })).toBe(false);
    expect(isPrefixSafe({ normalizer: null, pre_tokenizer: null })).toBe(false);
    expect(isPrefixSafe({ pre_tokenizer: { type: 'ByteLevel', use_regex: false } })).toBe(false);
    expect(isPrefixSafe({ pre_tokenizer: { type: 'Whitespace' }, added_tokens: [{ content: 'new line' }] })).toBe(false);
  });

  it('cuts before a whitespace run, never inside a word', () => {
    expect(prefixOf('alpha beta  gamma', 12)).toEqual({ text: 'alpha beta', whole: false });
    expect(prefixOf('alpha beta', 50)).toEqual({ text: 'alpha beta', whole: true });
    expect(prefixOf('averyveryverylongword tail', 5)).toEqual({ text: 'averyveryverylongword', whole: false });
    expect(prefixOf('   leading', 2)).toEqual({ text: '   leading', whole: true });
  });
});
