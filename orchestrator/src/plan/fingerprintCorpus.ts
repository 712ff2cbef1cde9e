import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError, sha256Hex } from '@evalshard/scorer';
import { fileSha256 } from '@evalshard/gpu-worker';

export interface CorpusFile {
  path: string;
  size: number;
  /** sha256 of the content, or of size and modification time with corpusDigest: stat. */
  digest: string;
}

/**
 * Fingerprints the corpus files in order. With `content` the digest depends
 * only on the bytes and their order, so the same corpus elsewhere has the
 * same digest; `stat` avoids reading large corpora but changes when a file
 * is touched.
 */
export async function fingerprintCorpus(
  paths: string[],
  mode: 'content' | 'stat',
): Promise<{ files: CorpusFile[]; digest: string }> {
  const files: CorpusFile[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new InputError(`${path}: no such corpus file`, { file: path, field: 'corpus', code: 'BAD_SPEC' });
    }
    const digest = mode === 'content' ? await fileSha256(path) : sha256Hex(`${basename(path)}\0${info.size}\0${info.mtimeMs}`);
    files.push({ path, size: info.size, digest });
  }
  const digest = sha256Hex(files.map((file) => `${file.size}\0${file.digest}`).join('\n'));
  return { files, digest };
}
