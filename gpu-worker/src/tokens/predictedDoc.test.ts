import { docFromJsonLine, type ScoredDoc } from '@evalshard/scorer';
import { describe, expect, it } from 'vitest';
import { checkLabelScheme, predictedDoc } from './predictedDoc.js';

// Two sentences of three words, with gold tag sequences as an IOB file has them.
function gold(): ScoredDoc {
  const doc = docFromJsonLine(
    '{"text": "Ann met Bob in New York", "tokens": [{"id":0,"start":0,"end":3},{"id":1,"start":4,"end":7},{"id":2,"start":8,"end":11},' +
      '{"id":3,"start":12,"end":14},{"id":4,"start":15,"end":18},{"id":5,"start":19,"end":23}], "sents": [{"start":0,"end":11},{"start":12,"end":23}]}',
    { file: 'gold.jsonl', byteOffset: 0, fallbackId: 'd0' },
  );
  return { ...doc, tagSequences: [['B-PER', 'O', 'B-PER'], ['O', 'B-LOC', 'I-LOC']] };
}

describe('predictedDoc', () => {
  it('reads each scheme to the same entities, keeping the labels as written for seqeval', () => {
    const cases = [
      ['IOB2', ['B-PER', 'O', 'B-PER', 'O', 'B-LOC', 'I-LOC']],
      ['BILOU', ['U-PER', 'O', 'U-PER', 'O', 'B-LOC', 'L-LOC']],
      ['IOBES', ['S-PER', 'O', 'S-PER', 'O', 'B-LOC', 'E-LOC']],
      ['plain', ['PER', 'O', 'PER', 'O', 'LOC', 'LOC']],
    ] as const;
    for (const [scheme, labels] of cases) {
      const doc = predictedDoc(gold(), labels, 'ents', scheme);
      expect(doc.ents, scheme).toEqual([
        { start: 0, end: 1, label: 'PER' },
        { start: 2, end: 3, label: 'PER' },
        { start: 4, end: 6, label: 'LOC' },
      ]);
      expect(doc.tokens.map((token) => token.entIob)).toEqual([3, 2, 3, 2, 3, 1]);
      const written = scheme === 'plain' ? ['B-PER', 'O', 'B-PER', 'O', 'B-LOC', 'I-LOC'] : labels;
      expect(doc.tagSequences, scheme).toEqual([written.slice(0, 3), written.slice(3)]);
    }
  });

  it('puts tags and UPOS on the gold words; a word without a prediction is left unannotated', () => {
    const doc = predictedDoc(gold(), ['PROPN', 'VERB', null, 'ADP', 'PROPN', 'PROPN'], 'pos', 'IOB2');
    expect(doc.tokens.map((token) => token.pos)).toEqual(['PROPN', 'VERB', null, 'ADP', 'PROPN', 'PROPN']);
    expect(doc.tokens.map((token) => token.tag)).toEqual([null, null, null, null, null, null]);
    expect(doc.tokens.map((token) => token.text)).toEqual(['Ann', 'met', 'Bob', 'in', 'New', 'York']);
    expect(doc.tagSequences).toBeNull();
  });
});

describe('checkLabelScheme', () => {
  it.each([
    [['O', 'B-PER', 'I-PER'], 'IOB2'],
    [['O', 'B-PER', 'I-PER', 'L-PER', 'U-PER'], 'BILOU'],
    [['O', 'S-X', 'E-X', 'B-X', 'I-X'], 'IOBES'],
    [['O', 'PER', 'LOC'], 'plain'],
  ] as const)('accepts %j as %s', (labels, scheme) => {
    expect(() => checkLabelScheme(labels, scheme, 'config.json')).not.toThrow();
  });

  it.each([
    [['O', 'PER'], 'IOB2', /label "PER" does not fit scheme IOB2 \(O or B\/I-TYPE\)/],
    [['O', 'L-PER'], 'IOB2', /label "L-PER" does not fit scheme IOB2/],
    [['O', 'B-PER'], 'plain', /label "B-PER" does not fit scheme plain \(plain labels are entity types or O\)/],
    [['O', 'U-PER'], 'IOBES', /label "U-PER" does not fit scheme IOBES/],
  ] as const)('refuses %j as %s, naming the label', (labels, scheme, message) => {
    expect(() => checkLabelScheme(labels, scheme, 'config.json')).toThrow(message);
  });
});
