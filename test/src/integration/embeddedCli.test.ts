import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/corpora.js';
import { CLI, DEMO_SPEC } from '../helpers/paths.js';
import { expectSameScores, readJsonReport } from '../helpers/sameScores.js';

const run = promisify(execFile);

describe('the demo on the embedded stack', () => {
  it('starts a Temporal dev server, a scorer and two workers, prints the scores and equals --single-pass', async () => {
    const dir = scratchDir();
    const distributedJson = join(dir, 'distributed.json');
    const singleJson = join(dir, 'single.json');
    const distributed = await run(
      process.execPath,
      [CLI, 'run', DEMO_SPEC, '--workers', '2', '--json', distributedJson, '--state-dir', join(dir, 'state')],
      { timeout: 240_000 },
    );
    await run(process.execPath, [CLI, 'run', DEMO_SPEC, '--single-pass', '--json', singleJson], { timeout: 120_000 });
    expect(distributed.stderr).toMatch(/starting the embedded stack .*2 workers/);
    expect(distributed.stdout).toMatch(/cats_score\s+0\.\d{4}/);
    expect(distributed.stdout).toMatch(/^\s+spam\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+$/m);
    const report = readJsonReport(distributedJson);
    const reference = readJsonReport(singleJson);
    expect(Object.keys(report)).toEqual(['scores', 'run']);
    expect(report.run.mode).toBe('distributed');
    expect(report.run.workers).toBe(2);
    expect(report.run.docs).toBe(1210);
    expectSameScores(report.scores, reference.scores);
    // Stopped what it started: the state directory's processes are gone.
    expect(readFileSync(join(dir, 'state', 'logs', 'gpu-worker-1.log'), 'utf8')).toMatch(/ended with/);
  });
});
