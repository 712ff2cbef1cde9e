import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, startCli } from '../helpers/cliProcess.js';
import { scratchDir } from '../helpers/corpora.js';
import { repoPath } from '../helpers/paths.js';
import { readJsonReport } from '../helpers/sameScores.js';
import { addCheckpoint, demoSample, longRunArgs, startUp, textcatSpec, type UpStack } from '../helpers/upStack.js';

interface Comparison {
  paired: boolean;
  a: string;
  b: string;
  keys: Array<{ key: string; a: number | null; b: number | null; difference: number | null; interval: [number, number] | null; pValue: number | null; replicates: number }>;
}

const KEYS = ['cats_score', 'cats_micro_f', 'cats_macro_p', 'cats_macro_r', 'cats_macro_f', 'cats_macro_auc'];

// Run history, comparison and gates on a real `evalshard up`, through the
// command line, against the Python reference where there is one.
describe('run history, comparison and gates', () => {
  let dir: string;
  let stack: UpStack;
  let corpus: string;
  let specA: string;
  let specB: string;

  beforeAll(async () => {
    dir = scratchDir();
    corpus = demoSample(dir, 300, 4);
    specA = textcatSpec(dir, 'a', addCheckpoint(join(dir, 'models'), 'a', null), corpus);
    specB = textcatSpec(dir, 'b', addCheckpoint(join(dir, 'models'), 'b', 5, undefined, 2), corpus);
    stack = await startUp(join(dir, 'state'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function run(spec: string, runId: string, ...extra: string[]) {
    const json = join(dir, `${runId}.json`);
    const done = await cli(stack.args('run', spec, '--run-id', runId, '--json', json, '--no-progress', ...extra));
    return { ...done, json };
  }

  async function compare(a: string, b: string): Promise<Comparison> {
    const done = await cli(stack.args('compare', a, b, '--keys', KEYS.join(','), '--json'));
    expect(done.code, done.stderr).toBe(0);
    return JSON.parse(done.stdout) as Comparison;
  }

  it('compares two checkpoints by paired bootstrap: the same at 1 and 7 shards, and equal to the Python oracle', async () => {
    const seed = String(Math.floor(Math.random() * 1_000_000));
    const bootstrap = ['--bootstrap', '40', '--seed', seed];
    for (const [spec, id, shards] of [[specA, 'a1', '1'], [specB, 'b1', '1'], [specA, 'a7', '7'], [specB, 'b7', '7']] as const) {
      const done = await run(spec, id, '--shards', shards, ...bootstrap, '--save-predictions', join(dir, `pred-${id}`));
      expect(done.code, done.stderr).toBe(0);
      expect(done.stderr).toMatch(new RegExp(`Temporal Web UI: ${stack.info.uiUrl}/namespaces/default/workflows/evalshard-${id}`));
    }
    const one = await compare('a1', 'b1');
    const seven = await compare('a7', 'b7');
    expect(one.paired).toBe(true);
    expect(seven.keys).toEqual(one.keys);
    expect(one.keys.some((key) => key.difference !== 0)).toBe(true);

    const oracle = JSON.parse(
      execFileSync('python3', [
        repoPath('test/oracle/paired_bootstrap_oracle.py'),
        '--gold', corpus,
        '--pred-a', readJsonReport(join(dir, 'a1.json')).run.predictions,
        '--pred-b', readJsonReport(join(dir, 'b1.json')).run.predictions,
        '--replicates', '40', `--seed=${seed}`,
        '--cats-labels', 'ham,spam', '--positive-label', 'spam',
        '--keys', KEYS.join(','),
      ], { encoding: 'utf8' }),
    ) as { keys: Array<{ key: string; a: number; b: number; difference: number; interval: [number, number] | null; p_value: number | null; replicates: number }> };
    expect(one.keys.map(({ pValue, ...rest }) => ({ ...rest, p_value: pValue }))).toEqual(oracle.keys);

    // `evalshard score` of the saved predictions is recorded too, and compares the same way.
    for (const id of ['a1', 'b1']) {
      const scored = await cli(stack.args(
        'score', '--gold', corpus, '--pred', readJsonReport(join(dir, `${id}.json`)).run.predictions,
        '--cats-labels', 'ham,spam', '--positive-label', 'spam', ...bootstrap, '--shards', '3', '--run-id', `score-${id}`, '--no-progress',
      ));
      expect(scored.code, scored.stderr).toBe(0);
    }
    expect((await compare('score-a1', 'score-b1')).keys).toEqual(one.keys);
  });

  it('marks a breached gate as regressed, exits 3 and posts the summary to --notify', async () => {
    const received: unknown[] = [];
    const server: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    try {
      const passed = await run(specA, 'gate-pass', '--fail-if', 'cats_score < 0.1', '--notify', url);
      expect(passed.code, passed.stderr).toBe(0);
      expect(readJsonReport(passed.json).run.status).toBe('succeeded');

      const breached = await run(specB, 'gate-breach', '--fail-if', 'cats_score > 0.1', '--max-drop', 'cats_macro_auc=0', '--baseline', 'a1', '--notify', url);
      expect(breached.code, breached.stderr).toBe(3);
      expect(breached.stdout).toMatch(/REGRESSED: \d gates? breached \(baseline: run a1\)/);
      const shown = JSON.parse((await cli(stack.args('show', 'gate-breach', '--json'))).stdout) as { status: string; scores: { cats_score: number } };
      expect(shown.status).toBe('regressed');
      expect(received).toHaveLength(1);
      const note = received[0] as { run: string; baseline: string; breaches: Array<{ key: string; value: number }> };
      expect(note.run).toBe('gate-breach');
      expect(note.baseline).toBe('a1');
      expect(note.breaches[0]).toMatchObject({ key: 'cats_score', value: shown.scores.cats_score });
      const regressed = JSON.parse((await cli(stack.args('runs', '--status', 'regressed', '--json'))).stdout) as Array<{ runId: string }>;
      expect(regressed.map((entry) => entry.runId)).toEqual(['gate-breach']);
    } finally {
      server.close();
    }
  });

  it('shows the live status of a running run and cancels it from another process', async () => {
    const running = startCli(stack.args(...longRunArgs(dir), '--run-id', 'long', '--no-progress'));
    await running.waitForStderr(/Temporal Web UI/, 60_000);
    let status: { status: string; progress: { shardsDone: number; shardCount: number } | null } | undefined;
    for (let i = 0; i < 60 && !(status?.progress && status.progress.shardsDone > 0); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = JSON.parse((await cli(stack.args('status', 'long', '--no-follow', '--json'))).stdout);
    }
    expect(status!.status).toBe('running');
    expect(status!.progress!.shardsDone).toBeLessThan(status!.progress!.shardCount);
    const cancelled = await cli(stack.args('cancel', 'long'));
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toContain('run long: cancelled');
    const ended = await running.finished;
    expect(ended.code).toBe(1);
    expect(ended.stderr).toContain('the run was cancelled');
    const shown = JSON.parse((await cli(stack.args('show', 'long', '--json'))).stdout) as { status: string };
    expect(shown.status).toBe('cancelled');
  });

  it('status and cancel find a plain embedded run (no evalshard up) through its state directory', async () => {
    const stateDir = join(dir, 'plain');
    const running = startCli([...longRunArgs(dir), '--run-id', 'plain-long', '--state-dir', stateDir, '--no-progress']);
    await running.waitForStderr(/Temporal Web UI/, 120_000);
    const status = await cli(['status', 'plain-long', '--no-follow', '--json', '--state-dir', stateDir]);
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { status: string }).status).toBe('running');
    const cancelled = await cli(['cancel', 'plain-long', '--state-dir', stateDir]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toContain('run plain-long: cancelled');
    expect((await running.finished).code).toBe(1);
    // The run's stack is gone with it: the commands say so, exit 2.
    const after = await cli(['runs', '--state-dir', stateDir]);
    expect(after.code).toBe(2);
    expect(after.stderr).toContain(`no evalshard up is running in ${stateDir}`);
  });
});
