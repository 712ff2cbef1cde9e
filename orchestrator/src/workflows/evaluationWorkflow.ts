import { executeChild, workflowInfo } from '@temporalio/workflow';
import {
  addSummary,
  addTotals,
  type EvaluationInput,
  type EvaluationResult,
  type RunPlan,
  type ShardSummary,
  type ShardTotals,
} from '../runTypes.js';
import { shardRange } from '../plan/shardLayout.js';
import type { ResolvedSpec } from '../spec/resolvedSpec.js';
import { finalizeRun, openRun, planRun, trackProgress } from './runActivities.js';
import { runShards, shardActivities, type ShardWindow } from './runShards.js';


/**
 * Shards one child workflow fans out. Each shard leaves about six events in
 * history, so a child stays far below Temporal's 50,000-event limit and the
 * parent holds one summary per child, however large the run.
 */
export const SHARDS_PER_CHILD = 2_000;


/** One evaluation run: plan, fan out, finalize. */
export async function evaluationWorkflow(input: EvaluationInput): Promise<EvaluationResult> {
  const progress = trackProgress();
  const plan = await planRun(input);
  progress.shardCount = plan.shardCount;
  progress.totalBytes = plan.totalBytes;
  await openRun({ runId: plan.runId, shardCount: plan.shardCount, digests: plan.digests, scorer: plan.scorer });

  progress.phase = 'evaluating';
  const evaluateStarted = Date.now();
  const concurrency = input.spec.workers;
  const shardsPerChild = input.shardsPerChild ?? SHARDS_PER_CHILD;
  if (plan.shardCount <= shardsPerChild) {
    await runShards({ from: 0, to: plan.shardCount, concurrency }, evaluateShardOf(plan, input.spec), (summary) =>
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

export interface PlannedShardWindow extends ShardWindow {
  plan: RunPlan;
  spec: ResolvedSpec;
}

/** A contiguous window of a large run's shards, as a child workflow. */
export async function shardWindowWorkflow(input: PlannedShardWindow): Promise<ShardTotals> {
  const progress = trackProgress(input.to - input.from);
  progress.phase = 'evaluating';
  return runShards(input, evaluateShardOf(input.plan, input.spec), (summary) => addSummary(progress.completed, summary));
}

// Starts the activity that evaluates one planned shard.
function evaluateShardOf(plan: RunPlan, spec: ResolvedSpec): (shardIndex: number) => Promise<ShardSummary> {
  const { evaluateShard } = shardActivities(spec);
  return (shardIndex) =>
    evaluateShard({
      runId: plan.runId,
      shardIndex,
      range: shardRange(plan.layout, shardIndex),
      modelPath: plan.model.path,
      digests: plan.digests,
      scorer: plan.scorer,
      batch: spec.batch,
      onBadRecord: spec.onBadRecord,
      maxListedSkips: spec.maxListedSkips,
      timeoutMs: spec.timeouts.shardMs,
      heartbeatMs: spec.timeouts.heartbeatMs,
      batching: plan.batching,
      tokenTask: plan.tokenTask,
      savePredictions: spec.savePredictions ?? null,
    });
}
