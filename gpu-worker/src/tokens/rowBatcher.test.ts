import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedShapes } from './fixedShapes.js';
import { rowBatcher, type BatchingMode, type TokenBatch, type TokenRow } from './rowBatcher.js';

const limits = { maxDocs: 8, maxTokens: 256 };
const lengths = fc.array(fc.integer({ min: 1, max: 128 }), { maxLength: 200 });

function batchAll(mode: BatchingMode, rowLengths: number[]): Array<TokenBatch<number>> {
  const batcher = rowBatcher<number>(mode, 128, limits);
  const batches: Array<TokenBatch<number>> = [];
  rowLengths.forEach((length, item) => {
    const row: TokenRow<number> = { ids: Array.from({ length }, () => 1), item };
    batches.push(...batcher.add(row));
  });
  batches.push(...batcher.flush());
  expect(batcher.pending).toBe(0);
  return batches;
}

describe('rowBatcher', () => {
  it.each(['fixed', 'single', 'dynamic'] as const)('%s: every row goes into exactly one call, padded to at least its length', (mode) => {
    fc.assert(
      fc.property(lengths, (rowLengths) => {
        const batches = batchAll(mode, rowLengths);
        const items = batches.flatMap((batch) => batch.rows.map((row) => row.item)).sort((a, b) => a - b);
        expect(items).toEqual(rowLengths.map((_, i) => i));
        for (const batch of batches) {
          for (const row of batch.rows) expect(row.ids.length).toBeLessThanOrEqual(batch.width);
          expect((batch.rows.length + batch.fillers) * batch.width).toBeLessThanOrEqual(Math.max(limits.maxTokens, batch.width));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('fixed: a row meets one shape, set by its own length alone, whatever else is batched', () => {
    const shapes = fixedShapes(128, limits);
    expect(shapes.widths).toEqual([16, 32, 64, 128]);
    fc.assert(
      fc.property(lengths, (rowLengths) => {
        for (const batch of batchAll('fixed', rowLengths)) {
          expect(batch.rows.length + batch.fillers).toBe(shapes.rowsFor(batch.width));
          for (const row of batch.rows) expect(batch.width).toBe(shapes.widthFor(row.ids.length));
        }
      }),
      { numRuns: 200 },
    );
    expect([1, 16, 17, 33, 64, 65, 128].map((length) => shapes.widthFor(length))).toEqual([16, 16, 32, 64, 64, 128, 128]);
    expect(shapes.widths.map((width) => shapes.rowsFor(width))).toEqual([8, 8, 4, 2]);
  });

  it('dynamic: arrival order, within the limits, padded to the longest row', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 64, max: 512 }),
        (rowLengths, maxDocs, maxTokens) => {
          const batcher = rowBatcher<number>('dynamic', 64, { maxDocs, maxTokens });
          const batches: Array<TokenBatch<number>> = [];
          rowLengths.forEach((length, item) => batches.push(...batcher.add({ ids: Array.from({ length }, () => 1), item })));
          batches.push(...batcher.flush());
          for (const batch of batches) {
            expect(batch.rows.length).toBeLessThanOrEqual(maxDocs);
            expect(batch.rows.length * batch.width).toBeLessThanOrEqual(maxTokens);
            expect(batch.width).toBe(Math.max(...batch.rows.map((row) => row.ids.length)));
            expect(batch.fillers).toBe(0);
          }
          expect(batches.flatMap((batch) => batch.rows.map((row) => row.item))).toEqual(rowLengths.map((_, i) => i));
        },
      ),
    );
  });

  it('single: one unpadded row per call', () => {
    for (const batch of batchAll('single', [3, 70, 1])) {
      expect(batch.rows).toHaveLength(1);
      expect(batch.fillers).toBe(0);
      expect(batch.width).toBe(batch.rows[0]!.ids.length);
    }
  });
});
