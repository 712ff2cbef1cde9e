import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScoredDoc } from '../docs/scoredDoc.js';
import { ScoringExample } from '../families/scoringExample.js';
import { PrfMap } from '../prf/prfMap.js';
import { oracleFixturePaths, readOracleJson } from '../testing/oracleFixtures.js';
import { seqevalFamily, type SeqevalOptions } from './seqevalFamily.js';
import type { TagScheme } from './strictChunks.js';

interface SeqevalOracle {
  cases: Array<{ mode: 'default' | 'strict'; scheme: TagScheme | null; docs: Array<{ gold: string[][]; pred: string[][] }>; error?: string }>;
}

const doc = (id: string, tagSequences: string[][]): ScoredDoc => ({
  id,
  text: '',
  tokens: [],
  ents: [],
  spans: new Map(),
  cats: [],
  hasUnknownSpaces: true,
  tagSequences,
});

// Every document of the committed fixture's cases that seqeval accepts, by mode and scheme.
const fixture = readOracleJson<SeqevalOracle>(oracleFixturePaths('seqeval-oracle.json')[0]!);
const groups = new Map<string, { options: SeqevalOptions; examples: ScoringExample[] }>();
fixture.cases
  .filter((c) => c.error === undefined)
  .forEach((c, n) => {
    const key = `${c.mode} ${c.scheme ?? ''}`;
    const group = groups.get(key) ?? { options: { mode: c.mode, scheme: c.scheme, zeroDivision: 0 }, examples: [] };
    groups.set(key, group);
    c.docs.forEach((pair, i) => group.examples.push(new ScoringExample(doc(`${n}.${i}`, pair.gold), doc(`${n}.${i}`, pair.pred))));
  });

describe('seqeval states merge to the single-pass report', () => {
  it.each([...groups.entries()].map(([key, group]) => [key, group.examples.length, group] as const))(
    '%s (%i documents), any sharding and merge tree',
    (_key, _n, group) => {
      const family = seqevalFamily(group.options);
      const fold = (examples: ScoringExample[]) => {
        const state = family.init();
        for (const example of examples) family.update(state, example);
        return PrfMap.fromEntries(family.encode(state).counts!);
      };
      const expected = family.finalize(fold(group.examples));
      fc.assert(
        fc.property(fc.array(fc.nat(group.examples.length), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (rawCuts, picks) => {
          const cuts = [...new Set([0, ...rawCuts, group.examples.length])].sort((a, b) => a - b);
          const pending = cuts.slice(1).map((end, i) => fold(group.examples.slice(cuts[i], end)));
          let pick = 0;
          while (pending.length > 1) {
            const i = (picks[pick++ % Math.max(1, picks.length)] ?? 0) % (pending.length - 1);
            pending.splice(i, 2, family.merge(pending[i]!, pending[i + 1]!));
          }
          expect(family.finalize(pending[0] ?? family.init())).toEqual(expected);
        }),
        { numRuns: 50 },
      );
    },
  );
});
