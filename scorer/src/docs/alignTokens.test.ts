import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignByCharacters, alignTokens } from './alignTokens.js';

const tokenArbitrary = fc.string({ unit: fc.constantFrom('a', 'B', 'é', ' ', '\n', '😀', '.', 'İ'), minLength: 1, maxLength: 4 });

describe('alignTokens', () => {
  it('aligns identical tokenizations as the character walk does (the shortcut changes nothing)', () => {
    fc.assert(
      fc.property(fc.array(tokenArbitrary, { maxLength: 30 }), (tokens) => {
        const shortcut = alignTokens(tokens, [...tokens]);
        const walked = alignByCharacters(tokens, [...tokens]);
        expect([shortcut.x2y, shortcut.y2x]).toEqual([walked.x2y, walked.y2x]);
      }),
      { numRuns: 500 },
    );
  });

  it('still walks the characters when the tokenizations differ', () => {
    const aligned = alignTokens(['New York', 'is'], ['New', 'York', 'is']);
    expect(aligned.x2y).toEqual([[0, 1], [2]]);
    expect(aligned.y2x).toEqual([[0], [0], [1]]);
  });
});
