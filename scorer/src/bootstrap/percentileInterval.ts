/**
 * The central `confidence` interval of the values by numpy's default
 * (linear) percentile: position q·(n − 1) between the sorted neighbours,
 * interpolated from the nearer end. Nulls and NaNs are left out; null when
 * nothing is left.
 */
export function percentileInterval(values: Array<number | null>, confidence: number): [number, number] | null {
  const sorted = values.filter((value): value is number => value !== null && !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const tail = (1 - confidence) / 2;
  return [percentile(sorted, tail), percentile(sorted, 1 - tail)];
}

function percentile(sorted: number[], q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const t = position - below;
  const a = sorted[below]!;
  const b = sorted[above]!;
  const difference = b - a;
  return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
}
