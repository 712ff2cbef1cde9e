import type { PrfEntry } from '@evalshard/proto';
import { addPrfCounts, emptyPrfCounts, prfScoresOf, type PrfCounts, type PrfScores } from './prfScore.js';

/** PRF counts by name (a label, a field, a counter); merging adds them. */
export class PrfMap {
  readonly counts = new Map<string, PrfCounts>();

  get(key: string): PrfCounts {
    let counts = this.counts.get(key);
    if (counts === undefined) {
      counts = emptyPrfCounts();
      this.counts.set(key, counts);
    }
    return counts;
  }

  has(key: string): boolean {
    return this.counts.has(key);
  }

  addAll(other: PrfMap): this {
    for (const [key, counts] of other.counts) addPrfCounts(this.get(key), counts);
    return this;
  }

  /** Canonical: sorted by key. */
  toEntries(): PrfEntry[] {
    return [...this.counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, { tp, fp, fn }]) => ({ key, tp, fp, fn }));
  }

  static fromEntries(entries: readonly PrfEntry[]): PrfMap {
    const map = new PrfMap();
    for (const { key, tp, fp, fn } of entries) map.counts.set(key, { tp, fp, fn });
    return map;
  }

  /** `{key: {p, r, f}}` in sorted key order, the reference's to_dict per entry. */
  toScores(keys: Iterable<string> = this.counts.keys()): Record<string, PrfScores> {
    const record: Record<string, PrfScores> = {};
    for (const key of [...keys].sort()) record[key] = prfScoresOf(this.counts.get(key) ?? emptyPrfCounts());
    return record;
  }
}

export function totalOf(counts: PrfCounts): number {
  return counts.tp + counts.fp + counts.fn;
}
