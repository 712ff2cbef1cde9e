import type { PartialScore } from '@evalshard/proto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMetricStates, finalizeMetricStates, initMetricStates, mergeMetricStates, foldTextcat } from '../metricStates.js';
import { stringifyJson } from '../json/orderedJson.js';
import { encodeScorerOptions, scorerDigest, type ScorerOptions } from '../scorerOptions.js';
import { labelIndexOf, updateTextcat } from '../textcat/updateTextcat.js';
import { BLOCK_SHARDS, finalizeRun, foldCompletedBlock } from './finalizeRun.js';
import { PartialStore } from './partialStore.js';

// Three labels, a bootstrap: the states whose merge is most order-sensitive (first-seen labels, AUC ties, replicates).
const options: ScorerOptions = {
  textcat: { labels: ['0', 'b', 'a'], multiLabel: false, threshold: null, positiveLabel: null, macroSummation: 'compensated' },
  bootstrap: { replicates: 3, seed: 7, confidence: 0.95 },
};
const digests = { model: 'm'.repeat(64), corpus: 'c'.repeat(64), scorer: scorerDigest(options) };

function partial(shardIndex: number, docs: Array<{ gold: number; scores: [number, number, number] }>): PartialScore {
  const states = initMetricStates(options);
  const textcat = options.textcat!;
  for (const [k, doc] of docs.entries()) {
    const gold = textcat.labels.map((label, i): [string, number] => [label, i === doc.gold ? 1 : 0]);
    const predicted = textcat.labels.map((label, i): [string, number] => [label, doc.scores[i]!]);
    foldTextcat(states, `doc-${shardIndex}-${k}`, (state) => updateTextcat(state, textcat, labelIndexOf(textcat), gold, predicted));
  }
  return {
    runId: 'run',
    shardIndex,
    digests,
    docs: docs.length,
    tokens: docs.length * 3,
    bytes: docs.length * 10,
    skippedCount: shardIndex % 7 === 0 ? 1 : 0,
    skipped: shardIndex % 7 === 0 ? [{ file: 'corpus.jsonl', byteOffset: shardIndex, reason: `bad record in shard ${shardIndex}` }] : [],
    states: encodeMetricStates(states),
  };
}

// Scores from a coarse grid, so that ties (and equal AUC thresholds) are common.
const docArbitrary = fc.record({
  gold: fc.integer({ min: 0, max: 2 }),
  scores: fc.tuple(...[0, 1, 2].map(() => fc.integer({ min: 0, max: 4 }).map((n) => n / 4))) as fc.Arbitrary<[number, number, number]>,
});

describe('finalizeRun with blocks merged ahead', () => {
  it('gives the same bits as merging every partial at finalize, and as one state over all documents', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 * BLOCK_SHARDS + 5 }),
        fc.array(fc.array(docArbitrary, { maxLength: 3 }), { minLength: 1, maxLength: 40 }),
        fc.integer(),
        (shardCount, shapes, seed) => {
          const partials = Array.from({ length: shardCount }, (_, i) => partial(i, shapes[i % shapes.length]!));
          const plain = new PartialStore(':memory:', { durable: false });
          const folded = new PartialStore(':memory:', { durable: false });
          for (const store of [plain, folded]) store.openRun({ runId: 'run', shardCount, digests, scorer: encodeScorerOptions(options) });
          // Submission in a shuffled order, as workers finish; blocks merge as they complete.
          const order = partials.map((_, i) => i).sort((a, b) => ((a * 2654435761) ^ seed) % 1009 - ((b * 2654435761) ^ seed) % 1009);
          for (const i of order) {
            plain.submit(partials[i]!, undefined);
            folded.submit(partials[i]!, undefined);
            foldCompletedBlock(folded, 'run', i);
          }
          const a = finalizeRun(plain, 'run', 50);
          const b = finalizeRun(folded, 'run', 50);
          expect({ ...b, finalizeMs: 0 }).toEqual({ ...a, finalizeMs: 0 });
          expect(a.skipped.map((record) => record.byteOffset)).toEqual(
            partials.filter((p) => p.skippedCount > 0).slice(0, 50).map((p) => p.shardIndex),
          );
          // And one pass: every document folded into one state, in shard order.
          const one = initMetricStates(options);
          partials.forEach((p, i) => {
            const states = initMetricStates(options);
            for (const [k, doc] of shapes[i % shapes.length]!.entries()) {
              const textcat = options.textcat!;
              const gold = textcat.labels.map((label, j): [string, number] => [label, j === doc.gold ? 1 : 0]);
              const predicted = textcat.labels.map((label, j): [string, number] => [label, doc.scores[j]!]);
              foldTextcat(states, `doc-${p.shardIndex}-${k}`, (state) => updateTextcat(state, textcat, labelIndexOf(textcat), gold, predicted));
            }
            mergeMetricStates(one, states);
          });
          if (a.docs > 0) expect(a.scoresJson).toBe(stringifyJson(finalizeMetricStates(one)));
        },
      ),
      { numRuns: 8 },
    );
  });
});
