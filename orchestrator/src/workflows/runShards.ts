import { ActivityFailure, ApplicationFailure, CancellationScope, condition, isCancellation, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/createActivities.js';
import { addSummary, emptyTotals, type ShardSummary, type ShardTotals } from '../runTypes.js';

export interface ShardWindow {
  from: number;
  to: number;
  concurrency: number;
  /** Run id, for asking the scorer once which shards of the window it already holds (a resumed run). */
  runId?: string;
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
 * How a window's in-flight limit moves when windows overlap (child
 * workflows of a large run): its slots, what to do once every shard has
 * started (hand the spare slots on), and once one of the last shards ends
 * (hand its slot on). Alone, a window has `concurrency` slots throughout.
 */
export interface WindowFlow {
  slots(): number;
  allStarted(inFlight: number): void;
  freed(): void;
}

/** Shards in flight: those evaluating and those waiting behind them in the workers' queues (none in inputs from before prefetch). */
export function shardsInFlight(workers: number, prefetch: number | undefined): number {
  return workers + (prefetch ?? 0);
}

/**
 * The run id a window asks the scorer for stored shards with: none when the
 * scorer held nothing of the run when it opened (a fresh run), which saves
 * a round trip before the first shard starts. Workflows started before this
 * replay asking anyway.
 */
export function storedShardsRunId(runId: string, storedAtOpen: number): string | undefined {
  return storedAtOpen > 0 || !patched('fresh-run-asks-nothing-stored') ? runId : undefined;
}

/** One scorer call for a window's stored shards, retried while a scorer restarts. */
const { storedShards } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 30, maximumInterval: '10 seconds', nonRetryableErrorTypes: ['InputError'] },
});

/**
 * Runs shards [from, to) with at most `concurrency` in flight. Shards the
 * scorer already holds (a resumed run) are counted from one call for the
 * whole window and start no activity. The first shard that fails for good
 * cancels the rest and fails the run with its message: a bad record or a
 * wrong model should stop the run, not let it finish around the hole.
 */
export async function runShards(
  window: ShardWindow,
  start: (shardIndex: number) => Promise<ShardSummary>,
  onShard: (summary: ShardSummary) => void,
  /** A shard's bytes, for the progress of the stored shards a resumed run skips. */
  bytesOf: (shardIndex: number) => number = () => 0,
  flow: WindowFlow = { slots: () => window.concurrency, allStarted: () => undefined, freed: () => undefined },
): Promise<ShardTotals> {
  const totals = emptyTotals();
  const stored = new Map<number, number>();
  // patched(): a workflow started by an earlier version replays without this call.
  if (window.runId !== undefined && patched('stored-shards-per-window')) {
    const held = await storedShards({ runId: window.runId, from: window.from, to: window.to });
    held.shards.forEach((shard, i) => stored.set(shard, held.docs[i]!));
  }
  let failure: unknown;
  try {
    await CancellationScope.cancellable(async () => {
      const scope = CancellationScope.current();
      let inFlight = 0;
      let allStarted = false;
      // One handler pair per shard and one wait per batch of freed slots: every promise in a
      // workflow costs the SDK a stack trace, and a window starts thousands of shards.
      const launch = (shardIndex: number) => {
        inFlight += 1;
        const settled = () => {
          inFlight -= 1;
          if (allStarted) flow.freed();
        };
        void start(shardIndex).then(
          (summary) => {
            settled();
            addSummary(totals, summary);
            onShard(summary);
          },
          (error: unknown) => {
            settled();
            if (failure === undefined) {
              failure = error;
              scope.cancel();
            }
          },
        );
      };
      let shardIndex = window.from;
      while (failure === undefined) {
        // `failure` is only set by a settled shard, never while this loop runs.
        for (; shardIndex < window.to; shardIndex++) {
          const storedDocs = stored.get(shardIndex);
          if (storedDocs !== undefined) {
            const summary: ShardSummary = { shardIndex, outcome: 'already-stored', docs: storedDocs, tokens: 0, bytes: bytesOf(shardIndex), skippedCount: 0, workerId: '', attempt: 1 };
            addSummary(totals, summary);
            onShard(summary);
            continue;
          }
          if (inFlight >= flow.slots()) break;
          launch(shardIndex);
        }
        if (shardIndex >= window.to) break;
        // Re-checked whenever a shard ends or a slot arrives.
        await condition(() => failure !== undefined || inFlight < flow.slots());
      }
      allStarted = true;
      if (failure === undefined) flow.allStarted(inFlight);
      await condition(() => inFlight === 0);
    });
  } catch (error) {
    // Cancelled by the failure itself (the wait for a slot ends that way): the failure is what to report.
    if (failure === undefined || !isCancellation(error)) throw error;
  }
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
