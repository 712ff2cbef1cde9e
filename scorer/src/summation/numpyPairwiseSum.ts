/**
 * numpy's float64 `add.reduce` over a contiguous array: pairwise summation
 * with an eight-way unrolled base case (numpy/_core/src/umath/loops_utils.h).
 * Reproducing the exact association is what makes AUC bit-identical.
 */
const BLOCK_SIZE = 128;

export function numpyPairwiseSum(values: ArrayLike<number>): number {
  return 0 + pairwise(values, 0, values.length);
}

function pairwise(values: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[start + i] as number;
    return sum;
  }
  if (n <= BLOCK_SIZE) {
    const r = new Float64Array(8);
    for (let k = 0; k < 8; k++) r[k] = values[start + k] as number;
    let i = 8;
    const unrolledEnd = n - (n % 8);
    for (; i < unrolledEnd; i += 8) {
      for (let k = 0; k < 8; k++) r[k] = (r[k] as number) + (values[start + i + k] as number);
    }
    let sum =
      ((r[0]! + r[1]!) + (r[2]! + r[3]!)) + ((r[4]! + r[5]!) + (r[6]! + r[7]!));
    for (; i < n; i++) sum += values[start + i] as number;
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwise(values, start, half) + pairwise(values, start + half, n - half);
}
