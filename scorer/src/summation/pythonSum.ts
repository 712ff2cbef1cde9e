/**
 * Python's builtin `sum()` over floats, starting from the int 0.
 *
 * CPython 3.12 made float sums Neumaier-compensated; 3.11 and older add left
 * to right. The two differ in the last bits, so the reference's macro scores
 * depend on the Python version that computed them.
 */
export type PythonSummation = 'compensated' | 'plain';

export function pythonSum(values: readonly number[], summation: PythonSummation): number {
  return summation === 'compensated' ? compensatedSum(values) : plainSum(values);
}

export function plainSum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

// CPython 3.12 builtin_sum_impl: the int start absorbs the first float
// exactly, the rest go through the compensated loop, and the compensation is
// added once at the end unless it is zero or not finite.
function compensatedSum(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0 + (values[0] as number);
  let compensation = 0;
  for (let i = 1; i < values.length; i++) {
    const value = values[i] as number;
    const total = sum + value;
    if (Math.abs(sum) >= Math.abs(value)) {
      compensation += sum - total + value;
    } else {
      compensation += value - total + sum;
    }
    sum = total;
  }
  if (compensation !== 0 && Number.isFinite(compensation)) sum += compensation;
  return sum;
}
