import v8 from 'node:v8';

/**
 * V8 flags for a GPU worker process. Its live heap is a few megabytes, but
 * with default heuristics V8 lets the young and old generations grow with
 * the allocation a long shard makes, so peak memory crept up with shard size
 * (bench:memory: 1.38 times at 1,000,000 documents as at 10,000). A young
 * generation of at most 4 MB a semi-space and an old one that grows by 20 %
 * keep it flat (1.02 with GPU_WORKER_ENV); `--optimize-for-size` did too,
 * but cost the demo model about 7 % of its throughput. Launchers pass them
 * on the command line (`node --max-semi-space-size=4 … main.js`).
 */
export const GPU_WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--heap-growing-percent=20'];

/**
 * Environment for a GPU worker process. glibc gives each thread that
 * allocates (the tokenizer's, the runtime's) its own malloc arena, and the
 * arenas grew over a long shard: with two, bench:memory's peak at 1,000,000
 * documents was 1.04 times that at 10,000 instead of 1.07. Read at process start,
 * so launchers set it (the systemd unit does).
 */
export const GPU_WORKER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/**
 * For a worker started without the flags (`evalshard gpu-worker`): sets them
 * now. The young generation was sized at start-up, so this bounds only the
 * old generation's growth; the command-line flags do both.
 */
export function applyMemoryFlags(): void {
  for (const flag of GPU_WORKER_NODE_FLAGS) {
    if (!process.execArgv.includes(flag)) v8.setFlagsFromString(flag);
  }
}
