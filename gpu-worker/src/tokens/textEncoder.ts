import { readFile } from 'node:fs/promises';
import { InputError } from '@evalshard/scorer';
import type { Tokenizer } from 'tokenizers';
import { loadNativeTokenizer } from './nativeTokenizer.js';

/**
 * Text into a text classifier's input ids with the bundle's tokenizer.json,
 * through Hugging Face's own (native) tokenizers, as Python's
 * `tokenizer.encode(text)` with the bundle's truncation makes them: the
 * text's tokens cut to leave room for the special tokens around them.
 * Encoding runs on the binding's threads, off the thread that serves gRPC.
 *
 * A long text is not tokenized whole to keep its first few hundred tokens:
 * where the tokenizer cannot merge across whitespace (its normalizer works
 * character by character and its pre-tokenizer splits at whitespace), the
 * tokens of the text up to a whitespace run are the first tokens of the whole
 * text, so a prefix that already yields enough tokens gives the same ids.
 * Prefixes grow fourfold until they do or reach the end.
 */
export class TextEncoder {
  private readonly room: number;
  /** Characters given to the tokenizer so far: what the prefixes saved shows here. */
  tokenizedChars = 0;

  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly maxLength: number,
    private readonly prefix: number[],
    private readonly suffix: number[],
    readonly padId: number,
    /** Whether a whitespace-bounded prefix tokenizes to a prefix of the text's tokens. */
    readonly prefixSafe: boolean,
  ) {
    this.room = maxLength - prefix.length - suffix.length;
  }

  static async fromFile(file: string, maxLength: number): Promise<TextEncoder> {
    const { tokenizer, prefix, suffix, padId } = await loadNativeTokenizer(file);
    if (maxLength <= prefix.length + suffix.length) {
      throw new InputError(
        `maximum sequence length ${maxLength} leaves no room for text next to ${prefix.length + suffix.length} special tokens`,
        { field: 'batch.maxSequenceLength' },
      );
    }
    const json = JSON.parse(await readFile(file, 'utf8')) as TokenizerJson;
    return new TextEncoder(tokenizer, maxLength, prefix, suffix, padId, isPrefixSafe(json));
  }

  /** Each text's ids, special tokens included, truncated to maxLength. */
  async encodeBatch(texts: string[]): Promise<number[][]> {
    const out: number[][] = new Array<number[]>(texts.length);
    // A first guess that is seldom short: English runs at three to five characters a token.
    let pending = texts.map((text, index) => ({ index, text, chars: this.prefixSafe ? this.room * PREFIX_CHARS_PER_TOKEN : Infinity }));
    while (pending.length > 0) {
      const pieces = pending.map((item) => prefixOf(item.text, item.chars));
      for (const piece of pieces) this.tokenizedChars += piece.text.length;
      const encodings = await this.tokenizer.encodeBatch(
        pieces.map((piece) => piece.text),
        { addSpecialTokens: false },
      );
      const again: typeof pending = [];
      pending.forEach((item, k) => {
        const ids = encodings[k]!.getIds();
        if (pieces[k]!.whole || ids.length >= this.room) out[item.index] = this.frame(ids);
        else again.push({ ...item, chars: item.chars * 4 });
      });
      pending = again;
    }
    return out;
  }

  private frame(ids: number[]): number[] {
    return [...this.prefix, ...(ids.length > this.room ? ids.slice(0, this.room) : ids), ...this.suffix];
  }
}

const PREFIX_CHARS_PER_TOKEN = 4;
const CUT_WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * The text up to the whitespace run nearest before `chars` (or, in a longer
 * run of non-space, the next one after), or the whole text.
 */
export function prefixOf(text: string, chars: number): { text: string; whole: boolean } {
  if (text.length <= chars) return { text, whole: true };
  let cut = Math.floor(chars);
  while (cut > 0 && !CUT_WHITESPACE.has(text[cut]!)) cut -= 1;
  if (cut === 0) {
    cut = Math.floor(chars);
    while (cut < text.length && !CUT_WHITESPACE.has(text[cut]!)) cut += 1;
    if (cut >= text.length) return { text, whole: true };
  }
  // Back to the start of the run: the prefix ends with what precedes the whitespace.
  while (cut > 0 && CUT_WHITESPACE.has(text[cut - 1]!)) cut -= 1;
  if (cut === 0) return { text, whole: true };
  return { text: text.slice(0, cut), whole: false };
}

interface Component {
  type?: string;
  use_regex?: boolean;
  split?: boolean;
  normalizers?: Component[];
  pretokenizers?: Component[];
}

interface TokenizerJson {
  normalizer?: Component | null;
  pre_tokenizer?: Component | null;
  added_tokens?: Array<{ content: string }>;
}

// Normalizers that rewrite character by character (or only the text's start).
const LOCAL_NORMALIZERS = new Set(['BertNormalizer', 'Lowercase', 'NFC', 'NFD', 'NFKC', 'NFKD', 'StripAccents', 'Prepend']);
// Pre-tokenizers that always split at whitespace, and ones that only split further.
const WHITESPACE_SPLITTERS = new Set(['BertPreTokenizer', 'Whitespace', 'WhitespaceSplit', 'ByteLevel', 'Metaspace']);
const FURTHER_SPLITTERS = new Set(['Punctuation', 'Digits']);

/** Whether the tokenizer never merges across a whitespace run (see TextEncoder). Anything else is tokenized whole. */
export function isPrefixSafe(json: TokenizerJson): boolean {
  const normalizer = json.normalizer ?? null;
  const normalizers = normalizer === null ? [] : normalizer.type === 'Sequence' ? normalizer.normalizers ?? [] : [normalizer];
  if (!normalizers.every((item) => LOCAL_NORMALIZERS.has(item.type ?? ''))) return false;
  const pre = json.pre_tokenizer ?? null;
  if (pre === null) return false;
  const steps = pre.type === 'Sequence' ? pre.pretokenizers ?? [] : [pre];
  const splitsAtWhitespace = (step: Component) =>
    WHITESPACE_SPLITTERS.has(step.type ?? '') && !(step.type === 'ByteLevel' && step.use_regex === false) && !(step.type === 'Metaspace' && step.split === false);
  if (!steps.some(splitsAtWhitespace)) return false;
  if (!steps.every((step) => splitsAtWhitespace(step) || FURTHER_SPLITTERS.has(step.type ?? ''))) return false;
  // An added token with whitespace inside could straddle the cut.
  return (json.added_tokens ?? []).every((token) => !/\s/.test(token.content));
}
