import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { scratchDir } from '../helpers/corpora.js';
import { CLI, DEMO_SPEC } from '../helpers/paths.js';
import { demoSpec, singlePass } from '../helpers/testStack.js';
import { expectSameScores, readJsonReport } from '../helpers/sameScores.js';

const started: ChildProcess[] = [];

/** Starts `evalshard <args>` and resolves once a line of its output matches. */
function startService(args: string[], ready: RegExp): Promise<string> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  return new Promise((resolve, reject) => {
    const onLine = (line: string) => {
      if (ready.test(line)) resolve(line);
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code) => reject(new Error(`evalshard ${args[0]} exited with ${code} before it was ready`)));
  });
}

afterAll(() => {
  for (const child of started) child.kill('SIGTERM');
});

describe('the cluster commands, as separate processes against one Temporal server', () => {
  it('evalshard scorer, gpu-worker × 2, worker and run --temporal-address give the single-pass scores', async () => {
    const dir = scratchDir();
    const temporalAddress = inject('temporalAddress');
    const taskQueue = `cluster-${randomUUID()}`;
    const portOf = (line: string) => (JSON.parse(line) as { port: number }).port;
    const scorer = portOf(await startService(['scorer', '--db', join(dir, 'scorer.sqlite')], /"listening"/));
    const workers = await Promise.all(
      ['a', 'b'].map(async (id) => portOf(await startService(['gpu-worker', '--id', id, '--intra-op-threads', '1'], /"listening"/))),
    );
    await startService(
      [
        'worker', '--temporal-address', temporalAddress, '--task-queue', taskQueue,
        '--gpu-workers', workers.map((port) => `127.0.0.1:${port}`).join(','), '--scorer', `127.0.0.1:${scorer}`,
      ],
      /polling/,
    );
    const json = join(dir, 'report.json');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [CLI, 'run', DEMO_SPEC, '--temporal-address', temporalAddress, '--task-queue', taskQueue, '--json', json, '--no-progress'],
      { timeout: 120_000 },
    );
    expect(stdout).toMatch(/\(distributed\): 1210 docs/);
    const report = readJsonReport(json);
    const reference = await singlePass(await demoSpec());
    expectSameScores(report.scores, reference.scores);
  });
});
