import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Identifies a model bundle by content: sha256 over each file's name, size
 * and sha256, in name order. Two hosts with the same bundle agree on it
 * whatever the paths or modification times.
 */
export async function bundleDigest(dir: string): Promise<string> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  const outer = createHash('sha256');
  for (const name of names) {
    const path = join(dir, name);
    const { size } = await stat(path);
    outer.update(`${name}\0${size}\0${await fileSha256(path)}\n`);
  }
  return outer.digest('hex');
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
