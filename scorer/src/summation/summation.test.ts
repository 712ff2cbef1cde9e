import { describe, expect, it } from 'vitest';
import { oracleFixturePaths, readOracleJson } from '../testing/oracleFixtures.js';
import fc from 'fast-check';
import { ExactSum } from './exactSum.js';
import { numpyPairwiseSum } from './numpyPairwiseSum.js';
import { pythonSum } from './pythonSum.js';

interface SummationFixture {
  seed: number;
  python: string;
  python_sum_mode: 'plain' | 'compensated';
  cases: Array<{ values: number[]; numpy_add_reduce: number; python_sum: number; fsum: number }>;
}

for (const path of oracleFixturePaths('summation-oracle.json')) {
  const fixture = readOracleJson<SummationFixture>(path);
  describe(`summation against numpy and Python ${fixture.python} (seed ${fixture.seed})`, () => {
    it.each(fixture.cases.map((c, i) => [i, c.values.length, c] as const))(
      'case %i (%i values)',
      (_i, _n, c) => {
        expect(numpyPairwiseSum(c.values)).toBe(c.numpy_add_reduce);
        expect(pythonSum(c.values, fixture.python_sum_mode)).toBe(c.python_sum);
        expect(c.values.reduce((sum, value) => sum.add(value), new ExactSum()).value()).toBe(c.fsum);
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

describe('ExactSum', () => {
  const doubles = fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 40 });

  it('gives the same bits for any order and any split into merged partial sums', () => {
    fc.assert(
      fc.property(doubles, fc.nat(), fc.array(fc.nat(), { maxLength: 5 }), (values, seed, rawCuts) => {
        const whole = values.reduce((sum, value) => sum.add(value), new ExactSum());
        const shuffled = [...values].sort((a, b) => ((a * 31 + seed) % 7) - ((b * 31 + seed) % 7));
        const cuts = [...new Set([0, ...rawCuts.map((c) => c % (shuffled.length + 1)), shuffled.length])].sort((a, b) => a - b);
        const parts = cuts.slice(1).map((end, i) => shuffled.slice(cuts[i], end).reduce((sum, value) => sum.add(value), new ExactSum()));
        const merged = parts.reduce((sum, part) => sum.merge(ExactSum.decode(part.encode())), new ExactSum());
        expect(Object.is(merged.value(), whole.value())).toBe(true);
        expect(merged.encode()).toBe(whole.encode());
      }),
    );
  });

  it('is exact where a plain sum is not', () => {
    const sum = new ExactSum().add(1e100).add(1).add(-1e100);
    expect(sum.value()).toBe(1);
    expect(new ExactSum().add(0.1).add(0.2).value()).toBe(0.30000000000000004);
    expect(new ExactSum().add(Number.MAX_VALUE).add(Number.MAX_VALUE).value()).toBe(Infinity);
    expect(new ExactSum().add(5e-324).add(5e-324).value()).toBe(1e-323);
  });
});
