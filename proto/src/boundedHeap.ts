import v8 from 'node:v8';

/**
 * V8 flags for evalshard's long-running processes (GPU workers, the
 * Temporal worker). What they hold live stays small and flat, but V8's
 * default heuristics let the young and old generations grow with the
 * allocation a long shard or a long run makes, so peak memory grew with it:
 * a GPU worker's peak at 1,000,000 documents was 1.38 times that at 10,000,
 * the orchestrator's at 10,000 shards 1.47 times that at 1,000. A young
 * generation of at most 4 MB a semi-space and an old one that grows by 20 %
 * at a time keep both flat (bench:memory, bench:large-run).
 * `--optimize-for-size` did too, but cost the demo model about 7 % of its
 * throughput. Launchers pass them on the command line.
 */
export const BOUNDED_HEAP_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--heap-growing-percent=20'];

/**
 * For a process started without the flags (`flags`, by default the ones above): sets them now. The young
 * generation was sized at start-up, so this bounds the old generation's
 * growth only; the command-line flags do both.
 */
export function boundHeapGrowth(flags: readonly string[] = BOUNDED_HEAP_NODE_FLAGS): void {
  for (const flag of flags) {
    const name = flag.split('=')[0]!;
    if (!process.execArgv.some((given) => given === name || given.startsWith(`${name}=`))) v8.setFlagsFromString(flag);
  }
}
