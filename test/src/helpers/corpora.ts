import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CORPUS } from './paths.js';

export function scratchDir(prefix = 'evalshard-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The demo corpus `times` over, as a larger corpus generated at test time. */
export function repeatedDemoCorpus(dir: string, times: number): string {
  const path = join(dir, `demo-x${times}.jsonl`);
  writeFileSync(path, readFileSync(DEMO_CORPUS, 'utf8').repeat(times));
  return path;
}

export interface BrokenCorpus {
  path: string;
  /** Byte offsets of the broken lines. */
  brokenOffsets: number[];
}

/** The demo corpus with some lines replaced by broken JSON. */
export function corpusWithBrokenLines(dir: string, brokenLineNumbers: number[]): BrokenCorpus {
  const lines = readFileSync(DEMO_CORPUS, 'utf8').split('\n').filter((line) => line !== '');
  const brokenOffsets: number[] = [];
  let offset = 0;
  const out = lines.map((line, i) => {
    const text = brokenLineNumbers.includes(i) ? line.slice(0, Math.floor(line.length / 2)) : line;
    if (brokenLineNumbers.includes(i)) brokenOffsets.push(offset);
    offset += Buffer.byteLength(text) + 1;
    return text;
  });
  const path = join(dir, 'broken.jsonl');
  writeFileSync(path, `${out.join('\n')}\n`);
  return { path, brokenOffsets };
}
