import type { EvaluateShardEvent, RunDigests, ShardStats, SkippedRecord } from '@evalshard/proto';
import { encodeMetricStates, type MetricStates } from '@evalshard/scorer';

export interface ShardCounts {
  docs: number;
  tokens: number;
  bytes: number;
  skippedCount: number;
  skipped: SkippedRecord[];
}

/** A shard's last event: its partial score (the states encoded as they stand) and what it cost. */
export function resultEvent(
  request: { runId: string; shardIndex: number; digests?: RunDigests | undefined },
  states: MetricStates,
  counts: ShardCounts,
  stats: ShardStats,
): EvaluateShardEvent {
  const partial = { runId: request.runId, shardIndex: request.shardIndex, digests: request.digests, ...counts, states: encodeMetricStates(states) };
  return { event: { $case: 'result', value: { partial, stats } } };
}
