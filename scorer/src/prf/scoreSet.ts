import type { PrfCounts } from './prfScore.js';

/** PRFScore.score_set: tp, fp and fn of two sets of keys. */
export function scoreSet(counts: PrfCounts, predicted: ReadonlySet<string>, gold: ReadonlySet<string>): void {
  let tp = 0;
  for (const key of predicted) if (gold.has(key)) tp++;
  counts.tp += tp;
  counts.fp += predicted.size - tp;
  counts.fn += gold.size - tp;
}

/** A set member for a tuple; \u0000 cannot occur in labels read from JSON text. */
export function tupleKey(...parts: Array<string | number | null>): string {
  return parts.map((part) => (part === null ? '\u0001' : String(part))).join('\u0000');
}
