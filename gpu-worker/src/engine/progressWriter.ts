import type { EvaluateShardEvent, ShardProgress } from '@evalshard/proto';

const PROGRESS_INTERVAL_MS = 250;

/** Writes a shard's progress at most every 250 ms: a caller may report it after every document. */
export function progressWriter(write: (event: EvaluateShardEvent) => void): (progress: ShardProgress) => void {
  let last = 0;
  return (progress) => {
    const now = performance.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    write({ event: { $case: 'progress', value: progress } });
  };
}
