import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cli, startCli } from '../helpers/cliProcess.js';
import { longRunArgs } from '../helpers/upStack.js';
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
  const temporalAddress = inject('temporalAddress');
  const taskQueue = `cluster-${randomUUID()}`;
  let dir: string;
  let scorer: string;

  beforeAll(async () => {
    dir = scratchDir();
    const portOf = (line: string) => (JSON.parse(line) as { port: number }).port;
    scorer = `127.0.0.1:${portOf(await startService(['scorer', '--db', join(dir, 'scorer.sqlite')], /"listening"/))}`;
    const workers = await Promise.all(
      ['a', 'b'].map(async (id) => portOf(await startService(['gpu-worker', '--id', id, '--intra-op-threads', '1'], /"listening"/))),
    );
    await startService(
      [
        'worker', '--temporal-address', temporalAddress, '--task-queue', taskQueue,
        '--gpu-workers', workers.map((port) => `127.0.0.1:${port}`).join(','), '--scorer', scorer,
      ],
      /polling/,
    );
  });

  it('evalshard scorer, gpu-worker × 2, worker and run --temporal-address give the single-pass scores', async () => {
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
    // The cluster's scorer keeps the history: the run is there, with the same scores.
    const shown = await cli(['show', report.run.runId, '--scorer', scorer, '--temporal-address', temporalAddress, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    expectSameScores((JSON.parse(shown.stdout) as { scores: unknown }).scores, reference.scores);
  });

  it('status and cancel work from another process against the cluster', async () => {
    const cluster = ['--temporal-address', temporalAddress, '--scorer', scorer, '--task-queue', taskQueue];
    const running = startCli([...longRunArgs(dir), '--run-id', 'cluster-long', '--no-progress', ...cluster.filter((_, i) => i < 2 || i > 3)]);
    let status: { status: string; progress: { shardsDone: number } | null } | undefined;
    for (let i = 0; i < 120 && !(status?.progress && status.progress.shardsDone > 0); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const asked = await cli(['status', 'cluster-long', '--no-follow', '--json', ...cluster]);
      if (asked.code === 0) status = JSON.parse(asked.stdout);
    }
    expect(status?.status).toBe('running');
    const cancelled = await cli(['cancel', 'cluster-long', ...cluster]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toContain('run cluster-long: cancelled');
    expect((await running.finished).code).toBe(1);
  });
});
