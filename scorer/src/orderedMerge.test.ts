import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderedMerge } from './orderedMerge.js';

describe('OrderedMerge', () => {
  it('equals merging left to right for an associative, non-commutative merge', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 3 }), { maxLength: 200 }), (parts) => {
        const merge = new OrderedMerge<string>((left, right) => left + right);
        for (const part of parts) merge.push(part);
        expect(merge.result()).toBe(parts.length === 0 ? undefined : parts.join(''));
      }),
    );
  });

  it('keeps the stack logarithmic in the number of pushes', () => {
    let depth = 0;
    const merge = new OrderedMerge<number>((left, right) => left + right);
    for (let i = 0; i < 100_000; i++) {
      merge.push(1);
      depth = Math.max(depth, (merge as unknown as { stack: unknown[] }).stack.length);
    }
    expect(merge.result()).toBe(100_000);
    expect(depth).toBeLessThanOrEqual(17);
  });
});
