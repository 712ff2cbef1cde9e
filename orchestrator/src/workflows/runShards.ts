import { ActivityFailure, ApplicationFailure, CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/createActivities.js';
import { shardRange } from '../plan/shardLayout.js';
import { addSummary, emptyTotals, type RunPlan, type ShardSummary, type ShardTotals } from '../runTypes.js';
import type { ResolvedSpec } from '../spec/resolvedSpec.js';

export interface ShardWindow {
  plan: RunPlan;
  spec: ResolvedSpec;
  from: number;
  to: number;
  concurrency: number;
}

/**
 * Evaluates shards [from, to) with at most `concurrency` in flight. The first
 * shard that fails for good cancels the rest and fails the run with its
 * message: a bad record or a wrong model should stop the run, not let it
 * finish around the hole.
 */
export async function runShards(window: ShardWindow, onShard: (summary: ShardSummary) => void): Promise<ShardTotals> {
  const { plan, spec } = window;
  const { evaluateShard } = proxyActivities<Activities>({
    startToCloseTimeout: spec.timeouts.shardMs,
    heartbeatTimeout: spec.timeouts.heartbeatMs,
    retry: {
      initialInterval: spec.retry.initialIntervalMs,
      maximumInterval: spec.retry.maximumIntervalMs,
      backoffCoefficient: 2,
      maximumAttempts: spec.retry.maximumAttempts,
      nonRetryableErrorTypes: ['InputError'],
    },
  });
  const totals = emptyTotals();
  let failure: unknown;
  await CancellationScope.cancellable(async () => {
    const scope = CancellationScope.current();
    const inFlight = new Set<Promise<void>>();
    for (let shardIndex = window.from; shardIndex < window.to && failure === undefined; shardIndex++) {
      const task = evaluateShard({
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
      }).then(
        (summary) => {
          addSummary(totals, summary);
          onShard(summary);
        },
        (error: unknown) => {
          if (failure === undefined) {
            failure = error;
            scope.cancel();
          }
        },
      );
      const tracked: Promise<void> = task.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= window.concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  });
  if (failure !== undefined) throw explain(failure);
  return totals;
}

// An activity's failure arrives wrapped; the run should fail with its message.
function explain(failure: unknown): unknown {
  if (isCancellation(failure)) return failure;
  if (failure instanceof ActivityFailure && failure.cause instanceof ApplicationFailure) {
    const cause = failure.cause;
    return ApplicationFailure.create({
      message: cause.message,
      type: cause.type ?? undefined,
      nonRetryable: true,
      details: cause.details as unknown[] | undefined,
    });
  }
  return failure;
}
