import fc from 'fast-check';
import { MetricStates as MetricStatesMessage } from '@evalshard/proto';
import { describe, expect, it } from 'vitest';
import type { ScoringExample } from '../families/scoringExample.js';
import {
  decodeMetricStates,
  encodeMetricStates,
  finalizeMetricStates,
  initMetricStates,
  mergeMetricStates,
  updateMetricStates,
  type MetricStates,
} from '../metricStates.js';
import { OrderedMerge } from '../orderedMerge.js';
import type { ScorerOptions } from '../scorerOptions.js';
import { oracleDocExamples } from '../testing/oracleExamples.js';
import { orderedEntries } from '../testing/oracleFixtures.js';
import { EncodedStatesMerge } from './encodedStatesMerge.js';

const examples = oracleDocExamples();

const OPTIONS: ScorerOptions = {
  families: ['tokenization', 'sents', 'tag', 'pos', 'morph', 'morph_per_feat', 'deps', 'ents', 'lemma', 'spans:10', 'spans:sc', 'cats'],
  textcat: { labels: ['10', 'POS', '1', 'neg', '0', 'Ü'], multiLabel: false, threshold: null, positiveLabel: null, macroSummation: 'compensated' },
};

function encodedShard(options: ScorerOptions, stream: readonly ScoringExample[]): Uint8Array {
  const states = initMetricStates(options);
  for (const example of stream) updateMetricStates(states, example);
  return MetricStatesMessage.encode(encodeMetricStates(states)).finish();
}

// What the scorer did before: decode every partial to objects and merge them in order.
function decodedMerge(shards: Uint8Array[], options: ScorerOptions): MetricStates {
  const merger = new OrderedMerge<MetricStates>(mergeMetricStates);
  for (const bytes of shards) merger.push(decodeMetricStates(MetricStatesMessage.decode(bytes), options));
  return merger.result()!;
}

function shardsOf(options: ScorerOptions, stream: readonly ScoringExample[], rawCuts: number[]): Uint8Array[] {
  const cuts = [...new Set([0, ...rawCuts.map((c) => c % (stream.length + 1)), stream.length])].sort((a, b) => a - b);
  const shards = cuts.slice(1).map((end, i) => encodedShard(options, stream.slice(cuts[i], end)));
  // An empty stream is one empty shard.
  return shards.length > 0 ? shards : [encodedShard(options, [])];
}

describe('EncodedStatesMerge', () => {
  it.each([['reference'], ['per-example']] as const)('equals decoding and merging every partial, state for state, for any sharding (deps missing indices: %s)', (depsMissingIndices) => {
    const options: ScorerOptions = { ...OPTIONS, depsMissingIndices };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: examples.length }),
        fc.integer({ min: 1, max: examples.length }),
        fc.array(fc.nat(), { maxLength: 16 }),
        (offset, length, rawCuts) => {
          const shards = shardsOf(options, examples.slice(offset, offset + length), rawCuts);
          const merge = new EncodedStatesMerge(options);
          for (const bytes of shards) merge.push(bytes);
          const merged = merge.result()!;
          const expected = decodedMerge(shards, options);
          expect(encodeMetricStates(merged)).toEqual(encodeMetricStates(expected));
          expect(orderedEntries(finalizeMetricStates(merged))).toEqual(orderedEntries(finalizeMetricStates(expected)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('merges bootstrap replicates the same way', () => {
    const options: ScorerOptions = { ...OPTIONS, bootstrap: { replicates: 7, seed: 3, confidence: 0.9 } };
    fc.assert(
      fc.property(fc.array(fc.nat(200), { maxLength: 6 }), (rawCuts) => {
        const shards = shardsOf(options, examples.slice(0, 200), rawCuts);
        const merge = new EncodedStatesMerge(options);
        for (const bytes of shards) merge.push(bytes);
        expect(finalizeMetricStates(merge.result()!)).toEqual(finalizeMetricStates(decodedMerge(shards, options)));
        expect(encodeMetricStates(merge.result()!)).toEqual(encodeMetricStates(decodedMerge(shards, options)));
      }),
      { numRuns: 8 },
    );
  });

  it('refuses a partial of other families or replicates, and keeps what it had', () => {
    const merge = new EncodedStatesMerge(OPTIONS);
    const first = encodedShard(OPTIONS, examples.slice(0, 20));
    merge.push(first);
    expect(() => merge.push(encodedShard({ families: ['tag', 'pos'] }, examples.slice(20, 40)))).toThrow(
      /carries states for \[tag, pos\] but the run scores \[tokenization, tag, pos, /,
    );
    // As many families, a name of the same length: compared byte for byte, not by length.
    const tagOnly = new EncodedStatesMerge({ families: ['tag'] });
    expect(() => tagOnly.push(encodedShard({ families: ['pos'] }, examples.slice(20, 40)))).toThrow(/carries states for \[pos\] but the run scores \[tag\]/);
    expect(() => merge.push(encodedShard({ ...OPTIONS, bootstrap: { replicates: 2, seed: 1, confidence: 0.9 } }, examples.slice(20, 40)))).toThrow(
      /carries 2 bootstrap replicates but the run asks for 0/,
    );
    const alone = new EncodedStatesMerge(OPTIONS);
    alone.push(first);
    expect(encodeMetricStates(merge.result()!)).toEqual(encodeMetricStates(alone.result()!));
  });

  it('has nothing to give before a push', () => {
    expect(new EncodedStatesMerge(OPTIONS).result()).toBeUndefined();
  });
});
