import { addSummary, type ScoreInput, type ScoreResult } from '../runTypes.js';
import { finalizeRun, openRun, planScore, trackProgress } from './runActivities.js';
import { runShards, shardActivities } from './runShards.js';

/** `evalshard score --shards N`: plan, fan the shards out to workers, finalize. */
export async function scoreWorkflow(input: ScoreInput): Promise<ScoreResult> {
  const progress = trackProgress();
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

