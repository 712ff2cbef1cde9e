import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { provideTemporalCli } from '@evalshard/orchestrator';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, startCli, stillAlive, waitFor, type ProcessIdentity } from '../helpers/cliProcess.js';
import { scratchDir } from '../helpers/corpora.js';
import { DEMO_SPEC } from '../helpers/paths.js';
import { expectSameScores, readJsonReport } from '../helpers/sameScores.js';
import { demoSpec, singlePass } from '../helpers/testStack.js';

// A stand-in for the Go toolchain, so that a first run is tried in seconds
// rather than the real build's minutes: it logs its pid, prints what
// `go install -v` prints (modules fetched, packages compiled) at a slow pace,
// then installs a copy of a real Temporal CLI, or fails like a broken build.
const STUB_GO = `#!/usr/bin/env bash
echo "$$ $*" >> "$STUB_GO_LOG"
for i in $(seq 1 "\${STUB_GO_STEPS:-6}"); do
  echo "go: downloading example.com/mod$i v1.0.$i" >&2
  sleep "\${STUB_GO_DELAY:-0.3}"
  echo "example.com/mod$i/pkg" >&2
done
if [ -n "$STUB_GO_FAIL" ]; then
  echo "# example.com/broken" >&2
  echo "compile: writing output: no space left on device" >&2
  exit 1
fi
cp "$STUB_GO_TEMPORAL" "$GOBIN/temporal"
`;

let realTemporal: string;
beforeAll(async () => {
  realTemporal = await provideTemporalCli();
});

/** A machine as a new user has it: no Temporal CLI anywhere, Go on PATH. */
function freshMachine(extra: NodeJS.ProcessEnv = {}) {
  const dir = scratchDir('evalshard-fresh-machine-');
  const bin = join(dir, 'bin');
  const goLog = join(dir, 'go-invocations.log');
  mkdirSync(bin);
  writeFileSync(join(bin, 'go'), STUB_GO);
  chmodSync(join(bin, 'go'), 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:/usr/bin:/bin`,
    EVALSHARD_TOOLS_DIR: join(dir, 'tools'),
    EVALSHARD_TEMPORAL_CLI: '',
    STUB_GO_LOG: goLog,
    STUB_GO_TEMPORAL: realTemporal,
    ...extra,
  };
  const invocations = () => (existsSync(goLog) ? readFileSync(goLog, 'utf8').trim().split('\n').filter(Boolean) : []);
  return { dir, env, invocations, binary: join(dir, 'tools', 'temporal-cli-v1.5.1', 'temporal') };
}

describe('the first run on a machine without a Temporal CLI', () => {
  it("README's quick start says within 5 s that it builds the Temporal CLI, shows it is alive, then runs to the single-pass scores", async () => {
    const machine = freshMachine({ STUB_GO_DELAY: '0.5' });
    const json = join(machine.dir, 'report.json');
    const run = startCli(['run', DEMO_SPEC, '--workers', '2', '--state-dir', join(machine.dir, 'state'), '--json', json], machine.env);
    const noticeAfterMs = await run.waitForStderr(
      /building the Temporal CLI v1\.5\.1 with Go, once for this machine \(usually 3–8 minutes; log: .*\)/,
      5_000,
    );
    expect(noticeAfterMs).toBeLessThan(5_000);
    await run.waitForStderr(/building the Temporal CLI: \d+s, \d+ modules fetched, \d+ packages compiled/, 5_000);
    const done = await run.finished;
    expect(done.code).toBe(0);
    expect(done.stderr).toMatch(/built the Temporal CLI v1\.5\.1 in \d+s: /);
    expect(machine.invocations()).toHaveLength(1);
    expect(existsSync(machine.binary)).toBe(true);
    expectSameScores(readJsonReport(json).scores, (await singlePass(await demoSpec())).scores);
    // Built once: the next run and `evalshard setup` use it at once.
    const setup = await cli(['setup'], machine.env);
    expect(setup.code).toBe(0);
    expect(setup.stdout).toContain(`Temporal CLI: ${machine.binary}`);
    expect(machine.invocations()).toHaveLength(1);
  });

  it('builds once when several commands start at the same time; the others wait and say for whom', async () => {
    const machine = freshMachine({ STUB_GO_DELAY: '0.4' });
    const first = startCli(['setup'], machine.env);
    await first.waitForStderr(/building the Temporal CLI v1\.5\.1 with Go/, 10_000);
    const others = [startCli(['setup'], machine.env), startCli(['setup'], machine.env)];
    for (const other of others) {
      await other.waitForStderr(
        new RegExp(`waiting for another evalshard \\(pid ${first.child.pid}, since [\\d:]+ UTC: building the Temporal CLI v1\\.5\\.1\\) to finish building`),
        10_000,
      );
    }
    const results = await Promise.all([first.finished, ...others.map((other) => other.finished)]);
    expect(results.map((result) => result.code)).toEqual([0, 0, 0]);
    for (const result of results) expect(result.stdout).toContain(`Temporal CLI: ${machine.binary} (temporal version`);
    expect(machine.invocations()).toHaveLength(1);
  });

  it("ends a failed build with the tail of Go's output and what to do, and a later try builds it", async () => {
    const machine = freshMachine({ STUB_GO_FAIL: '1', STUB_GO_DELAY: '0' });
    const failed = await cli(['setup'], machine.env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/error: building the Temporal CLI v1\.5\.1 failed \(go install ended with 1 after \d+s\)/);
    expect(failed.stderr).toContain('  | compile: writing output: no space left on device');
    expect(failed.stderr).toMatch(/What to do: check that Go can reach its module proxy .*\n {2}npx evalshard setup/);
    expect(existsSync(machine.binary)).toBe(false);
    const retried = await cli(['setup'], { ...machine.env, STUB_GO_FAIL: '' });
    expect(retried.code).toBe(0);
    expect(machine.invocations()).toHaveLength(2);
  });

  it('leaves no build running when the command is killed, and the next one takes the build over', async () => {
    const machine = freshMachine({ STUB_GO_DELAY: '2' });
    const first = startCli(['setup'], machine.env);
    await waitFor(() => machine.invocations().length === 1, 10_000, 'the build to start');
    const goPid = Number(machine.invocations()[0]!.split(' ')[0]);
    const stat = readFileSync(`/proc/${goPid}/stat`, 'utf8');
    const build: ProcessIdentity = { pid: goPid, startTicks: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!, command: 'go' };
    first.child.kill('SIGKILL');
    await first.finished;
    await waitFor(() => stillAlive([build]).length === 0, 10_000, 'the killed build to end');
    const next = await cli(['setup'], { ...machine.env, STUB_GO_DELAY: '0' });
    expect(next.code).toBe(0);
    expect(existsSync(machine.binary)).toBe(true);
  });
});
