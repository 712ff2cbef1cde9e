import type { PartialScore } from '@evalshard/proto';
import { describe, expect, it } from 'vitest';
import { encodeMetricStates, initMetricStates, textcatStateOf } from '../metricStates.js';
import { encodeScorerOptions, scorerDigest, type ScorerOptions } from '../scorerOptions.js';
import { labelIndexOf, updateTextcat } from '../textcat/updateTextcat.js';
import { finalizeRun } from './finalizeRun.js';
import { PartialStore } from './partialStore.js';

const options: ScorerOptions = {
  textcat: { labels: ['ham', 'spam'], multiLabel: false, threshold: null, positiveLabel: 'spam', macroSummation: 'plain' },
};
const digests = { model: 'm'.repeat(64), corpus: 'c'.repeat(64), scorer: scorerDigest(options) };

function openStore(shardCount: number): PartialStore {
  const store = new PartialStore(':memory:');
  store.openRun({ runId: 'run-1', shardCount, digests, scorer: encodeScorerOptions(options) });
  return store;
}

function partial(shardIndex: number, spamScore: number): PartialScore {
  const states = initMetricStates(options);
  const state = textcatStateOf(states)!;
  updateTextcat(state, options.textcat!, labelIndexOf(options.textcat!), [['spam', 1], ['ham', 0]], [
    ['ham', 1 - spamScore],
    ['spam', spamScore],
  ]);
  return {
    runId: 'run-1',
    shardIndex,
    digests,
    docs: 1,
    tokens: 10,
    bytes: 100,
    skippedCount: 0,
    skipped: [],
    states: encodeMetricStates(states),
  };
}

describe('PartialStore', () => {
  it('stores a shard once: the same partial again is a duplicate and counts once', () => {
    const store = openStore(1);
    expect(store.submit(partial(0, 0.9), undefined).outcome).toBe('stored');
    expect(store.submit(partial(0, 0.9), undefined).outcome).toBe('duplicate');
    const report = finalizeRun(store, 'run-1', 10);
    expect(report.docs).toBe(1);
    expect(JSON.parse(report.scoresJson).cats_f_per_type.spam).toEqual({ p: 1, r: 1, f: 1 });
  });

  it('keeps a different partial for a stored shard out and reports it', () => {
    const store = openStore(1);
    const first = store.submit(partial(0, 0.9), undefined);
    const second = store.submit(partial(0, 0.1), undefined);
    expect(second).toMatchObject({ outcome: 'conflict', storedDigest: first.digest });
    const report = finalizeRun(store, 'run-1', 10);
    expect(report.conflicts).toEqual([{ shardIndex: 0, storedDigest: first.digest, rejectedDigest: second.digest }]);
    expect(JSON.parse(report.scoresJson).cats_f_per_type.spam.f).toBe(1);
  });

  it('refuses to finalize while planned shards are missing, naming them', () => {
    const store = openStore(6);
    store.submit(partial(0, 0.9), undefined);
    store.submit(partial(2, 0.9), undefined);
    expect(() => finalizeRun(store, 'run-1', 10)).toThrow('run run-1 is missing 4 of 6 shards: 1, 3-5');
  });

  it('refuses to reopen a run with a different plan', () => {
    const store = openStore(2);
    expect(store.openRun({ runId: 'run-1', shardCount: 2, digests, scorer: encodeScorerOptions(options) })).toBe(true);
    expect(() =>
      store.openRun({ runId: 'run-1', shardCount: 3, digests: { ...digests, corpus: 'd'.repeat(64) }, scorer: encodeScorerOptions(options) }),
    ).toThrow(/different plan \(shards 2 vs 3; corpus digest cccccccccccc vs dddddddddddd\)/);
  });
});
