import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutShards, shardCount, shardRange } from './shardLayout.js';

const filesArbitrary = fc.array(
  fc.record({ path: fc.string({ minLength: 1, maxLength: 4 }), size: fc.integer({ min: 0, max: 10_000_000 }) }),
  { minLength: 1, maxLength: 6 },
);

describe('layoutShards', () => {
  it('tiles every file with contiguous ranges, in order', () => {
    fc.assert(
      fc.property(
        filesArbitrary,
        fc.oneof(
          fc.record({ shards: fc.integer({ min: 1, max: 500 }), shardSize: fc.constant(null) }),
          fc.record({ shards: fc.constant(null), shardSize: fc.integer({ min: 20_000, max: 5_000_000 }) }),
          fc.constant({ shards: null, shardSize: null }),
        ),
        (files, request) => {
          const layout = layoutShards(files, request, 2);
          const ranges = Array.from({ length: shardCount(layout) }, (_, i) => shardRange(layout, i));
          files.forEach((file, f) => {
            const own = ranges.filter((_, i) => fileOf(layout.shardsPerFile, i) === f);
            expect(own.length).toBeGreaterThanOrEqual(1);
            expect(own[0]!.start).toBe(0);
            expect(own[own.length - 1]!.end).toBe(file.size);
            own.forEach((range, k) => {
              expect(range.path).toBe(file.path);
              if (k > 0) expect(range.start).toBe(own[k - 1]!.end);
            });
          });
          // An empty corpus has nothing to cut: one shard a file.
          const empty = files.every((file) => file.size === 0);
          if (request.shards !== null) expect(shardCount(layout)).toBe(empty ? files.length : Math.max(request.shards, files.length));
        },
      ),
    );
  });

  it('gives exactly the requested count for one file', () => {
    const layout = layoutShards([{ path: 'a', size: 10 }], { shards: 7, shardSize: null }, 2);
    expect(Array.from({ length: 7 }, (_, i) => shardRange(layout, i))).toEqual([
      { path: 'a', start: 0, end: 1 },
      { path: 'a', start: 1, end: 2 },
      { path: 'a', start: 2, end: 4 },
      { path: 'a', start: 4, end: 5 },
      { path: 'a', start: 5, end: 7 },
      { path: 'a', start: 7, end: 8 },
      { path: 'a', start: 8, end: 10 },
    ]);
  });
});

function fileOf(shardsPerFile: number[], index: number): number {
  let first = 0;
  for (let f = 0; f < shardsPerFile.length; f++) {
    if (index < first + shardsPerFile[f]!) return f;
    first += shardsPerFile[f]!;
  }
  return -1;
}
