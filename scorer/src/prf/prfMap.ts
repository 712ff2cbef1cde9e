import type { PrfEntry } from '@evalshard/proto';
import { compareCodePoints } from '../json/orderedJson.js';
import { addPrfCounts, emptyPrfCounts, prfScoresOf, type PrfCounts, type PrfScores } from './prfScore.js';

/** PRF counts by name (a label, a field, a counter); merging adds them. */
export class PrfMap {
  readonly counts = new Map<string, PrfCounts>();
  // The same counts by a WireReader's string ids, when encoded entries are folded in (prfWire): an
  // array index instead of a string lookup. Ids belong to one reader.
  private byStringId: Array<PrfCounts | undefined> | undefined;
  private stringIdOwner: object | undefined;

  get(key: string): PrfCounts {
    let counts = this.counts.get(key);
    if (counts === undefined) {
      counts = emptyPrfCounts();
      this.counts.set(key, counts);
    }
    return counts;
  }

  /** get(key), where `id` is `key`'s id in `owner`'s string table. */
  getByStringId(owner: { internedString(id: number): string }, id: number): PrfCounts {
    if (this.stringIdOwner !== owner) {
      this.stringIdOwner = owner;
      this.byStringId = [];
    }
    const byId = this.byStringId!;
    let counts = byId[id];
    if (counts === undefined) {
      counts = this.get(owner.internedString(id));
      // Filled up to the id: ids run over every family's strings, and a sparse array turns into a dictionary.
      while (byId.length < id) byId.push(undefined);
      byId[id] = counts;
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

  /**
   * `{label: {p, r, f}}` (the reference's to_dict) for the keys under
   * `prefix`, the prefix dropped, in Python's sorted order: the reference
   * lists labels as it first meets them, which for entities and spans
   * depends on Python's string hashing, so the report fixes one order.
   */
  labelScores(prefix = '', include: (counts: PrfCounts) => boolean = () => true): Map<string, PrfScores> {
    const labels: Array<[string, PrfCounts]> = [];
    for (const [key, counts] of this.counts) {
      if (key.startsWith(prefix) && include(counts)) labels.push([key.slice(prefix.length), counts]);
    }
    labels.sort(([a], [b]) => compareCodePoints(a, b));
    return new Map(labels.map(([label, counts]) => [label, prfScoresOf(counts)]));
  }
}

export function totalOf(counts: PrfCounts): number {
  return counts.tp + counts.fp + counts.fn;
}
