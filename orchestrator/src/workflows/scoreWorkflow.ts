import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/createActivities.js';
import { addSummary, emptyTotals, type RunProgress, type ScoreInput, type ScoreResult } from '../runTypes.js';
import { runShards, shardActivities } from './runShards.js';
import { progressQuery } from './evaluationWorkflow.js';

const { planScore, openRun } = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  retry: { maximumAttempts: 3, initialInterval: '1 second', nonRetryableErrorTypes: ['InputError'] },
});
const { finalizeRun } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  retry: { maximumAttempts: 3, initialInterval: '1 second', nonRetryableErrorTypes: ['InputError'] },
});

/** `evalshard score --shards N`: plan, fan the shards out to workers, finalize. */
export async function scoreWorkflow(input: ScoreInput): Promise<ScoreResult> {
  const progress: RunProgress = { phase: 'planning', shardCount: 0, totalBytes: 0, completed: emptyTotals(), activeChildren: [] };
  setHandler(progressQuery, () => progress);
  const plan = await planScore(input);
  progress.shardCount = plan.ranges.length;
  progress.totalBytes = plan.gold.bytes;
  await openRun({ runId: plan.runId, shardCount: plan.ranges.length, digests: plan.digests, scorer: plan.options });
  progress.phase = 'evaluating';
  const started = Date.now();
  const { scoreShard } = shardActivities(input);
  await runShards(
    { from: 0, to: plan.ranges.length, concurrency: input.workers },
    (shardIndex) =>
      scoreShard({
        runId: plan.runId,
        shardIndex,
        digests: plan.digests,
        gold: plan.ranges[shardIndex]!.gold,
        predicted: plan.ranges[shardIndex]!.predicted,
        format: input.format,
        scorer: plan.options,
        timeoutMs: input.timeouts.shardMs,
        heartbeatMs: input.timeouts.heartbeatMs,
      }),
    (summary) => addSummary(progress.completed, summary),
  );
  const evaluateMs = Date.now() - started;
  progress.phase = 'finalizing';
  const final = await finalizeRun(plan.runId, 0);
  progress.phase = 'done';
  return { plan, totals: progress.completed, final, timings: { planMs: plan.planMs, evaluateMs, finalizeMs: final.finalizeMs } };
}

