import { describe, expect, it } from 'vitest';
import { documentPass } from '../documentPass.js';
import { finalizeMetricStates } from '../metricStates.js';
import type { ScorerOptions } from '../scorerOptions.js';
import { expectSameAsDocuments, jsonLines, nativePassFiles } from '../testing/nativePassCheck.js';
import { oracleFixturePaths, orderedEntries, readOracleJson } from '../testing/oracleFixtures.js';
import { nativeDocPass, nativeDocPassBinary } from './nativeDocPass.js';

// The native pass against spaCy's own scores (the docs oracle, committed and
// fresh) and against the document pass, which it must equal state for state
// wherever it does not give the files back to it.

interface DocsOracleCase {
  name: string;
  families: string[];
  cats: { labels: string[]; multi_label: boolean } | null;
  docs: Array<{ gold: string; pred: string }>;
  expected?: Record<string, unknown>;
  error?: string;
}

const writeFiles = nativePassFiles();

// spaCy lists these labels as it first meets them; evalshard sorts them (docsOracle.test.ts).
const UNORDERED = (key: string) => /^(ents|spans_.+)_per_type$|^dep_las_per_type$|^morph_per_feat$/.test(key);

describe('the native JSONL document pass', () => {
  it('is built: npm run build builds it with cargo', () => {
    expect(nativeDocPassBinary(), 'scorer/native/target/release/evalshard-docpass is missing: run npm run build').toBeDefined();
  });

  for (const path of oracleFixturePaths('docs-oracle.json')) {
    const fixture = readOracleJson<{ seed: number; cases: DocsOracleCase[] }>(path);
    describe(`the docs oracle (seed ${fixture.seed})`, () => {
      it.each(fixture.cases.map((c) => [c.name, c] as const))('%s: spaCy\'s scores and the document pass\'s states, or refused as both refuse', async (_name, c) => {
        const files = writeFiles(jsonLines(c.docs.map((pair) => pair.gold)), jsonLines(c.docs.map((pair) => pair.pred)));
        const options: ScorerOptions = { families: c.families };
        if (c.cats !== null) {
          options.textcat = { labels: c.cats.labels, multiLabel: c.cats.multi_label, threshold: null, positiveLabel: null, macroSummation: 'compensated' };
          // Categories are not native: the document pass scores them.
          expect(await nativeDocPass(files.gold, files.predicted, options)).toBeNull();
          return;
        }
        if (c.error !== undefined) {
          expect(await nativeDocPass(files.gold, files.predicted, options)).toBeNull();
          await expect(documentPass(files.gold, files.predicted, 'jsonl', options)).rejects.toThrow();
          return;
        }
        const states = await expectSameAsDocuments(files, options);
        expect(orderedEntries(finalizeMetricStates(states), UNORDERED)).toEqual(orderedEntries(c.expected, UNORDERED));
      });

      it('every case in one file: spaCy\'s missing dependency indices carry across documents; both deps modes; spans with and without overlap', async () => {
        const cases = fixture.cases.filter((c) => c.error === undefined);
        const files = writeFiles(jsonLines(cases.flatMap((c) => c.docs.map((pair) => pair.gold))), jsonLines(cases.flatMap((c) => c.docs.map((pair) => pair.pred))));
        const families = ['tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'deps', 'ents', 'lemma', 'spans:sc', 'spans:2', 'spans:10'];
        await expectSameAsDocuments(files, { families });
        await expectSameAsDocuments(files, {
          families,
          depsMissingIndices: 'per-example',
          spanGroups: [
            { key: 'sc', allowOverlap: false },
            { key: '10', allowOverlap: false },
          ],
        });
        await expectSameAsDocuments(files, { families: ['ents'] });
        await expectSameAsDocuments(files, { families: ['sents', 'spans:2'] });
      });
    });
  }
});
