import { createHash } from 'node:crypto';
import { ScorerConfig } from '@evalshard/proto';
import { InputError } from './errors.js';
import { decodeTextcatOptions, encodeTextcatOptions } from './textcat/textcatCodec.js';
import type { TextcatOptions } from './textcat/textcatOptions.js';

/** Which score families a run computes, with their options. */
export interface ScorerOptions {
  textcat?: TextcatOptions;
}

export function encodeScorerOptions(options: ScorerOptions): ScorerConfig {
  return { textcat: options.textcat === undefined ? undefined : encodeTextcatOptions(options.textcat) };
}

export function decodeScorerOptions(config: ScorerConfig | undefined): ScorerOptions {
  if (config?.textcat === undefined) {
    throw new InputError('the scorer config names no score family', { field: 'scorer', code: 'EMPTY_SCORER' });
  }
  return { textcat: decodeTextcatOptions(config.textcat) };
}

/** Identifies the scoring semantics of a run: same digest, same numbers. */
export function scorerDigest(options: ScorerOptions): string {
  return sha256Hex(ScorerConfig.encode(encodeScorerOptions(options)).finish());
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
