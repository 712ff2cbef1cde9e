// Pure and deterministic: imported by workflow code, so no Node built-ins.

export interface ShardRange {
  path: string;
  start: number;
  end: number;
}

/**
 * How a corpus is cut: each file into `shardsPerFile[i]` byte ranges of
 * near-equal size. Compact (O(files)) however many shards there are, so a
 * plan of 100,000 shards fits comfortably in workflow history; every shard's
 * range is computed from it on demand.
 */
export interface ShardLayout {
  files: Array<{ path: string; size: number }>;
  shardsPerFile: number[];
}

export interface ShardingRequest {
  /** Target number of shards in all (at least one per file). */
  shards: number | null;
  /** Target bytes per shard. */
  shardSize: number | null;
}

/** Shards when the spec asks for neither a count nor a size. */
export const DEFAULT_SHARD_BYTES = 64 * 1024 * 1024;

export function layoutShards(
  files: Array<{ path: string; size: number }>,
  request: ShardingRequest,
  workers: number,
): ShardLayout {
  if (request.shardSize !== null) {
    const size = request.shardSize;
    return { files, shardsPerFile: files.map((file) => Math.max(1, Math.ceil(file.size / size))) };
  }
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const target = request.shards ?? Math.max(2 * workers, Math.ceil(total / DEFAULT_SHARD_BYTES));
  return { files, shardsPerFile: apportion(files.map((file) => file.size), target) };
}

export function shardCount(layout: ShardLayout): number {
  return layout.shardsPerFile.reduce((sum, n) => sum + n, 0);
}

export function shardRange(layout: ShardLayout, index: number): ShardRange {
  let first = 0;
  for (let f = 0; f < layout.files.length; f++) {
    const count = layout.shardsPerFile[f]!;
    if (index < first + count) {
      const file = layout.files[f]!;
      const k = index - first;
      return { path: file.path, start: boundary(file.size, count, k), end: boundary(file.size, count, k + 1) };
    }
    first += count;
  }
  throw new RangeError(`shard ${index} is outside the layout's ${first} shards`);
}

function boundary(size: number, count: number, k: number): number {
  return k === count ? size : Math.floor((size / count) * k);
}

// Largest-remainder split of `target` shards over files by size, at least one each.
function apportion(sizes: number[], target: number): number[] {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const wanted = Math.max(target, sizes.length);
  if (total === 0) return sizes.map(() => 1);
  const spare = wanted - sizes.length;
  const exact = sizes.map((size) => (size / total) * spare);
  const counts = exact.map((value) => 1 + Math.floor(value));
  let left = wanted - counts.reduce((sum, n) => sum + n, 0);
  const byRemainder = exact
    .map((value, i) => ({ i, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    counts[i]! += 1;
    left -= 1;
  }
  return counts;
}
