import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cli, startCli } from '../helpers/cliProcess.js';
import { longRunArgs } from '../helpers/upStack.js';
import { scratchDir } from '../helpers/corpora.js';
import { CLI, DEMO_SPEC, repoPath } from '../helpers/paths.js';
import { startService, stopServices } from '../helpers/serviceProcess.js';
import { demoSpec, singlePass } from '../helpers/testStack.js';
import { expectSameScores, readJsonReport } from '../helpers/sameScores.js';

afterAll(stopServices);

describe('the cluster commands, as separate processes against one Temporal server', () => {
  const temporalAddress = inject('temporalAddress');
  const taskQueue = `cluster-${randomUUID()}`;
  let dir: string;
  let scorer: string;

  // The quick start of infra/cluster/README.md: one token file shared by every process, workers confined to the data.
  let auth: string[];
  const noTokenInEnv = { ...process.env, EVALSHARD_AUTH_TOKEN: '' };

  beforeAll(async () => {
    dir = scratchDir();
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${randomUUID()}${randomUUID()}\n`, { mode: 0o600 });
    auth = ['--auth-token-file', tokenFile];
    scorer = `127.0.0.1:${(await startService(['scorer', '--db', join(dir, 'scorer.sqlite'), ...auth], /"listening"/, noTokenInEnv)).port}`;
    const workers = await Promise.all(
      ['a', 'b'].map(
        async (id) =>
          (await startService(['gpu-worker', '--id', id, '--intra-op-threads', '1', '--data-root', repoPath('examples'), '--data-root', dir, ...auth], /"listening"/, noTokenInEnv)).port,
      ),
    );
    await startService(
      [
        'worker', '--temporal-address', temporalAddress, '--task-queue', taskQueue,
        '--gpu-workers', workers.map((port) => `127.0.0.1:${port}`).join(','), '--scorer', scorer, ...auth,
      ],
      /polling/,
      noTokenInEnv,
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
    const shown = await cli(['show', report.run.runId, '--scorer', scorer, '--temporal-address', temporalAddress, '--json', ...auth]);
    expect(shown.code, shown.stderr).toBe(0);
    expectSameScores((JSON.parse(shown.stdout) as { scores: unknown }).scores, reference.scores);
  });

  it('status and cancel work from another process against the cluster', async () => {
    const temporal = ['--temporal-address', temporalAddress, '--task-queue', taskQueue];
    const cluster = [...temporal, '--scorer', scorer, ...auth];
    const running = startCli([...longRunArgs(dir), '--run-id', 'cluster-long', '--no-progress', ...temporal]);
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
