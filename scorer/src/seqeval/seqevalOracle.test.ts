import { describe, expect, it } from 'vitest';
import type { ScoredDoc } from '../docs/scoredDoc.js';
import { ScoringExample } from '../families/scoringExample.js';
import { oracleFixturePaths, orderedEntries, readOracleJson } from '../testing/oracleFixtures.js';
import { seqevalFamily } from './seqevalFamily.js';
import type { TagScheme } from './strictChunks.js';

interface SeqevalCase {
  name: string;
  mode: 'default' | 'strict';
  scheme: TagScheme | null;
  docs: Array<{ gold: string[][]; pred: string[][] }>;
  expected?: Record<string, unknown>;
  error?: string;
}

interface SeqevalOracle {
  seed: number;
  python: string;
  seqeval: string;
  cases: SeqevalCase[];
}

function taggedDoc(id: string, tagSequences: string[][]): ScoredDoc {
  return { id, text: '', tokens: [], ents: [], spans: new Map(), cats: [], hasUnknownSpaces: true, tagSequences };
}

function score(c: SeqevalCase): Record<string, unknown> {
  const family = seqevalFamily({ mode: c.mode, scheme: c.scheme, zeroDivision: 0 });
  const state = family.init();
  c.docs.forEach((doc, i) => family.update(state, new ScoringExample(taggedDoc(`${i}`, doc.gold), taggedDoc(`${i}`, doc.pred))));
  return family.finalize(state);
}

for (const path of oracleFixturePaths('seqeval-oracle.json')) {
  const fixture = readOracleJson<SeqevalOracle>(path);
  describe(`classification_report against seqeval ${fixture.seqeval} on Python ${fixture.python} (seed ${fixture.seed})`, () => {
    it.each(fixture.cases.map((c) => [c.name, c.mode, c.scheme ?? '', c] as const))('%s (%s %s)', (_n, _m, _s, c) => {
      if (c.error !== undefined) {
        expect(() => score(c)).toThrow(/invalid tag|has no IOB prefix/);
        return;
      }
      // Per-type maps in seqeval's (sorted) order, types like "10" included.
      expect(orderedEntries(score(c))).toEqual(orderedEntries(c.expected));
    });
  });
}
