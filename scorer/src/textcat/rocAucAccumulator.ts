import { InputError } from '../errors.js';
import type { RocAucState } from '@evalshard/proto';
import { numpyPairwiseSum } from '../summation/numpyPairwiseSum.js';

const POSITIVE_GOLD = 1.0;
// Past this many pending distinct scores the hash map is folded into the
// sorted arrays, which take 24 bytes a score instead of a Map entry's ~80.
const PENDING_FLUSH_SIZE = 4096;
// The label is binary exactly when two distinct gold values occur; a third
// value settles that for good, so more need not be kept.
const MAX_TRACKED_GOLD_VALUES = 3;

/**
 * Exact, mergeable ROC AUC of one label: for every distinct predicted score,
 * how many positive and negative gold examples had it. That is all spaCy's
 * `_roc_auc_score` looks at once ties are grouped.
 */
export class RocAucAccumulator {
  private scores = new Float64Array(0);
  private positives = new Float64Array(0);
  private negatives = new Float64Array(0);
  private readonly pending = new Map<number, { positives: number; negatives: number }>();
  private goldValues: number[] = [];

  add(score: number, gold: number): void {
    const key = score === 0 ? 0 : score; // -0 and 0 are one threshold
    let counts = this.pending.get(key);
    if (counts === undefined) {
      counts = { positives: 0, negatives: 0 };
      this.pending.set(key, counts);
    }
    if (gold === POSITIVE_GOLD) counts.positives += 1;
    else counts.negatives += 1;
    this.noteGold(gold);
    if (this.pending.size >= PENDING_FLUSH_SIZE) this.flush();
  }

  merge(other: RocAucAccumulator): void {
    other.flush();
    this.flush();
    this.mergeSorted(other.scores, other.positives, other.negatives);
    for (const gold of other.goldValues) this.noteGold(gold);
  }

  isBinary(): boolean {
    return this.goldValues.length === 2;
  }

  /** spaCy's ROCAUCScore.score, or null where it is not binary. */
  score(): number | null {
    if (!this.isBinary()) return null;
    this.flush();
    return aucFromSortedCounts(this.scores, this.positives, this.negatives);
  }

  toState(): RocAucState {
    this.flush();
    return {
      scores: Array.from(this.scores),
      positives: Array.from(this.positives),
      negatives: Array.from(this.negatives),
      goldValues: [...this.goldValues],
    };
  }

  static fromState(state: RocAucState): RocAucAccumulator {
    const { scores, positives, negatives, goldValues } = state;
    const ascending = (values: readonly number[]) => values.every((value, i) => Number.isFinite(value) && (i === 0 || values[i - 1]! < value));
    if (positives.length !== scores.length || negatives.length !== scores.length || !ascending(scores) || goldValues.length > MAX_TRACKED_GOLD_VALUES || !ascending(goldValues)) {
      throw new InputError('an ROC AUC state is malformed: its scores must ascend, one count of each kind per score, at most three gold values in order', {
        code: 'BAD_PARTIAL',
      });
    }
    const accumulator = new RocAucAccumulator();
    accumulator.scores = Float64Array.from(state.scores);
    accumulator.positives = Float64Array.from(state.positives);
    accumulator.negatives = Float64Array.from(state.negatives);
    for (const gold of state.goldValues) accumulator.noteGold(gold);
    return accumulator;
  }

  private noteGold(gold: number): void {
    const value = gold === 0 ? 0 : gold;
    if (this.goldValues.length >= MAX_TRACKED_GOLD_VALUES || this.goldValues.includes(value)) return;
    this.goldValues.push(value);
    this.goldValues.sort((a, b) => a - b);
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const keys = Float64Array.from(this.pending.keys()).sort();
    const positives = new Float64Array(keys.length);
    const negatives = new Float64Array(keys.length);
    keys.forEach((key, i) => {
      const counts = this.pending.get(key)!;
      positives[i] = counts.positives;
      negatives[i] = counts.negatives;
    });
    this.pending.clear();
    this.mergeSorted(keys, positives, negatives);
  }

  private mergeSorted(scores: Float64Array, positives: Float64Array, negatives: Float64Array): void {
    if (scores.length === 0) return;
    const a = this.scores;
    const capacity = a.length + scores.length;
    const outScores = new Float64Array(capacity);
    const outPositives = new Float64Array(capacity);
    const outNegatives = new Float64Array(capacity);
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < a.length || j < scores.length) {
      const takeLeft = j >= scores.length || (i < a.length && a[i]! <= scores[j]!);
      const takeRight = i >= a.length || (j < scores.length && scores[j]! <= a[i]!);
      outScores[n] = takeLeft ? a[i]! : scores[j]!;
      outPositives[n] = (takeLeft ? this.positives[i]! : 0) + (takeRight ? positives[j]! : 0);
      outNegatives[n] = (takeLeft ? this.negatives[i]! : 0) + (takeRight ? negatives[j]! : 0);
      if (takeLeft) i++;
      if (takeRight) j++;
      n++;
    }
    this.scores = outScores.slice(0, n);
    this.positives = outPositives.slice(0, n);
    this.negatives = outNegatives.slice(0, n);
  }
}

/**
 * spaCy's `_roc_curve` + `_auc`: thresholds in descending score order,
 * cumulative counts from (0, 0), rates by division by the totals, trapezoids
 * `(dx * (y1 + y0)) / 2.0` summed the way numpy does.
 */
export function aucFromSortedCounts(
  ascendingScores: Float64Array,
  positives: Float64Array,
  negatives: Float64Array,
): number {
  const n = ascendingScores.length;
  const tps = new Float64Array(n + 1);
  const fps = new Float64Array(n + 1);
  for (let k = 1; k <= n; k++) {
    const index = n - k; // walk from the highest score down
    tps[k] = tps[k - 1]! + positives[index]!;
    fps[k] = fps[k - 1]! + negatives[index]!;
  }
  const fpr = ratesOf(fps);
  const tpr = ratesOf(tps);
  const areas = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    areas[k] = ((fpr[k + 1]! - fpr[k]!) * (tpr[k + 1]! + tpr[k]!)) / 2.0;
  }
  return numpyPairwiseSum(areas);
}

function ratesOf(cumulative: Float64Array): Float64Array {
  const total = cumulative[cumulative.length - 1]!;
  if (total <= 0) return new Float64Array(cumulative.length).fill(Number.NaN);
  return cumulative.map((value) => value / total);
}
