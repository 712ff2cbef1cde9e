import { defineQuery, executeChild, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/createActivities.js';
import {
  addSummary,
  addTotals,
  emptyTotals,
  type EvaluationInput,
  type EvaluationResult,
  type RunProgress,
  type ShardTotals,
} from '../runTypes.js';
import { runShards, type ShardWindow } from './runShards.js';

export const progressQuery = defineQuery<RunProgress>('progress');

/**
 * Shards one child workflow fans out. Each shard leaves about six events in
 * history, so a child stays far below Temporal's 50,000-event limit and the
 * parent holds one summary per child, however large the run.
 */
export const SHARDS_PER_CHILD = 2_000;

const { planRun, openRun } = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  retry: { maximumAttempts: 5, initialInterval: '1 second', nonRetryableErrorTypes: ['InputError'] },
});
const { finalizeRun } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  retry: { maximumAttempts: 3, initialInterval: '1 second', nonRetryableErrorTypes: ['InputError'] },
});

/** One evaluation run: plan, fan out, finalize. */
export async function evaluationWorkflow(input: EvaluationInput): Promise<EvaluationResult> {
  const progress: RunProgress = { phase: 'planning', shardCount: 0, totalBytes: 0, completed: emptyTotals(), activeChildren: [] };
  setHandler(progressQuery, () => progress);

  const plan = await planRun(input);
  progress.shardCount = plan.shardCount;
  progress.totalBytes = plan.totalBytes;
  await openRun(plan);

  progress.phase = 'evaluating';
  const evaluateStarted = Date.now();
  const concurrency = input.spec.workers;
  const shardsPerChild = input.shardsPerChild ?? SHARDS_PER_CHILD;
  if (plan.shardCount <= shardsPerChild) {
    await runShards({ plan, spec: input.spec, from: 0, to: plan.shardCount, concurrency }, (summary) =>
      addSummary(progress.completed, summary),
    );
  } else {
    for (let from = 0; from < plan.shardCount; from += shardsPerChild) {
      const to = Math.min(plan.shardCount, from + shardsPerChild);
      const workflowId = `${workflowInfo().workflowId}/shards-${from}-${to - 1}`;
      progress.activeChildren = [workflowId];
      const totals = await executeChild(shardWindowWorkflow, {
        workflowId,
        args: [{ plan, spec: input.spec, from, to, concurrency }],
      });
      addTotals(progress.completed, totals);
      progress.activeChildren = [];
    }
  }
  const evaluateMs = Date.now() - evaluateStarted;

  progress.phase = 'finalizing';
  const final = await finalizeRun(plan.runId, input.spec.maxListedSkips);
  progress.phase = 'done';
  return {
    plan,
    totals: progress.completed,
    final,
    timings: { planMs: plan.planMs, evaluateMs, finalizeMs: final.finalizeMs },
  };
}

/** A contiguous window of a large run's shards, as a child workflow. */
export async function shardWindowWorkflow(input: ShardWindow): Promise<ShardTotals> {
  const completed = emptyTotals();
  const progress: RunProgress = {
    phase: 'evaluating',
    shardCount: input.to - input.from,
    totalBytes: 0,
    completed,
    activeChildren: [],
  };
  setHandler(progressQuery, () => progress);
  return runShards(input, (summary) => addSummary(completed, summary));
}
