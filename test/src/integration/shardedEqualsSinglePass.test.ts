import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationReport } from '@evalshard/orchestrator';
import { demoSpec, distributedRun, singlePass, startTestStack, type TestStack } from '../helpers/testStack.js';
import { activityAttempts, maxShardsInFlight } from '../helpers/workflowHistory.js';
import { expectSameScores } from '../helpers/sameScores.js';

let stack: TestStack;
let reference: EvaluationReport;

beforeAll(async () => {
  stack = await startTestStack(2);
  reference = await singlePass(await demoSpec());
});
afterAll(async () => {
  await stack?.stop();
});

describe('a sharded run on Temporal, gRPC workers and the scorer equals one pass', () => {
  it.each([1, 7, 64])('with %i shards, bit for bit', async (shards) => {
    const report = await distributedRun(stack, await demoSpec({ shards }));
    expect(report.run.shards).toBe(shards);
    expectSameScores(report.scores, reference.scores);
    expect([report.run.docs, report.run.tokens]).toEqual([reference.run.docs, reference.run.tokens]);
    expect({ model: report.run.model.digest, corpus: report.run.corpus.digest, scorer: report.run.scorer.digest }).toEqual({
      model: reference.run.model.digest,
      corpus: reference.run.corpus.digest,
      scorer: reference.run.scorer.digest,
    });
  });

  it('fans a large run out through child workflows with deterministic ids, with the same scores', async () => {
    const runId = `children-${Date.now()}`;
    const snapshots: number[] = [];
    const spec = await demoSpec({ shards: 25 });
    const report = await distributedRun(stack, spec, {
      runId,
      shardsPerChild: 10,
      onProgress: (snapshot) => snapshots.push(snapshot.shardsDone),
    });
    expectSameScores(report.scores, reference.scores);
    expect(report.run.docs).toBe(reference.run.docs);
    const children = [];
    for await (const execution of stack.client.workflow.list({ query: `WorkflowId STARTS_WITH "evalshard-${runId}/"` })) {
      children.push(execution.workflowId);
    }
    expect(children.sort()).toEqual([
      `evalshard-${runId}/shards-0-9`,
      `evalshard-${runId}/shards-10-19`,
      `evalshard-${runId}/shards-20-24`,
    ]);
    expect(Math.max(...snapshots)).toBeLessThanOrEqual(25);
    // Windows overlap, and hand their slots on: never more shards in flight than the spec's workers
    // and the shards prefetched behind them (as many again by default).
    expect([spec.workers, spec.prefetch]).toEqual([2, 2]);
    expect(await maxShardsInFlight(stack.client, [`evalshard-${runId}`, ...children])).toBe(4);
  });

  it('resumes a finished run without evaluating its shards again', async () => {
    const spec = await demoSpec({ shards: 5 });
    const first = await distributedRun(stack, spec, { runId: 'resume-check' });
    // A fresh run has nothing stored to ask the scorer about; a resumed one asks once for its window.
    expect((await activityAttempts(stack.client, 'resume-check')).scheduled.storedShards).toBeUndefined();
    const again = await distributedRun(stack, spec, { runId: 'resume-check' });
    expect((await activityAttempts(stack.client, 'resume-check')).scheduled).toMatchObject({ storedShards: 1 });
    expect((await activityAttempts(stack.client, 'resume-check')).scheduled.evaluateShard).toBeUndefined();
    expect(again.run.resumedShards).toBe(5);
    expectSameScores(again.scores, first.scores);
    expectSameScores(again.scores, reference.scores);
  });
});
