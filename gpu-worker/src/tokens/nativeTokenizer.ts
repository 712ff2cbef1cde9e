import { InputError } from '@evalshard/scorer';
import { Tokenizer } from 'tokenizers';

/** A bundle's tokenizer.json in Hugging Face's native tokenizers, with the special tokens its post-processor adds. */
export interface NativeTokenizer {
  tokenizer: Tokenizer;
  /** Special tokens the post-processor puts before and after one sequence. */
  prefix: number[];
  suffix: number[];
  padId: number;
}

/**
 * Loads tokenizer.json without truncation or padding (callers cut and pad
 * themselves), and finds the post-processor's special tokens by encoding a
 * probe with and without them; a post-processor that rewrites the tokens
 * themselves is refused.
 */
export async function loadNativeTokenizer(file: string): Promise<NativeTokenizer> {
  let tokenizer: Tokenizer;
  try {
    tokenizer = Tokenizer.fromFile(file);
  } catch (error) {
    throw new InputError(`${file}: the tokenizer does not load (${(error as Error).message})`, { file, code: 'BAD_MODEL', cause: error });
  }
  tokenizer.disableTruncation();
  tokenizer.disablePadding();
  const probe = 'hello world';
  const plain = (await tokenizer.encode(probe, null, { addSpecialTokens: false })).getIds();
  const decorated = (await tokenizer.encode(probe, null, { addSpecialTokens: true })).getIds();
  let start = -1;
  for (let at = 0; at + plain.length <= decorated.length && start < 0; at++) {
    if (plain.every((id, i) => decorated[at + i] === id)) start = at;
  }
  if (start < 0) {
    throw new InputError(`${file}: the post-processor rewrites the text's tokens; only added special tokens are supported`, {
      file,
      code: 'UNSUPPORTED_TOKENIZER',
    });
  }
  const padId = tokenizer.tokenToId('[PAD]') ?? tokenizer.tokenToId('<pad>') ?? 0;
  return { tokenizer, prefix: decorated.slice(0, start), suffix: decorated.slice(start + plain.length), padId };
}
