import type { ListRunsRequest, RunEntry } from '@evalshard/proto';
import { InputError } from '@evalshard/scorer';
import { describe, expect, it } from 'vitest';
import type { ScorerClient } from '../grpc/scorerClient.js';
import type { GateSpec } from '../runTypes.js';
import { runGates } from './runGates.js';

const DIGESTS = { model: 'model-1', corpus: 'corpus-1', scorer: 'scorer-1' };

interface RunFields {
  runId: string;
  startedAt: string;
  status?: string;
  schedule?: string;
  scores?: Record<string, number | null>;
  replicates?: Array<Record<string, number | null>>;
  digests?: Partial<typeof DIGESTS>;
}

function run(fields: RunFields): RunEntry {
  return {
    runId: fields.runId,
    workflowId: '',
    schedule: fields.schedule ?? 'nightly',
    trigger: 'scheduled',
    status: fields.status ?? 'succeeded',
    startedAt: fields.startedAt,
    finishedAt: '',
    specJson: '',
    modelPath: '',
    digests: { ...DIGESTS, ...fields.digests },
    scoresJson: JSON.stringify(fields.scores ?? { ents_f: 0.8 }),
    statsJson: '',
    replicatesJson: fields.replicates === undefined ? '' : JSON.stringify(fields.replicates),
    bootstrapJson: fields.replicates === undefined ? '' : JSON.stringify({ replicates: fields.replicates.length, seed: 0 }),
    message: '',
    gatesJson: '',
  };
}

// Answers as the scorer service does: filtered, newest first, replicates left out of lists.
function fakeScorer(entries: RunEntry[]) {
  const listed: Array<Partial<ListRunsRequest>> = [];
  const scorer = {
    async getRun(runId: string) {
      const entry = entries.find((item) => item.runId === runId);
      return entry === undefined ? { found: false, entry: undefined } : { found: true, entry };
    },
    async listRuns(request: Partial<ListRunsRequest>) {
      listed.push(request);
      const runs = entries
        .filter((item) => (!request.schedule || item.schedule === request.schedule) && (!request.status || item.status === request.status))
        .sort((a, b) => (a.startedAt === b.startedAt ? b.runId.localeCompare(a.runId) : b.startedAt < a.startedAt ? -1 : 1))
        .map((item) => ({ ...item, replicatesJson: '' }));
      return { runs: request.last ? runs.slice(0, request.last) : runs };
    },
  };
  return { scorer: scorer as unknown as ScorerClient, listed };
}

function gates(partial: Partial<GateSpec>): GateSpec {
  return { failIf: [], maxDrop: [], baseline: 'last-success', alpha: null, ...partial };
}

const query = (runId: string, spec: GateSpec) => ({ runId, schedule: 'nightly', gates: spec, digests: DIGESTS });

describe('runGates --fail-if', () => {
  const current = run({ runId: 'cur', startedAt: '2026-01-05T00:00:00Z', scores: { ents_f: 0.7 } });

  it('breaches when the condition holds and passes when it does not, without looking for a baseline', async () => {
    const { scorer, listed } = fakeScorer([current]);
    const outcome = await runGates(scorer, query('cur', gates({ failIf: ['ents_f < 0.8', 'ents_f < 0.5'] })));
    expect(outcome.breaches).toHaveLength(1);
    expect(outcome.breaches[0]).toMatchObject({ gate: '--fail-if "ents_f < 0.8"', key: 'ents_f', value: 0.7 });
    expect(outcome.summary).toEqual([expect.stringMatching(/^--fail-if "ents_f < 0.8": breached/), '--fail-if "ents_f < 0.5": passed']);
    expect(outcome.baselineRunId).toBeNull();
    expect(listed).toEqual([]);
  });
});

describe('runGates --max-drop against last-success', () => {
  // The current run started at day 5; only "expected" is an earlier success on the same corpus and scorer, in the schedule.
  const history = [
    run({ runId: 'older', startedAt: '2026-01-01T00:00:00Z', scores: { ents_f: 0.95 } }),
    // Another model digest does not matter: comparing models is the point.
    run({ runId: 'expected', startedAt: '2026-01-02T00:00:00Z', scores: { ents_f: 0.9 }, digests: { model: 'model-0' } }),
    run({ runId: 'other-corpus', startedAt: '2026-01-03T00:00:00Z', scores: { ents_f: 0.79 }, digests: { corpus: 'corpus-2' } }),
    run({ runId: 'other-scorer', startedAt: '2026-01-03T06:00:00Z', scores: { ents_f: 0.79 }, digests: { scorer: 'scorer-2' } }),
    run({ runId: 'failed', startedAt: '2026-01-04T00:00:00Z', status: 'failed', scores: { ents_f: 0.79 } }),
    run({ runId: 'other-schedule', startedAt: '2026-01-04T06:00:00Z', schedule: 'hourly', scores: { ents_f: 0.79 } }),
    run({ runId: 'cur', startedAt: '2026-01-05T00:00:00Z', scores: { ents_f: 0.8 } }),
    run({ runId: 'later', startedAt: '2026-01-06T00:00:00Z', scores: { ents_f: 0.79 } }),
  ];

  it('compares with the newest earlier succeeded run on the same corpus and scorer, not itself nor a later one', async () => {
    const { scorer } = fakeScorer(history);
    const outcome = await runGates(scorer, query('cur', gates({ maxDrop: ['ents_f=0.05'] })));
    expect(outcome.baselineRunId).toBe('expected');
    // 0.9 → 0.8 is a drop of 0.1 > 0.05; against any decoy (0.79) it would be a rise.
    expect(outcome.breaches).toHaveLength(1);
    expect(outcome.breaches[0]).toMatchObject({ key: 'ents_f', value: 0.8, baseline: 0.9 });
    expect(outcome.breaches[0]!.drop).toBeCloseTo(0.1, 12);
  });

  it('passes a drop within the allowance', async () => {
    const { scorer } = fakeScorer(history);
    const outcome = await runGates(scorer, query('cur', gates({ maxDrop: ['ents_f=0.2'] })));
    expect(outcome.baselineRunId).toBe('expected');
    expect(outcome.breaches).toEqual([]);
    expect(outcome.summary[0]).toMatch(/^--max-drop ents_f=0.2: passed .*against run expected/);
  });

  it('reports max-drop as not evaluated, not breached, when no run qualifies', async () => {
    const { scorer } = fakeScorer(history.filter((item) => item.runId !== 'older' && item.runId !== 'expected'));
    const outcome = await runGates(scorer, query('cur', gates({ maxDrop: ['ents_f=0.01'] })));
    expect(outcome.baselineRunId).toBeNull();
    expect(outcome.breaches).toEqual([]);
    expect(outcome.summary).toEqual(['--max-drop ents_f=0.01: not evaluated: no baseline run']);
  });

  it('reports a key the baseline lacks as a breach that was not compared', async () => {
    const { scorer } = fakeScorer(history);
    const outcome = await runGates(scorer, query('cur', gates({ maxDrop: ['tag_acc=0.01', 'ents_f=0.5'] })));
    expect(outcome.baselineRunId).toBe('expected');
    expect(outcome.breaches).toHaveLength(1);
    expect(outcome.breaches[0]).toMatchObject({ key: 'tag_acc', value: null });
    expect(outcome.breaches[0]!.reason).toContain('not compared');
  });
});

describe('runGates --max-drop against a named run', () => {
  it('uses the run named, even a later one or one on another corpus', async () => {
    const { scorer, listed } = fakeScorer([
      run({ runId: 'recent', startedAt: '2026-01-04T00:00:00Z', scores: { ents_f: 0.81 } }),
      run({ runId: 'cur', startedAt: '2026-01-05T00:00:00Z', scores: { ents_f: 0.8 } }),
      run({ runId: 'pinned', startedAt: '2026-01-06T00:00:00Z', scores: { ents_f: 0.9 }, digests: { corpus: 'corpus-2' } }),
    ]);
    const outcome = await runGates(scorer, query('cur', gates({ maxDrop: ['ents_f=0.05'], baseline: 'pinned' })));
    expect(outcome.baselineRunId).toBe('pinned');
    expect(outcome.breaches[0]).toMatchObject({ key: 'ents_f', baseline: 0.9, value: 0.8 });
    expect(listed).toEqual([]);
  });

  it('refuses a baseline run that is not in the history', async () => {
    const { scorer } = fakeScorer([run({ runId: 'cur', startedAt: '2026-01-05T00:00:00Z' })]);
    await expect(runGates(scorer, query('cur', gates({ maxDrop: ['ents_f=0.05'], baseline: 'gone' })))).rejects.toBeInstanceOf(InputError);
  });
});

describe('runGates --max-drop with --alpha', () => {
  const baselineScores = { ents_f: 0.9 };
  const currentScores = { ents_f: 0.8 };
  // Per-replicate values around each run's score; the differences decide the paired p-value.
  const replicatesOf = (values: number[]) => values.map((ents_f) => ({ ents_f }));

  async function outcomeWith(baseline: number[], current: number[], alpha: number) {
    const { scorer } = fakeScorer([
      run({ runId: 'base', startedAt: '2026-01-01T00:00:00Z', scores: baselineScores, replicates: replicatesOf(baseline) }),
      run({ runId: 'cur', startedAt: '2026-01-05T00:00:00Z', scores: currentScores, replicates: replicatesOf(current) }),
    ]);
    return runGates(scorer, query('cur', gates({ maxDrop: ['ents_f=0.01'], alpha })));
  }

  it('does not breach on a drop the paired bootstrap cannot tell from noise (p >= alpha)', async () => {
    // Two replicates fell, two rose: p = 2·2/4 = 1.
    const outcome = await outcomeWith([0.9, 0.9, 0.9, 0.9], [0.8, 0.95, 0.8, 0.95], 0.05);
    expect(outcome.baselineRunId).toBe('base');
    expect(outcome.breaches).toEqual([]);
    expect(outcome.summary[0]).toContain('p = 1');
  });

  it('breaches when every replicate fell (p = 0 < alpha)', async () => {
    const outcome = await outcomeWith([0.9, 0.91, 0.89, 0.9], [0.8, 0.82, 0.79, 0.8], 0.05);
    expect(outcome.breaches).toHaveLength(1);
    expect(outcome.breaches[0]).toMatchObject({ key: 'ents_f', pValue: 0 });
  });

  it('does not breach at p exactly alpha', async () => {
    // One of four rose: p = 2·1/4 = 0.5.
    const outcome = await outcomeWith([0.9, 0.9, 0.9, 0.9], [0.8, 0.8, 0.8, 0.95], 0.5);
    expect(outcome.breaches).toEqual([]);
    const below = await outcomeWith([0.9, 0.9, 0.9, 0.9], [0.8, 0.8, 0.8, 0.95], 0.51);
    expect(below.breaches.map((breach) => breach.pValue)).toEqual([0.5]);
  });
});
