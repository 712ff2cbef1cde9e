import { BOUNDED_HEAP_NODE_FLAGS } from '@evalshard/proto';

/**
 * Node flags for a GPU worker process: its heap stays near what is live over
 * a long shard (see BOUNDED_HEAP_NODE_FLAGS). A young generation of 8 MB a
 * semi-space rather than 4: bench:memory gave 1.025 and 1.032 with it, as
 * flat as with 4, and it scavenges half as often on the worker's hot path.
 */
export const GPU_WORKER_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=8',
  ...BOUNDED_HEAP_NODE_FLAGS.filter((flag) => !flag.startsWith('--max-semi-space-size=')),
];

/**
 * Environment for a GPU worker process. glibc gives each thread that
 * allocates (the tokenizer's, the runtime's) its own malloc arena, and the
 * arenas grew over a long shard: with two, bench:memory's peak at 1,000,000
 * documents was 1.04 times that at 10,000 instead of 1.07. Read at process
 * start, so launchers set it (the systemd unit does).
 */
export const GPU_WORKER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** The GPU worker's entry point, for launchers that start it with node. */
export const GPU_WORKER_MAIN_PATH = new URL('../main.js', import.meta.url).pathname;

/** What follows node's path to start a GPU worker with `args`: its memory flags, then the entry point. */
export function gpuWorkerArgv(args: readonly string[]): string[] {
  return [...GPU_WORKER_NODE_FLAGS, GPU_WORKER_MAIN_PATH, ...args];
}

/** A GPU worker's environment: `env` with GPU_WORKER_ENV over it. */
export function gpuWorkerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, ...GPU_WORKER_ENV };
}
