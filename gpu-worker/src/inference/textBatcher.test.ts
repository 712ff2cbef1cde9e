import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextBatcher, type TextBatch } from './textBatcher.js';

describe('TextBatcher', () => {
  it('keeps every batch within its limits and every document in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 64, max: 512 }),
        (lengths, maxDocs, maxTokens) => {
          const batcher = new TextBatcher({ maxDocs, maxTokens });
          const batches: TextBatch[] = [];
          lengths.forEach((length, i) => {
            const closed = batcher.add({ ids: Array.from({ length }, () => i), gold: [] });
            if (closed) batches.push(closed);
          });
          const last = batcher.flush();
          if (last) batches.push(last);
          for (const batch of batches) {
            expect(batch.docs.length).toBeLessThanOrEqual(maxDocs);
            expect(batch.docs.length * batch.width).toBeLessThanOrEqual(maxTokens);
            expect(batch.width).toBe(Math.max(...batch.docs.map((doc) => doc.ids.length)));
          }
          expect(batches.flatMap((batch) => batch.docs.map((doc) => doc.ids[0]))).toEqual(lengths.map((_, i) => i));
        },
      ),
    );
  });
});
