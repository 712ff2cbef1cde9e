import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planWindows } from './planWindows.js';

// Words of 0 to 4 subwords each: a document's first-subword positions.
const documents = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 300 }).map((lengths) => {
  const firstSubwords: Array<number | null> = [];
  let subwords = 0;
  for (const length of lengths) {
    firstSubwords.push(length === 0 ? null : subwords);
    subwords += length;
  }
  return { firstSubwords, subwords };
});

describe('planWindows', () => {
  it('predicts every word exactly once, from a window that holds its first subword', () => {
    fc.assert(
      fc.property(documents, fc.integer({ min: 1, max: 64 }), ({ firstSubwords, subwords }, room) => {
        const { windows, owners } = planWindows(firstSubwords, subwords, room);
        expect(windows.length).toBeGreaterThanOrEqual(1);
        for (const window of windows) {
          expect(window.end - window.start).toBeLessThanOrEqual(room);
          expect(window.start).toBeGreaterThanOrEqual(0);
          expect(window.end).toBeLessThanOrEqual(subwords);
        }
        // The windows cover the document, in order.
        expect(windows[0]!.start).toBe(0);
        expect(windows.at(-1)!.end).toBe(subwords);
        for (let w = 1; w < windows.length; w++) {
          expect(windows[w]!.start).toBeGreaterThan(windows[w - 1]!.start);
          expect(windows[w]!.start).toBeLessThanOrEqual(windows[w - 1]!.end);
        }
        owners.forEach((owner, word) => {
          const first = firstSubwords[word]!;
          if (first === null) {
            expect(owner).toBeNull();
            return;
          }
          const window = windows[owner!.window]!;
          expect(window.start + owner!.offset).toBe(first);
          expect(owner!.offset).toBeGreaterThanOrEqual(0);
          expect(first).toBeLessThan(window.end);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('gives a word in an overlap to the window where it has more context', () => {
    // 10 one-subword words, room 4: windows [0,4) [2,6) [4,8) [6,10).
    const firstSubwords = Array.from({ length: 10 }, (_, i) => i);
    const { windows, owners } = planWindows(firstSubwords, 10, 4);
    expect(windows).toEqual([
      { start: 0, end: 4 },
      { start: 2, end: 6 },
      { start: 4, end: 8 },
      { start: 6, end: 10 },
    ]);
    expect(owners.map((owner) => owner!.window)).toEqual([0, 0, 0, 1, 1, 2, 2, 3, 3, 3]);
  });

  it('keeps a short document in one window', () => {
    expect(planWindows([0, 1, null, 2], 3, 126)).toEqual({
      windows: [{ start: 0, end: 3 }],
      owners: [
        { window: 0, offset: 0 },
        { window: 0, offset: 1 },
        null,
        { window: 0, offset: 2 },
      ],
    });
    expect(planWindows([], 0, 126).windows).toEqual([{ start: 0, end: 0 }]);
  });
});
