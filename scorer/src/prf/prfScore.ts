/** Precision/recall counts; merging adds them. */
export interface PrfCounts {
  tp: number;
  fp: number;
  fn: number;
}

export interface PrfScores {
  p: number;
  r: number;
  f: number;
}

export function emptyPrfCounts(): PrfCounts {
  return { tp: 0, fp: 0, fn: 0 };
}

export function addPrfCounts(into: PrfCounts, other: PrfCounts): void {
  into.tp += other.tp;
  into.fp += other.fp;
  into.fn += other.fn;
}

// The 1e-100 terms and the operation order are the reference's (spaCy
// PRFScore): they decide the last bit of every score.
export function precisionOf(counts: PrfCounts): number {
  return counts.tp / (counts.tp + counts.fp + 1e-100);
}

export function recallOf(counts: PrfCounts): number {
  return counts.tp / (counts.tp + counts.fn + 1e-100);
}

export function fscoreOf(counts: PrfCounts): number {
  const p = precisionOf(counts);
  const r = recallOf(counts);
  return 2 * ((p * r) / (p + r + 1e-100));
}

export function prfScoresOf(counts: PrfCounts): PrfScores {
  return { p: precisionOf(counts), r: recallOf(counts), f: fscoreOf(counts) };
}
