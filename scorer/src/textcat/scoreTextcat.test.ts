import { describe, expect, it } from 'vitest';
import { parseTextcatRecord } from '../corpus/textcatRecord.js';
import { oracleFixturePaths, orderedEntries, readOracleJson } from '../testing/oracleFixtures.js';
import type { PythonSummation } from '../summation/pythonSum.js';
import { scoreTextcat } from './scoreTextcat.js';
import type { TextcatOptions } from './textcatOptions.js';
import { initTextcatState } from './textcatState.js';
import { labelIndexOf, updateTextcat, type CatsEntries } from './updateTextcat.js';

interface OracleCase {
  name: string;
  options: { labels: string[]; multi_label: boolean; threshold: number | null; positive_label: string | null };
  docs: Array<{ gold: CatsEntries; pred: CatsEntries }>;
  expected?: Record<string, unknown>;
  error?: string;
}

interface OracleFixture {
  seed: number;
  python: string;
  spacy: string;
  macro_summation: PythonSummation;
  cases: OracleCase[];
}

function optionsOf(c: OracleCase, macroSummation: PythonSummation): TextcatOptions {
  return {
    labels: c.options.labels,
    multiLabel: c.options.multi_label,
    threshold: c.options.threshold,
    positiveLabel: c.options.positive_label,
    macroSummation,
  };
}

// The oracle's categories as a corpus line in their order, read back by the
// corpus reader: labels such as "10" must keep their place.
function throughJsonl(cats: CatsEntries): CatsEntries {
  const line = `{"text": "text", "cats": {${cats.map(([label, value]) => `${JSON.stringify(label)}: ${value}`).join(', ')}}}`;
  return parseTextcatRecord(Buffer.from(line), 'oracle.jsonl', 0).cats;
}

function singlePass(c: OracleCase, options: TextcatOptions) {
  const state = initTextcatState(options);
  const index = labelIndexOf(options);
  for (const doc of c.docs) updateTextcat(state, options, index, throughJsonl(doc.gold), throughJsonl(doc.pred));
  return scoreTextcat(state, options);
}

for (const path of oracleFixturePaths('textcat-oracle.json')) {
  const fixture = readOracleJson<OracleFixture>(path);
  describe(`score_cats against spaCy ${fixture.spacy} on Python ${fixture.python} (seed ${fixture.seed})`, () => {
    it.each(fixture.cases.map((c) => [c.name, c.docs.length, c] as const))('%s (%i docs)', (_name, _n, c) => {
      const options = optionsOf(c, fixture.macro_summation);
      if (c.error !== undefined) {
        expect(() => singlePass(c, options)).toThrow(/spaCy 3.8 raises/);
        return;
      }
      // Values and key order, the per-label maps in label order included.
      expect(orderedEntries(singlePass(c, options))).toEqual(orderedEntries(c.expected));
    });
  });
}
