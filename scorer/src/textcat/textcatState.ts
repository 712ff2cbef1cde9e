import { addPrfCounts, emptyPrfCounts, type PrfCounts } from '../prf/prfScore.js';
import { RocAucAccumulator } from './rocAucAccumulator.js';
import type { TextcatOptions } from './textcatOptions.js';

/**
 * Sufficient statistics of `Scorer.score_cats`, one entry per label in label
 * order. Counts add and AUC accumulators merge, so merging is associative and
 * commutative.
 */
export interface TextcatState {
  readonly counts: PrfCounts[];
  readonly auc: RocAucAccumulator[];
}

export function initTextcatState(options: TextcatOptions): TextcatState {
  return {
    counts: options.labels.map(() => emptyPrfCounts()),
    auc: options.labels.map(() => new RocAucAccumulator()),
  };
}

/** Folds `other` into `into`; `other` must not be used afterwards. */
export function mergeTextcatState(into: TextcatState, other: TextcatState): TextcatState {
  if (into.counts.length !== other.counts.length) {
    throw new RangeError(`cannot merge textcat states of ${into.counts.length} and ${other.counts.length} labels`);
  }
  into.counts.forEach((counts, i) => addPrfCounts(counts, other.counts[i]!));
  into.auc.forEach((auc, i) => auc.merge(other.auc[i]!));
  return into;
}
