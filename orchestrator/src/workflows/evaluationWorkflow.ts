import { CancellationScope, executeChild, isCancellation, patched, startChild, workflowInfo } from '@temporalio/workflow';
import {
  addSummary,
  addTotals,
  type EvaluationInput,
  type EvaluationResult,
  type SkippedRun,
  type RunPlan,
  type ShardSummary,
  type ShardTotals,
} from '../runTypes.js';
import { shardRange } from '../plan/shardLayout.js';
import type { ResolvedSpec } from '../spec/resolvedSpec.js';
import { checkGates, finalizeRun, findUnchanged, notify, openRun, planRun, recordRun, trackProgress } from './runActivities.js';
import { runChildWindows, windowFlow, type WindowLink } from './childWindows.js';
import { runShards, shardActivities, shardsInFlight, storedShardsRunId, type ShardWindow } from './runShards.js';


/**
 * Shards one child workflow fans out. Each shard leaves about six events in
 * history, so a child stays far below Temporal's 50,000-event limit (and
 * under 20,000), and the parent holds one summary per child, however large
 * the run; windows overlap so the in-flight count does not drain between.
 */
export const SHARDS_PER_CHILD = 2_000;


/**
 * One evaluation run: plan, fan out, finalize, check the gates; every step
 * recorded in the scorer's run history. A scheduled run may end as skipped
 * when nothing it depends on changed since the schedule's last evaluation.
 */
export async function evaluationWorkflow(input: EvaluationInput): Promise<EvaluationResult | SkippedRun> {
  const { workflowId } = workflowInfo();
  const runId = input.runId || runIdOfWorkflow(workflowId);
  const schedule = input.schedule ?? '';
  const bootstrap = input.spec.bootstrap;
  await recordRun({
    runId,
    workflowId,
    schedule,
    trigger: input.trigger ?? 'manual',
    status: 'running',
    startedAt: new Date().toISOString(),
    specJson: JSON.stringify(input.spec),
    bootstrapJson: bootstrap === null ? '' : JSON.stringify(bootstrap),
  });
  try {
    return await evaluate({ ...input, runId }, schedule);
  } catch (error) {
    const cancelled = isCancellation(error);
    await CancellationScope.nonCancellable(() =>
      recordRun({
        runId,
        status: cancelled ? 'cancelled' : 'failed',
        finishedAt: new Date().toISOString(),
        message: cancelled ? '' : messageOf(error),
      }),
    );
    throw error;
  }
}

async function evaluate(input: EvaluationInput, schedule: string): Promise<EvaluationResult | SkippedRun> {
  const progress = trackProgress();
  const plan = await planRun(input);
  progress.shardCount = plan.shardCount;
  progress.totalBytes = plan.totalBytes;
  await recordRun({ runId: plan.runId, modelPath: plan.model.path, digests: plan.digests });
  if (input.onUnchanged === 'skip') {
    const unchangedSince = await findUnchanged({ runId: plan.runId, schedule, digests: plan.digests });
    if (unchangedSince !== null) {
      progress.phase = 'done';
      await recordRun({
        runId: plan.runId,
        status: 'skipped',
        finishedAt: new Date().toISOString(),
        message: `model, corpus and scorer unchanged since run ${unchangedSince}`,
      });
      return { status: 'skipped', plan, unchangedSince };
    }
  }
  const opened = await openRun({ runId: plan.runId, shardCount: plan.shardCount, digests: plan.digests, scorer: plan.scorer });

  progress.phase = 'evaluating';
  const evaluateStarted = Date.now();
  const concurrency = shardsInFlight(input.spec.workers, input.spec.prefetch);
  const shardsPerChild = input.shardsPerChild ?? SHARDS_PER_CHILD;
  if (plan.shardCount <= shardsPerChild) {
    await runShards(
      { from: 0, to: plan.shardCount, concurrency, runId: storedShardsRunId(plan.runId, opened.storedShards) },
      evaluateShardOf(plan, input.spec),
      (summary) => addSummary(progress.completed, summary),
      (shardIndex) => shardBytes(plan, shardIndex),
    );
  } else if (patched('overlapping-child-windows')) {
    const runId = storedShardsRunId(plan.runId, opened.storedShards);
    await runChildWindows({
      shardCount: plan.shardCount,
      shardsPerChild,
      concurrency,
      progress,
      start: ({ from, to, workflowId, link }) =>
        startChild(shardWindowWorkflow, { workflowId, args: [{ plan, spec: input.spec, from, to, concurrency, runId, link }] }),
    });
  } else {
    // Workflows started before windows overlapped replay the way they ran: one child after another.
    for (let from = 0; from < plan.shardCount; from += shardsPerChild) {
      const to = Math.min(plan.shardCount, from + shardsPerChild);
      const workflowId = `${workflowInfo().workflowId}/shards-${from}-${to - 1}`;
      progress.activeChildren = [workflowId];
      const totals = await executeChild(shardWindowWorkflow, {
        workflowId,
        args: [{ plan, spec: input.spec, from, to, concurrency, runId: plan.runId }],
      });
      addTotals(progress.completed, totals);
      progress.activeChildren = [];
    }
  }
  const evaluateMs = Date.now() - evaluateStarted;

  progress.phase = 'finalizing';
  const final = await finalizeRun(plan.runId, input.spec.maxListedSkips);
  const totals = progress.completed;
  await recordRun({
    runId: plan.runId,
    scoresJson: final.scoresJson,
    statsJson: JSON.stringify({
      shards: plan.shardCount,
      docs: final.docs,
      tokens: final.tokens,
      bytes: final.bytes,
      skipped: final.skippedCount,
      conflicts: final.conflicts.length,
      retries: totals.retries,
      resumedShards: totals.alreadyStored,
      batching: plan.batching,
      timings: { planMs: plan.planMs, evaluateMs, finalizeMs: final.finalizeMs },
    }),
  });
  const gates = input.gates ? await checkGates({ runId: plan.runId, schedule, gates: input.gates, digests: plan.digests }) : null;
  const regressed = gates !== null && gates.breaches.length > 0;
  let undelivered = '';
  if (regressed && input.notify) {
    const sent = await notify({ url: input.notify, runId: plan.runId, schedule, gates: gates!, scoresJson: final.scoresJson });
    if (!sent.delivered) undelivered = `; the notification was not delivered: ${sent.error}`;
  }
  await recordRun({
    runId: plan.runId,
    status: regressed ? 'regressed' : 'succeeded',
    finishedAt: new Date().toISOString(),
    gatesJson: gates === null ? '' : JSON.stringify({ ...input.gates, ...gates }),
    message: regressed ? gates!.breaches.map((breach) => breach.reason).join('; ') + undelivered : '',
  });
  progress.phase = 'done';
  return {
    status: regressed ? 'regressed' : 'succeeded',
    plan,
    totals,
    final,
    timings: { planMs: plan.planMs, evaluateMs, finalizeMs: final.finalizeMs },
    gates,
  };
}

/** A scheduled firing's workflow id is "evalshard-<schedule-prefix>-<time>"; its run id drops "evalshard-". */
export function runIdOfWorkflow(workflowId: string): string {
  return workflowId.startsWith('evalshard-') ? workflowId.slice('evalshard-'.length) : workflowId;
}

function messageOf(error: unknown): string {
  let current: unknown = error;
  // The innermost cause says what went wrong; the wrappers say where.
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(error);
}

export interface PlannedShardWindow extends ShardWindow {
  plan: RunPlan;
  spec: ResolvedSpec;
  /** Its place among overlapping windows; absent in workflows started before windows overlapped. */
  link?: WindowLink;
}

/** A contiguous window of a large run's shards, as a child workflow. */
export async function shardWindowWorkflow(input: PlannedShardWindow): Promise<ShardTotals> {
  const progress = trackProgress(input.to - input.from);
  progress.phase = 'evaluating';
  const { flow, settle } = windowFlow(input.link, input.concurrency);
  const totals = await runShards(
    input,
    evaluateShardOf(input.plan, input.spec),
    (summary) => addSummary(progress.completed, summary),
    (shardIndex) => shardBytes(input.plan, shardIndex),
    flow,
  );
  await settle();
  return totals;
}

function shardBytes(plan: RunPlan, shardIndex: number): number {
  const range = shardRange(plan.layout, shardIndex);
  return range.end - range.start;
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
      // A spec captured before the option existed (a schedule) has none: the worker's default.
      maxRecordBytes: spec.maxRecordBytes ?? 0,
      timeoutMs: spec.timeouts.shardMs,
      heartbeatMs: spec.timeouts.heartbeatMs,
      batching: plan.batching,
      tokenTask: plan.tokenTask,
      savePredictions: spec.savePredictions ?? null,
    });
}
