import type { Tokenizer } from 'tokenizers';
import { loadNativeTokenizer } from './nativeTokenizer.js';

/** A document's words as subwords: ids, and each word's first subword (null: it made none). */
export interface EncodedWords {
  ids: number[];
  firstSubwords: Array<number | null>;
}

/**
 * Words through a bundle's tokenizer.json as pre-tokenized input, with
 * Hugging Face's own (native) tokenizers, as Python's `tokenizer.encode(words,
 * is_pretokenized=True)` makes them. That call normalizes, pre-tokenizes and
 * tokenizes each word on its own and concatenates the results; the Node
 * binding has no pre-tokenized input, so each word is encoded alone (one
 * batch call per document) and the pieces are concatenated the same way. No
 * truncation (long documents are cut into windows instead); the
 * post-processor's special tokens are kept apart to put around each window.
 * Encoding runs on the binding's threads, off the thread that serves gRPC.
 */
export class WordTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    /** Special tokens the post-processor puts before and after one sequence. */
    readonly prefix: number[],
    readonly suffix: number[],
    readonly padId: number,
  ) {}

  static async fromFile(file: string): Promise<WordTokenizer> {
    const { tokenizer, prefix, suffix, padId } = await loadNativeTokenizer(file);
    return new WordTokenizer(tokenizer, prefix, suffix, padId);
  }

  async encode(words: string[]): Promise<EncodedWords> {
    if (words.length === 0) return { ids: [], firstSubwords: [] };
    const encodings = await this.tokenizer.encodeBatch(words, { addSpecialTokens: false });
    const ids: number[] = [];
    const firstSubwords = encodings.map((encoding) => {
      const pieces = encoding.getIds();
      const first = pieces.length === 0 ? null : ids.length;
      for (const id of pieces) ids.push(id);
      return first;
    });
    return { ids, firstSubwords };
  }
}
