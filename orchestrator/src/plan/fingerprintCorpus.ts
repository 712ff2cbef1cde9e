import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { InputError, sha256Hex } from '@evalshard/scorer';
import { fileSha256 } from '@evalshard/gpu-worker';

export interface CorpusFile {
  path: string;
  size: number;
  /** sha256 of the content, or of size and modification time with corpusDigest: stat. */
  digest: string;
}

// Stats are cheap and mostly waiting; content digests read whole files, one a core.
const CONCURRENT_STATS = 64;
const CONCURRENT_DIGESTS = Math.max(1, availableParallelism());
const CACHED_DIGESTS = 100_000;

/**
 * Content digests of files this process has read, by (path, size,
 * modification and change times): a long-lived worker (`evalshard worker`, `up`) plans a
 * scheduled run over an unchanged corpus without reading it again.
 */
const contentDigests = new Map<string, string>();

/**
 * Fingerprints the corpus files in order. With `content` the digest depends
 * only on the bytes and their order, so the same corpus elsewhere has the
 * same digest; `stat` avoids reading large corpora but changes when a file
 * is touched. Files are stat'ed and read in parallel.
 */
export async function fingerprintCorpus(
  paths: string[],
  mode: 'content' | 'stat',
): Promise<{ files: CorpusFile[]; digest: string }> {
  const infos = await mapLimit(paths, CONCURRENT_STATS, async (path) => {
    try {
      return await stat(path);
    } catch {
      throw new InputError(`${path}: no such corpus file`, { file: path, field: 'corpus', code: 'BAD_SPEC' });
    }
  });
  const files = await mapLimit(paths, mode === 'content' ? CONCURRENT_DIGESTS : CONCURRENT_STATS, async (path, i) => {
    const info = infos[i]!;
    const digest = mode === 'content' ? await contentDigest(path, info.size, `${info.mtimeMs}\0${info.ctimeMs}`) : sha256Hex(`${basename(path)}\0${info.size}\0${info.mtimeMs}`);
    return { path, size: info.size, digest };
  });
  const digest = sha256Hex(files.map((file) => `${file.size}\0${file.digest}`).join('\n'));
  return { files, digest };
}

async function contentDigest(path: string, size: number, times: string): Promise<string> {
  const key = `${path}\0${size}\0${times}`;
  const cached = contentDigests.get(key);
  if (cached !== undefined) return cached;
  const digest = await fileSha256(path);
  if (contentDigests.size >= CACHED_DIGESTS) contentDigests.clear();
  contentDigests.set(key, digest);
  return digest;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, map: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await map(items[i]!, i);
      }
    }),
  );
  return results;
}
