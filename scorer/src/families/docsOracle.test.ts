import { describe, expect, it } from 'vitest';
import { docFromJson } from '../docs/docFromJson.js';
import { finalizeMetricStates, initMetricStates, updateMetricStates } from '../metricStates.js';
import type { ScorerOptions } from '../scorerOptions.js';
import { oracleFixturePaths, readOracleJson } from '../testing/oracleFixtures.js';
import { ScoringExample } from './scoringExample.js';

interface DocsOracleCase {
  name: string;
  docs: Array<{ gold: unknown; pred: unknown }>;
  expected?: Record<string, unknown>;
  error?: string;
}

interface DocsOracle {
  seed: number;
  python: string;
  spacy: string;
  cases: DocsOracleCase[];
}

/** The families of the oracle's pipeline: senter, tagger, morphologizer, parser, ner, lemmatizer, spancat. */
const OPTIONS: ScorerOptions = {
  families: ['tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'deps', 'ents', 'lemma', 'spans:sc'],
};

function score(c: DocsOracleCase): Record<string, unknown> {
  const states = initMetricStates(OPTIONS);
  c.docs.forEach((pair, i) => {
    const gold = docFromJson(pair.gold, { file: `${c.name}.gold`, byteOffset: 0, fallbackId: String(i) });
    const predicted = docFromJson(pair.pred, { file: `${c.name}.pred`, byteOffset: 0, fallbackId: String(i) });
    updateMetricStates(states, new ScoringExample(gold, predicted));
  });
  return finalizeMetricStates(states);
}

for (const path of oracleFixturePaths('docs-oracle.json')) {
  const fixture = readOracleJson<DocsOracle>(path);
  describe(`Scorer(nlp).score against spaCy ${fixture.spacy} on Python ${fixture.python} (seed ${fixture.seed})`, () => {
    it.each(fixture.cases.map((c) => [c.name, c.docs.length, c] as const))('%s (%i documents)', (_name, _n, c) => {
      if (c.error !== undefined) {
        expect(() => score(c)).toThrow();
        return;
      }
      const scores = score(c);
      expect(scores).toEqual(c.expected);
      expect(Object.keys(scores)).toEqual(Object.keys(c.expected!));
    });
  });
}
