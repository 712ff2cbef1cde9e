import { BOUNDED_HEAP_NODE_FLAGS } from '@evalshard/proto';

/** Node flags for a GPU worker process: its heap stays near what is live over a long shard. */
export const GPU_WORKER_NODE_FLAGS: readonly string[] = BOUNDED_HEAP_NODE_FLAGS;

/**
 * Environment for a GPU worker process. glibc gives each thread that
 * allocates (the tokenizer's, the runtime's) its own malloc arena, and the
 * arenas grew over a long shard: with two, bench:memory's peak at 1,000,000
 * documents was 1.04 times that at 10,000 instead of 1.07. Read at process
 * start, so launchers set it (the systemd unit does).
 */
export const GPU_WORKER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
