import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iobDoc } from './iobDoc.js';
import type { LineBlock } from './readLineBlocks.js';

// The line format read the plain way, field arrays and regular expressions: what iobDoc's scan must equal.
function referenceWordAndTag(line: string): { word: string; tag: string } | 'bad' {
  const fields = line.includes('\t') ? line.split('\t') : line.trim().split(/\s+/);
  const indexed = fields.length >= 3 && /^\d+$/.test(fields[0]!);
  const word = indexed ? fields[1]! : fields[0]!;
  const tag = indexed ? fields[2]! : fields[fields.length - 1]!;
  return fields.length < 2 || word === '' || !/^(O|[BIESLU]-.+)$/.test(tag) ? 'bad' : { word, tag };
}

const field = fc.oneof(
  fc.constantFrom('1', '12', '007', '', 'O', 'B-PER', 'I-LOC', 'S-X', 'E-', 'U-10', 'L-ORG', 'X-PER', 'B-', 'B-a\rb', 'B-\u2028', 'O\r'),
  fc.string({ unit: fc.constantFrom('a', '1', '-', 'B', 'O', 'é', '😀', ' ', '\u00a0'), maxLength: 5 }),
);
const line = fc.oneof(
  fc.array(field, { minLength: 1, maxLength: 6 }).map((fields) => fields.join('\t')),
  fc.array(field, { minLength: 1, maxLength: 6 }).map((fields) => fields.join(' ')),
  fc.array(field, { minLength: 1, maxLength: 4 }).map((fields) => ` ${fields.join('  \u3000')} `),
);

function readLines(lines: string[]): { words: string[]; tags: string[] } | 'bad' {
  const block: LineBlock = { offset: 0, lines: lines.map((text, i) => ({ offset: i, number: i + 1, text })) };
  try {
    const doc = iobDoc('t.iob2', [block]);
    return { words: doc.tokens.map((token) => token.text), tags: doc.tagSequences!.flat() };
  } catch {
    return 'bad';
  }
}

describe('iobDoc', () => {
  it('reads every line as splitting it into fields would: token, tag, or a bad line', () => {
    fc.assert(
      fc.property(line, (text) => {
        const expected = referenceWordAndTag(text);
        expect(readLines([text])).toEqual(expected === 'bad' ? 'bad' : { words: [expected.word], tags: [expected.tag] });
      }),
      { numRuns: 5_000 },
    );
  });

  it('marks sentence starts, counts offsets in code points and reads entities across sentences', () => {
    const doc = iobDoc('t.iob2', [
      { offset: 0, lines: [{ offset: 0, number: 1, text: '# newdoc id = d1' }, { offset: 17, number: 2, text: '1\t東京😀\tB-LOC' }] },
      { offset: 40, lines: [{ offset: 40, number: 4, text: 'York\tI-LOC' }, { offset: 50, number: 5, text: 'x\tS-PER' }] },
    ]);
    expect(doc.id).toBe('d1');
    expect(doc.text).toBe('東京😀 York x ');
    expect(doc.tokens.map((token) => [token.idx, token.length, token.sentStart, token.head])).toEqual([
      [0, 3, 1, 0],
      [4, 4, 1, 1],
      [9, 1, -1, 2],
    ]);
    expect(doc.tagSequences).toEqual([['B-LOC'], ['I-LOC', 'S-PER']]);
    // spaCy's Doc(ents=…): the I- continues the entity across the sentence boundary; S- begins one.
    expect(doc.ents).toEqual([
      { start: 0, end: 2, label: 'LOC' },
      { start: 2, end: 3, label: 'PER' },
    ]);
  });
});
