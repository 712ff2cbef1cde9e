import { describe, expect, it } from 'vitest';
import { oracleFixturePaths, readOracleJson } from '../testing/oracleFixtures.js';
import { numpyPairwiseSum } from './numpyPairwiseSum.js';
import { pythonSum } from './pythonSum.js';

interface SummationFixture {
  seed: number;
  python: string;
  python_sum_mode: 'plain' | 'compensated';
  cases: Array<{ values: number[]; numpy_add_reduce: number; python_sum: number }>;
}

for (const path of oracleFixturePaths('summation-oracle.json')) {
  const fixture = readOracleJson<SummationFixture>(path);
  describe(`summation against numpy and Python ${fixture.python} (seed ${fixture.seed})`, () => {
    it.each(fixture.cases.map((c, i) => [i, c.values.length, c] as const))(
      'case %i (%i values)',
      (_i, _n, c) => {
        expect(numpyPairwiseSum(c.values)).toBe(c.numpy_add_reduce);
        expect(pythonSum(c.values, fixture.python_sum_mode)).toBe(c.python_sum);
      },
    );
  });
}

describe('compensated summation (CPython 3.12+ sum)', () => {
  // The examples of the Python 3.12 "What's New" and sum() documentation.
  it('adds ten tenths to exactly 1.0 where a plain loop does not', () => {
    const tenths = Array.from({ length: 10 }, () => 0.1);
    expect(pythonSum(tenths, 'compensated')).toBe(1.0);
    expect(pythonSum(tenths, 'plain')).toBe(0.9999999999999999);
  });

  it('keeps a small term between cancelling large ones', () => {
    expect(pythonSum([1e100, 1.0, -1e100], 'compensated')).toBe(1.0);
    expect(pythonSum([1e100, 1.0, -1e100], 'plain')).toBe(0.0);
  });

  it('sums nothing to zero', () => {
    expect(pythonSum([], 'compensated')).toBe(0);
    expect(pythonSum([], 'plain')).toBe(0);
  });
});
