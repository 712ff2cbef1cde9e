import { ActivityFailure, ApplicationFailure, CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/createActivities.js';
import { addSummary, emptyTotals, type ShardSummary, type ShardTotals } from '../runTypes.js';

export interface ShardWindow {
  from: number;
  to: number;
  concurrency: number;
}

export interface ShardRetryPolicy {
  timeouts: { shardMs: number; heartbeatMs: number };
  retry: { maximumAttempts: number; initialIntervalMs: number; maximumIntervalMs: number };
}

/** The shard activities with a run's timeouts and retry policy; bad input is never retried. */
export function shardActivities(policy: ShardRetryPolicy) {
  return proxyActivities<Activities>({
    startToCloseTimeout: policy.timeouts.shardMs,
    heartbeatTimeout: policy.timeouts.heartbeatMs,
    retry: {
      initialInterval: policy.retry.initialIntervalMs,
      maximumInterval: policy.retry.maximumIntervalMs,
      backoffCoefficient: 2,
      maximumAttempts: policy.retry.maximumAttempts,
      nonRetryableErrorTypes: ['InputError'],
    },
  });
}

/**
 * Runs shards [from, to) with at most `concurrency` in flight. The first
 * shard that fails for good cancels the rest and fails the run with its
 * message: a bad record or a wrong model should stop the run, not let it
 * finish around the hole.
 */
export async function runShards(
  window: ShardWindow,
  start: (shardIndex: number) => Promise<ShardSummary>,
  onShard: (summary: ShardSummary) => void,
): Promise<ShardTotals> {
  const totals = emptyTotals();
  let failure: unknown;
  await CancellationScope.cancellable(async () => {
    const scope = CancellationScope.current();
    const inFlight = new Set<Promise<void>>();
    for (let shardIndex = window.from; shardIndex < window.to && failure === undefined; shardIndex++) {
      const task = start(shardIndex).then(
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
