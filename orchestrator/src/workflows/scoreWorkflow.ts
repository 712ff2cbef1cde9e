import { CancellationScope, isCancellation, workflowInfo } from '@temporalio/workflow';
import { addSummary, type ScoreInput, type ScoreResult } from '../runTypes.js';
import { finalizeRun, openRun, planScore, recordRun, trackProgress } from './runActivities.js';
import { runShards, shardActivities, shardsInFlight, storedShardsRunId } from './runShards.js';

/** `evalshard score --shards N`: plan, fan the shards out to workers, finalize; recorded in the run history. */
export async function scoreWorkflow(input: ScoreInput): Promise<ScoreResult> {
  await recordRun({
    runId: input.runId,
    workflowId: workflowInfo().workflowId,
    trigger: 'score',
    status: 'running',
    startedAt: new Date().toISOString(),
    specJson: JSON.stringify({ gold: input.gold, predicted: input.predicted, format: input.format, flags: input.flags }),
  });
  try {
    const result = await score(input);
    await recordRun({
      runId: input.runId,
      status: 'succeeded',
      finishedAt: new Date().toISOString(),
      modelPath: input.predicted,
      digests: result.plan.digests,
      scoresJson: result.final.scoresJson,
      statsJson: JSON.stringify({ shards: result.plan.ranges.length, docs: result.final.docs, timings: result.timings }),
      bootstrapJson: result.plan.options.bootstrap
        ? JSON.stringify({ replicates: result.plan.options.bootstrap.replicates, seed: result.plan.options.bootstrap.seed })
        : '',
    });
    return result;
  } catch (error) {
    const cancelled = isCancellation(error);
    await CancellationScope.nonCancellable(() =>
      recordRun({
        runId: input.runId,
        status: cancelled ? 'cancelled' : 'failed',
        finishedAt: new Date().toISOString(),
        message: cancelled ? '' : error instanceof Error ? error.message : String(error),
      }),
    );
    throw error;
  }
}

async function score(input: ScoreInput): Promise<ScoreResult> {
  const progress = trackProgress();
  const plan = await planScore(input);
  progress.shardCount = plan.ranges.length;
  progress.totalBytes = plan.gold.bytes;
  const opened = await openRun({ runId: plan.runId, shardCount: plan.ranges.length, digests: plan.digests, scorer: plan.options });
  progress.phase = 'evaluating';
  const started = Date.now();
  const { scoreShard } = shardActivities(input);
  await runShards(
    { from: 0, to: plan.ranges.length, concurrency: shardsInFlight(input.workers, input.prefetch), runId: storedShardsRunId(plan.runId, opened.storedShards) },
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
    (shardIndex) => plan.ranges[shardIndex]!.gold.end - plan.ranges[shardIndex]!.gold.start,
  );
  const evaluateMs = Date.now() - started;
  progress.phase = 'finalizing';
  const final = await finalizeRun(plan.runId, 0);
  progress.phase = 'done';
  return { plan, totals: progress.completed, final, timings: { planMs: plan.planMs, evaluateMs, finalizeMs: final.finalizeMs } };
}

