import { describe, expect, it } from 'vitest';
import { docFromJsonLine } from '../docs/docFromJson.js';
import { finalizeMetricStates, initMetricStates, updateMetricStates } from '../metricStates.js';
import type { ScorerOptions } from '../scorerOptions.js';
import { oracleFixturePaths, orderedEntries, readOracleJson } from '../testing/oracleFixtures.js';
import { ScoringExample } from './scoringExample.js';

interface DocsOracleCase {
  name: string;
  pipeline: string[];
  families: string[];
  cats: { labels: string[]; multi_label: boolean } | null;
  /** JSON lines as spaCy's to_json writes them (category order included). */
  docs: Array<{ gold: string; pred: string }>;
  expected?: Record<string, unknown>;
  error?: string;
}

interface DocsOracle {
  seed: number;
  python: string;
  spacy: string;
  cases: DocsOracleCase[];
}

// spaCy lists these labels as it first meets them (for entities and spans in
// Python's hash order); evalshard sorts them.
const UNORDERED = (key: string) => /^(ents|spans_.+)_per_type$|^dep_las_per_type$|^morph_per_feat$/.test(key);

function optionsOf(c: DocsOracleCase): ScorerOptions {
  const options: ScorerOptions = { families: c.families };
  if (c.cats !== null) {
    options.textcat = {
      labels: c.cats.labels,
      multiLabel: c.cats.multi_label,
      threshold: null,
      positiveLabel: null,
      macroSummation: 'compensated',
    };
  }
  return options;
}

function score(c: DocsOracleCase, macroSummation: 'compensated' | 'plain'): Record<string, unknown> {
  const options = optionsOf(c);
  if (options.textcat !== undefined) options.textcat.macroSummation = macroSummation;
  const states = initMetricStates(options);
  c.docs.forEach((pair, i) => {
    const read = (line: string, file: string) => docFromJsonLine(line, { file, byteOffset: 0, fallbackId: String(i) });
    updateMetricStates(states, new ScoringExample(read(pair.gold, `${c.name}.gold`), read(pair.pred, `${c.name}.pred`)));
  });
  return finalizeMetricStates(states);
}

for (const path of oracleFixturePaths('docs-oracle.json')) {
  const fixture = readOracleJson<DocsOracle>(path);
  // Python's sum() of floats: compensated from 3.12 on.
  const [major, minor] = fixture.python.split('.').map(Number) as [number, number];
  const summation = major > 3 || (major === 3 && minor >= 12) ? 'compensated' : 'plain';
  describe(`Scorer(nlp).score against spaCy ${fixture.spacy} on Python ${fixture.python} (seed ${fixture.seed})`, () => {
    it.each(fixture.cases.map((c) => [c.name, c.docs.length, c.pipeline.join(','), c] as const))(
      '%s (%i documents; %s)',
      (_name, _n, _pipeline, c) => {
        if (c.error !== undefined) {
          expect(() => score(c, summation)).toThrow();
          return;
        }
        const scores = score(c, summation);
        // Values and every key's position, label maps included.
        expect(orderedEntries(scores, UNORDERED)).toEqual(orderedEntries(c.expected, UNORDERED));
      },
    );
  });
}
