import { docFromJsonLine } from '../docs/docFromJson.js';
import { ScoringExample } from '../families/scoringExample.js';
import { oracleFixturePaths, readOracleJson } from './oracleFixtures.js';

interface DocsOracle {
  cases: Array<{ name: string; docs: Array<{ gold: string; pred: string }>; error?: string }>;
}

/** Every document pair of the committed docs oracle fixture, as one stream of scoring examples. */
export function oracleDocExamples(): ScoringExample[] {
  const fixture = readOracleJson<DocsOracle>(oracleFixturePaths('docs-oracle.json')[0]!);
  return fixture.cases
    .filter((c) => c.error === undefined)
    .flatMap((c) =>
      c.docs.map((pair, i) => {
        const origin = (side: string) => ({ file: `${c.name}.${side}`, byteOffset: 0, fallbackId: String(i) });
        return new ScoringExample(docFromJsonLine(pair.gold, origin('gold')), docFromJsonLine(pair.pred, origin('pred')));
      }),
    );
}
