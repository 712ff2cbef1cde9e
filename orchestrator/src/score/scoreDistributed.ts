import type { Client, WorkflowHandle } from '@temporalio/client';
import { parseJson } from '@evalshard/scorer';
import { followRun, type ProgressSnapshot } from '../client/runEvaluation.js';
import type { ScoreInput } from '../runTypes.js';
import { scoreWorkflow } from '../workflows/scoreWorkflow.js';
import type { ScoreReport } from './scoreReport.js';

export function scoreWorkflowIdFor(runId: string): string {
  return `evalshard-score-${runId}`;
}

/** Runs `evalshard score` through Temporal: shards fan out to workers, partials merge in the scorer. */
export async function scoreDistributed(options: {
  client: Client;
  taskQueue: string;
  input: ScoreInput;
  onStarted?: (handle: WorkflowHandle) => void;
  onProgress?: (snapshot: ProgressSnapshot) => void;
  pollMs?: number;
}): Promise<ScoreReport> {
  const startedAt = new Date();
  const started = performance.now();
  const workflowId = scoreWorkflowIdFor(options.input.runId);
  const handle = await options.client.workflow.start(scoreWorkflow, {
    taskQueue: options.taskQueue,
    workflowId,
    args: [options.input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  options.onStarted?.(handle);
  const { plan, final, timings } = await followRun(options.client, handle, options.onProgress, options.pollMs);
  const wallMs = Math.round(performance.now() - started);
  return {
    scores: parseJson(final.scoresJson) as Record<string, unknown>,
    run: {
      runId: plan.runId,
      mode: 'distributed',
      workflowId,
      gold: plan.gold,
      predicted: plan.predicted,
      format: options.input.format,
      families: final.families,
      scorer: { digest: plan.digests.scorer, options: { ...plan.options } },
      shards: plan.ranges.length,
      docs: final.docs,
      timings: { planMs: timings.planMs, scoreMs: timings.evaluateMs, finalizeMs: timings.finalizeMs, wallMs },
      throughput: { docsPerSecond: Math.round((final.docs / Math.max(timings.evaluateMs, 1)) * 10_000) / 10 },
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
    },
  };
}
