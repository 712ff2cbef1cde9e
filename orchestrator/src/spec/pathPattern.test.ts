import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandPathPattern } from './pathPattern.js';

describe('expandPathPattern', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalshard-paths-'));
  const odd = join(dir, 'runs (v2) [old] {a}');
  mkdirSync(odd);
  for (const name of ['x.jsonl', 'y.jsonl', 'z.txt']) writeFileSync(join(odd, name), '');

  it('takes a path that exists as written, whatever it holds', async () => {
    expect(await expandPathPattern(join(odd, 'x.jsonl'), 'files')).toEqual({ pattern: false, paths: [join(odd, 'x.jsonl')] });
  });

  it('matches wildcards under a folder whose name has parentheses', async () => {
    const parens = join(dir, 'data (copy)');
    mkdirSync(parens);
    for (const name of ['a.jsonl', 'b.jsonl']) writeFileSync(join(parens, name), '');
    const { pattern, paths } = await expandPathPattern(join(parens, '*.jsonl'), 'files');
    expect(pattern).toBe(true);
    expect(paths.sort()).toEqual([join(parens, 'a.jsonl'), join(parens, 'b.jsonl')]);
  });

  it('reads parentheses literally, so a damaged path is missing, not a crawl of the filesystem', async () => {
    expect(await expandPathPattern('/w(rk/main/corpus.jsonl', 'files')).toEqual({ pattern: false, paths: ['/w(rk/main/corpus.jsonl'] });
    expect(await expandPathPattern('/w(rk/main/*.jsonl', 'files')).toEqual({ pattern: true, paths: [] });
    expect(await expandPathPattern('/e(tc)/*', 'directories')).toEqual({ pattern: true, paths: [] });
    expect(await expandPathPattern('/wo{rk/main/test/corpus.jsonl', 'files')).toEqual({ pattern: true, paths: [] });
    expect(await expandPathPattern('/w[o/main/*.jsonl', 'files')).toEqual({ pattern: true, paths: [] });
    expect(await expandPathPattern('/wo}rk/{a,b/*.jsonl', 'files')).toEqual({ pattern: true, paths: [] });
  });

  it('reads balanced braces and brackets as alternatives and classes', async () => {
    expect((await expandPathPattern(join(dir, 'runs*', '{x,z}.*'), 'files')).paths.sort()).toEqual([join(odd, 'x.jsonl'), join(odd, 'z.txt')]);
    expect((await expandPathPattern(join(dir, 'runs*', '[xy].jsonl'), 'files')).paths.sort()).toEqual([join(odd, 'x.jsonl'), join(odd, 'y.jsonl')]);
  });

  it('finds folders for models and files for corpora', async () => {
    expect((await expandPathPattern(join(dir, 'runs*'), 'directories')).paths).toEqual([odd]);
    expect((await expandPathPattern(join(dir, 'runs*'), 'files')).paths).toEqual([]);
  });
});
