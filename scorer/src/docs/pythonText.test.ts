import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodePointText, isSpaceCodePoint, pyIsSpace, pyStrip, withoutSpace } from './pythonText.js';

// The definitions code point by code point: what the regular expressions and the shortcuts must equal.
const chars = (text: string) => [...text];
const space = (char: string) => isSpaceCodePoint(char.codePointAt(0)!);
const reference = {
  isSpace: (text: string) => text.length > 0 && chars(text).every(space),
  strip: (text: string) => {
    const all = chars(text);
    let start = 0;
    let end = all.length;
    while (start < end && space(all[start]!)) start++;
    while (end > start && space(all[end - 1]!)) end--;
    return all.slice(start, end).join('');
  },
  withoutSpace: (text: string) => chars(text).filter((char) => !space(char)).join(''),
};

const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom(' ', '\t', '\n', '\r', '\u000b', '\u001c', '\u0085', '\u00a0', '\u2028', '\u3000', '\u200b', '\ufeff', 'a', 'é', '😀'),
    fc.constantFrom('\ud800', '\udc00'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
});

describe('pythonText', () => {
  it('takes every UTF-16 unit for whitespace exactly when str.isspace() does', () => {
    for (let unit = 0; unit <= 0xffff; unit++) {
      const char = String.fromCharCode(unit);
      expect(pyIsSpace(char), `U+${unit.toString(16)}`).toBe(isSpaceCodePoint(unit));
    }
  });

  it('strips, removes and tests whitespace as the code point definitions do', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(pyIsSpace(value)).toBe(reference.isSpace(value));
        expect(pyStrip(value)).toBe(reference.strip(value));
        expect(withoutSpace(value)).toBe(reference.withoutSpace(value));
      }),
      { numRuns: 5_000 },
    );
  });

  it('slices and searches by code points, with or without surrogates', () => {
    fc.assert(
      fc.property(text, fc.nat(14), fc.nat(14), (value, a, b) => {
        const points = chars(value);
        const indexed = new CodePointText(value);
        const [start, end] = [Math.min(a, b, points.length), Math.min(Math.max(a, b), points.length)];
        expect(indexed.length).toBe(points.length);
        expect(indexed.slice(start, end)).toBe(points.slice(start, end).join(''));
        const needlePoints = points.slice(end, end + 2);
        const needle = needlePoints.join('');
        if (needle !== '') {
          const found = points.findIndex((_, i) => i >= start && needlePoints.every((point, k) => points[i + k] === point));
          expect(indexed.indexOf(needle, start)).toBe(found === -1 ? -1 : found);
        }
        if (start < points.length) expect(indexed.codePointAt(start)).toBe(points[start]!.codePointAt(0));
      }),
      { numRuns: 5_000 },
    );
    // A lone surrogate is its own code point, never half of a pair, as in Python.
    expect(new CodePointText('\u{10000}x\ud800').indexOf('\ud800', 0)).toBe(2);
    expect(new CodePointText('\u{10000}x\udc00').indexOf('\udc00', 0)).toBe(2);
  });
});
