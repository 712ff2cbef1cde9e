import { createHash } from 'node:crypto';
import { DepsMissingIndices, ScorerConfig } from '@evalshard/proto';
import { InputError } from './errors.js';
import { decodeTextcatOptions, encodeTextcatOptions } from './textcat/textcatCodec.js';
import type { SeqevalOptions } from './seqeval/seqevalFamily.js';
import type { TagScheme } from './seqeval/strictChunks.js';
import type { TextcatOptions } from './textcat/textcatOptions.js';

/** Which score families a run computes, with their options. */
export interface ScorerOptions {
  /** Text categories: enables the `cats` family. */
  textcat?: TextcatOptions;
  /** Document families: tokenization, tag, pos, morph, lemma, morph_per_feat, sents, deps, ents, spans:KEY. */
  families?: string[];
  depsMissingIndices?: 'reference' | 'per-example';
  spanGroups?: Array<{ key: string; allowOverlap: boolean }>;
  /** Report only the families some gold document annotated (the default selection). */
  onlyAnnotated?: boolean;
  /** seqeval's options, when `seqeval` is among the families. */
  seqeval?: SeqevalOptions;
  /** Percentile intervals for every scalar score from a Poisson bootstrap. */
  bootstrap?: BootstrapOptions;
}

export interface BootstrapOptions {
  replicates: number;
  seed: number;
  /** Central interval mass, 0.95 by default. */
  confidence: number;
}

export function encodeScorerOptions(options: ScorerOptions): ScorerConfig {
  return {
    textcat: options.textcat === undefined ? undefined : encodeTextcatOptions(options.textcat),
    families: [...(options.families ?? [])],
    depsMissingIndices:
      options.depsMissingIndices === 'per-example'
        ? DepsMissingIndices.DEPS_MISSING_INDICES_PER_EXAMPLE
        : DepsMissingIndices.DEPS_MISSING_INDICES_REFERENCE,
    spanGroups: (options.spanGroups ?? []).map((group) => ({ key: group.key, allowOverlap: group.allowOverlap })),
    onlyAnnotated: options.onlyAnnotated ?? false,
    seqeval:
      options.seqeval === undefined
        ? undefined
        : { mode: options.seqeval.mode, scheme: options.seqeval.scheme ?? '', zeroDivision: options.seqeval.zeroDivision },
    bootstrap: options.bootstrap === undefined ? undefined : { ...options.bootstrap },
  };
}

export function decodeScorerOptions(config: ScorerConfig | undefined): ScorerOptions {
  if (config === undefined || (config.textcat === undefined && config.families.length === 0)) {
    throw new InputError('the scorer config names no score family', { field: 'scorer', code: 'EMPTY_SCORER' });
  }
  const options: ScorerOptions = {};
  if (config.textcat !== undefined) options.textcat = decodeTextcatOptions(config.textcat);
  if (config.families.length > 0) {
    options.families = [...config.families];
    options.depsMissingIndices =
      config.depsMissingIndices === DepsMissingIndices.DEPS_MISSING_INDICES_PER_EXAMPLE ? 'per-example' : 'reference';
    options.spanGroups = config.spanGroups.map((group) => ({ key: group.key, allowOverlap: group.allowOverlap }));
    options.onlyAnnotated = config.onlyAnnotated;
    if (config.seqeval !== undefined) {
      options.seqeval = {
        mode: config.seqeval.mode === 'strict' ? 'strict' : 'default',
        scheme: config.seqeval.scheme === '' ? null : (config.seqeval.scheme as TagScheme),
        zeroDivision: config.seqeval.zeroDivision === 1 ? 1 : 0,
      };
    }
  }
  // Text classification takes replicates too (a textcat run compares with another by paired bootstrap).
  if (config.bootstrap !== undefined && config.bootstrap.replicates > 0) {
    options.bootstrap = { ...config.bootstrap, confidence: config.bootstrap.confidence || 0.95 };
  }
  return options;
}

/** Identifies the scoring semantics of a run: same digest, same numbers. */
export function scorerDigest(options: ScorerOptions): string {
  return sha256Hex(ScorerConfig.encode(encodeScorerOptions(options)).finish());
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
