import { Tokenizer } from '@huggingface/tokenizers';
import { InputError } from '@evalshard/scorer';

/**
 * Turns text into the model's input ids with the bundle's tokenizer.json,
 * truncating the way Hugging Face tokenizers do for one sequence: the text's
 * tokens are cut to leave room for the special tokens the post-processor
 * adds around them.
 */
export class TextEncoder {
  private readonly prefix: number[];
  private readonly suffix: number[];
  readonly padId: number;

  constructor(
    private readonly tokenizer: Tokenizer,
    readonly maxLength: number,
    tokenizerFile: string,
  ) {
    const { prefix, suffix } = specialTokensAround(tokenizer, tokenizerFile);
    this.prefix = prefix;
    this.suffix = suffix;
    if (maxLength <= prefix.length + suffix.length) {
      throw new InputError(
        `maximum sequence length ${maxLength} leaves no room for text next to ${prefix.length + suffix.length} special tokens`,
        { field: 'batch.maxSequenceLength' },
      );
    }
    this.padId = tokenizer.token_to_id('[PAD]') ?? tokenizer.token_to_id('<pad>') ?? 0;
  }

  encode(text: string): number[] {
    const ids = this.tokenizer.encode(text, { add_special_tokens: false }).ids;
    const room = this.maxLength - this.prefix.length - this.suffix.length;
    const body = ids.length > room ? ids.slice(0, room) : ids;
    return [...this.prefix, ...body, ...this.suffix];
  }
}

// The post-processor's tokens before and after a single sequence, found by
// encoding a probe with and without them.
function specialTokensAround(tokenizer: Tokenizer, tokenizerFile: string): { prefix: number[]; suffix: number[] } {
  const probe = 'hello world';
  const plain: number[] = tokenizer.encode(probe, { add_special_tokens: false }).ids;
  const decorated: number[] = tokenizer.encode(probe, { add_special_tokens: true }).ids;
  for (let start = 0; start + plain.length <= decorated.length; start++) {
    if (plain.every((id: number, i: number) => decorated[start + i] === id)) {
      return { prefix: decorated.slice(0, start), suffix: decorated.slice(start + plain.length) };
    }
  }
  throw new InputError(`${tokenizerFile}: the post-processor rewrites the text's tokens; only added special tokens are supported`, {
    file: tokenizerFile,
    code: 'UNSUPPORTED_TOKENIZER',
  });
}
