import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, descendantsOf, startCli, stillAlive, storedPartials, waitFor } from '../helpers/cliProcess.js';
import { repeatedDemoCorpus, scratchDir } from '../helpers/corpora.js';
import { DEMO_CORPUS, DEMO_MODEL, DEMO_SPEC } from '../helpers/paths.js';
import { expectSameScores, readJsonReport } from '../helpers/sameScores.js';
import { demoSpec, singlePass } from '../helpers/testStack.js';

// The demo spec with a short heartbeat timeout: a shard whose activity was
// lost with a killed process is retried after seconds, not half a minute.
function quickRetrySpec(dir: string): string {
  const spec = join(dir, 'spec.yaml');
  writeFileSync(
    spec,
    `model: ${DEMO_MODEL}\ncorpus: ${DEMO_CORPUS}\ntask: textcat\nlabels: [ham, spam]\nscorer: { positiveLabel: spam }\n` +
      `workers: 2\ntimeouts: { heartbeat: 5s }\nretry: { initialInterval: 200ms }\n`,
  );
  return spec;
}

// Faults a user meets with `evalshard run` on its embedded stack, each in a
// state directory of its own, against real processes.
describe('the embedded stack at its edges', () => {
  it('lets a second run in the same state directory fail at once, naming the directory and the holder; the first is undisturbed', async () => {
    const dir = scratchDir();
    const stateDir = join(dir, 'state');
    const json = join(dir, 'first.json');
    const first = startCli(['run', DEMO_SPEC, '--state-dir', stateDir, '--run-id', 'holder', '--json', json, '--no-progress']);
    await first.waitForStderr(/starting the embedded stack/, 30_000);
    const started = performance.now();
    const second = await cli(['run', DEMO_SPEC, '--state-dir', stateDir, '--run-id', 'intruder', '--no-progress']);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`the state directory ${stateDir} is in use by another evalshard (pid ${first.child.pid}`);
    expect(second.stderr).toMatch(/run holder: evalshard run .*; wait for it to finish, or give this run its own --state-dir/);

    const done = await first.finished;
    expect(done.code).toBe(0);
    const reference = await singlePass(await demoSpec());
    expectSameScores(readJsonReport(json).scores, reference.scores);
    // Released: the next run there starts normally.
    const again = await cli(['run', DEMO_SPEC, '--state-dir', stateDir, '--shards', '2', '--no-progress']);
    expect(again.code).toBe(0);
  });

  it('restarts a Temporal dev server killed mid-run, and the run ends with the single-pass scores', async () => {
    const dir = scratchDir();
    const corpus = repeatedDemoCorpus(dir, 4);
    const stateDir = join(dir, 'state');
    const json = join(dir, 'report.json');
    const run = startCli(['run', quickRetrySpec(dir), '--corpus', corpus, '--shards', '32', '--state-dir', stateDir, '--json', json, '--no-progress']);
    await waitFor(() => storedPartials(join(stateDir, 'scorer.sqlite')) >= 3, 120_000, 'three stored shards');
    const server = descendantsOf(run.child.pid!).find((entry) => /temporal server start-dev/.test(entry.command) && !/leash/.test(entry.command));
    expect(server).toBeDefined();
    process.kill(server!.pid, 'SIGKILL');
    const done = await run.finished;
    expect(done.stderr).toMatch(/temporal-dev-server ended \(signal SIGKILL\); restarted it \(1 restart\)/);
    expect(done.code).toBe(0);
    const report = readJsonReport(json);
    expect(storedPartials(join(stateDir, 'scorer.sqlite'))).toBe(32);
    const reference = await singlePass(await demoSpec({ corpus }));
    expectSameScores(report.scores, reference.scores);
    expect(report.run.docs).toBe(reference.run.docs);
  });

  it('leaves nothing running when the command is killed with SIGKILL, and the run resumes by id to the single-pass scores', async () => {
    const dir = scratchDir();
    const corpus = repeatedDemoCorpus(dir, 4);
    const stateDir = join(dir, 'state');
    const json = join(dir, 'report.json');
    const args = ['run', quickRetrySpec(dir), '--corpus', corpus, '--shards', '32', '--state-dir', stateDir, '--run-id', 'killed'];
    const run = startCli([...args, '--no-progress']);
    await run.waitForStderr(/run killed; if this command stops before the end, resume with: evalshard run .* --run-id killed/, 60_000);
    await waitFor(() => storedPartials(join(stateDir, 'scorer.sqlite')) >= 3, 120_000, 'three stored shards');
    const started = descendantsOf(run.child.pid!);
    // The dev server (on its leash), the scorer and two workers at least.
    expect(started.filter((entry) => /temporal server start-dev/.test(entry.command)).length).toBeGreaterThanOrEqual(1);
    expect(started.filter((entry) => /gpu-worker\/dist\/main\.js/.test(entry.command))).toHaveLength(2);
    expect(started.filter((entry) => /scorer\/dist\/main\.js/.test(entry.command))).toHaveLength(1);
    run.child.kill('SIGKILL');
    await run.finished;
    const killedAt = performance.now();
    await waitFor(() => stillAlive(started).length === 0, 10_000, `the processes it started to end: ${JSON.stringify(stillAlive(started))}`);
    expect(performance.now() - killedAt).toBeLessThan(10_000);

    const resumed = await cli([...args, '--json', json, '--no-progress']);
    expect(resumed.code).toBe(0);
    const report = readJsonReport(json);
    const reference = await singlePass(await demoSpec({ corpus }));
    expectSameScores(report.scores, reference.scores);
    expect(report.run.docs).toBe(reference.run.docs);
    // Timed and counted as the work this command did, not since the first start.
    expect(report.run.evaluatedDocs).toBeLessThan(reference.run.docs);
    expect(report.run.timings.evaluateMs).toBeLessThan(report.run.timings.wallMs);
    expect(report.run.throughput.docsPerSecond).toBeCloseTo(report.run.evaluatedDocs / (report.run.timings.evaluateMs / 1000), 0);
  });

  it('cuts no more shards than the corpus has records, and says so', async () => {
    const dir = scratchDir();
    const corpus = join(dir, 'small.jsonl');
    writeFileSync(corpus, `${readFileSync(DEMO_CORPUS, 'utf8').split('\n').slice(0, 30).join('\n')}\n`);
    const json = join(dir, 'report.json');
    const result = await cli(['run', DEMO_SPEC, '--corpus', corpus, '--shards', '100000', '--state-dir', join(dir, 'state'), '--json', json, '--no-progress']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('the corpus has fewer records than the 100000 shards asked for: 30 shards, at most one per record');
    const report = readJsonReport(json);
    expect(report.run.shards).toBe(30);
    expectSameScores(report.scores, (await singlePass(await demoSpec({ corpus }))).scores);
  });

  it.each([['--shards', '0'], ['--shards', '-1'], ['--shards', '1.5'], ['--workers', '0']])(
    'refuses %s %s as a wrong command line (exit 2)',
    async (option, value) => {
      const result = await cli(['run', DEMO_SPEC, option, value, '--single-pass']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`error: option '${option} <n>' argument '${value}' is invalid. expected a positive integer`);
    },
  );

  it.each([
    ['-1', 'expected an integer from 0 to 256'],
    ['257', 'expected an integer from 0 to 256'],
    ['x', 'expected a number'],
  ])('refuses --prefetch %s as a wrong command line (exit 2)', async (value, reason) => {
    const result = await cli(['run', DEMO_SPEC, '--prefetch', value, '--single-pass']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: option '--prefetch <n>' argument '${value}' is invalid. ${reason}`);
  });
});
