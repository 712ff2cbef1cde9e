import fc from 'fast-check';
import { MetricStates as MetricStatesMessage } from '@evalshard/proto';
import { describe, expect, it } from 'vitest';
import {
  decodeMetricStates,
  encodeMetricStates,
  finalizeMetricStates,
  initMetricStates,
  mergeMetricStates,
  updateMetricStates,
  type MetricStates,
} from '../metricStates.js';
import type { ScorerOptions } from '../scorerOptions.js';
import { oracleDocExamples } from '../testing/oracleExamples.js';
import { orderedEntries } from '../testing/oracleFixtures.js';
import type { ScoringExample } from './scoringExample.js';

const examples = oracleDocExamples();

const FAMILIES = [
  'tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'deps', 'ents', 'lemma', 'spans:10', 'spans:sc', 'spans:2',
];
// Every category label of the oracle, in an order that JavaScript objects would not keep.
const CATS = {
  labels: ['10', 'POS', '1', 'neg', '0', 'Ü'],
  multiLabel: false,
  threshold: null,
  positiveLabel: null,
  macroSummation: 'compensated',
} as const;

function fold(options: ScorerOptions, stream: readonly ScoringExample[]): MetricStates {
  const states = initMetricStates(options);
  for (const example of stream) updateMetricStates(states, example);
  return states;
}

function overTheWire(states: MetricStates, options: ScorerOptions): MetricStates {
  const bytes = MetricStatesMessage.encode(encodeMetricStates(states)).finish();
  return decodeMetricStates(MetricStatesMessage.decode(bytes), options);
}

// Merges adjacent shards, left before right, in a random order: any merge tree over ordered shards.
function mergeInRandomTree(states: MetricStates[], picks: number[]): MetricStates {
  const pending = [...states];
  let pick = 0;
  while (pending.length > 1) {
    const i = (picks[pick++ % Math.max(1, picks.length)] ?? 0) % (pending.length - 1);
    pending.splice(i, 2, mergeMetricStates(pending[i]!, pending[i + 1]!));
  }
  return pending[0]!;
}

describe('every document family merges to the single-pass result', () => {
  it.each([['reference'], ['per-example']] as const)(
    'for any contiguous sharding and any merge tree (deps missing indices: %s)',
    (depsMissingIndices) => {
      const options: ScorerOptions = { families: FAMILIES, depsMissingIndices, textcat: { ...CATS, labels: [...CATS.labels] } };
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: examples.length }),
          fc.integer({ min: 1, max: examples.length }),
          fc.array(fc.nat(), { maxLength: 12 }),
          fc.array(fc.nat(), { maxLength: 24 }),
          (offset, length, rawCuts, picks) => {
            const stream = examples.slice(offset, offset + length);
            const cuts = [...new Set([0, ...rawCuts.map((c) => c % (stream.length + 1)), stream.length])].sort((a, b) => a - b);
            const shards = cuts.slice(1).map((end, i) => overTheWire(fold(options, stream.slice(cuts[i], end)), options));
            if (shards.length === 0) shards.push(fold(options, []));
            const expected = finalizeMetricStates(fold(options, stream));
            // Values and the order of every key and label.
            expect(orderedEntries(finalizeMetricStates(mergeInRandomTree(shards, picks)))).toEqual(orderedEntries(expected));
          },
        ),
        { numRuns: 100 },
      );
    },
  );

  it('gives the same bootstrap intervals for any sharding', () => {
    const options: ScorerOptions = { families: FAMILIES, bootstrap: { replicates: 25, seed: 11, confidence: 0.95 } };
    const stream = examples.slice(0, 300);
    const expected = finalizeMetricStates(fold(options, stream));
    expect(expected.dep_las_ci).toHaveLength(2);
    const [low, high] = expected.tag_acc_ci as [number, number];
    expect(low).toBeLessThanOrEqual(expected.tag_acc as number);
    expect(high).toBeGreaterThanOrEqual(expected.tag_acc as number);
    fc.assert(
      fc.property(fc.array(fc.nat(300), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (rawCuts, picks) => {
        const cuts = [...new Set([0, ...rawCuts, stream.length])].sort((a, b) => a - b);
        const shards = cuts.slice(1).map((end, i) => overTheWire(fold(options, stream.slice(cuts[i], end)), options));
        expect(finalizeMetricStates(mergeInRandomTree(shards, picks))).toEqual(expected);
      }),
      { numRuns: 10 },
    );
  });

  it('differs from the reference once the per-document correction is asked for', () => {
    const reference = finalizeMetricStates(fold({ families: ['deps'] }, examples));
    const corrected = finalizeMetricStates(fold({ families: ['deps'], depsMissingIndices: 'per-example' }, examples));
    expect(corrected.dep_las).not.toBe(reference.dep_las);
  });
});
