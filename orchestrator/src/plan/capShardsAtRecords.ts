import { open } from 'node:fs/promises';
import type { ShardLayout } from './shardLayout.js';

/** Below this many bytes per shard on average, a file may hold fewer records than shards. */
const DENSE_SHARD_BYTES = 64 * 1024;

/**
 * No more shards for a file than it has records: a shard without a record
 * still costs a worker call and a few workflow events, and 100,000 of them on
 * a small file would take hours to do nothing. Only files cut finer than
 * 64 KiB a shard are read (a newline count), so planning a big corpus stays
 * O(files).
 */
export async function capShardsAtRecords(layout: ShardLayout): Promise<ShardLayout> {
  const shardsPerFile = await Promise.all(
    layout.files.map(async (file, i) => {
      const wanted = layout.shardsPerFile[i]!;
      if (wanted <= 1 || wanted * DENSE_SHARD_BYTES <= file.size) return wanted;
      return Math.max(1, Math.min(wanted, await countRecords(file.path)));
    }),
  );
  return { files: layout.files, shardsPerFile };
}

// Lines with anything but line terminators on them: the records a line reader yields, or more.
async function countRecords(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let records = 0;
    let lineHasContent = false;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) {
        const byte = chunk[i]!;
        if (byte === 0x0a) {
          if (lineHasContent) records += 1;
          lineHasContent = false;
        } else if (byte !== 0x0d) {
          lineHasContent = true;
        }
      }
    }
    return lineHasContent ? records + 1 : records;
  } finally {
    await handle.close();
  }
}
