import v8 from 'node:v8';

/**
 * V8 flags for a GPU worker process. Its live heap is a few megabytes, but
 * with default heuristics V8 lets the young and old generations grow with
 * the allocation a long shard makes, so peak memory crept up with shard size
 * (bench:memory: 1.21 times at 1,000,000 documents as at 10,000).
 * `--optimize-for-size` keeps the heap near what is live; launchers pass it
 * on the command line (`node --optimize-for-size …/main.js`).
 */
export const GPU_WORKER_NODE_FLAGS: readonly string[] = ['--optimize-for-size'];

/**
 * Environment for a GPU worker process. glibc gives each thread that
 * allocates (the tokenizer's, the runtime's) its own malloc arena, and the
 * arenas grew over a long shard: with two, bench:memory's peak at 1,000,000
 * documents is 1.04 times that at 10,000, not 1.07. Read at process start,
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
