import { createReadStream, createWriteStream, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { formatShardList } from '@evalshard/scorer';

/**
 * Concatenates the shards' prediction files (shard-NNNNNN.<format>) in shard
 * order into `predictions.<format>`, streaming, and removes them: the file
 * `evalshard score --pred` reads against the gold corpus. A shard without a
 * file (stored by an earlier attempt of the run that saved none) leaves the
 * parts as they are and says which are missing.
 */
export async function mergePredictions(dir: string, shardCount: number): Promise<{ path?: string; missing: number[] }> {
  const parts = new Map<number, string>();
  for (const name of readdirSync(dir)) {
    const match = /^shard-(\d{6})\.(\w+)$/.exec(name);
    if (match !== null) parts.set(Number(match[1]), name);
  }
  const missing = Array.from({ length: shardCount }, (_, i) => i).filter((i) => !parts.has(i));
  if (missing.length > 0) return { missing };
  const extension = parts.get(0)!.replace(/^.*\./, '');
  const path = join(dir, `predictions.${extension}`);
  const out = createWriteStream(path);
  for (let i = 0; i < shardCount; i++) await pipeline(createReadStream(join(dir, parts.get(i)!)), out, { end: false });
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  for (const name of parts.values()) rmSync(join(dir, name));
  return { path, missing: [] };
}

export function describeMissingPredictions(missing: number[]): string {
  return `predictions of shards ${formatShardList(missing)} are missing (stored by an earlier attempt that saved none); the shard files are left as they are`;
}
