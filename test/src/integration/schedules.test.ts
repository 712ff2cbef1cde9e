import { join } from 'node:path';
import { ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cliProcess.js';
import { scratchDir } from '../helpers/corpora.js';
import { expectSameScores, readJsonReport } from '../helpers/sameScores.js';
import { addCheckpoint, demoSample, startUp, textcatSpec, type UpStack } from '../helpers/upStack.js';

interface RunRow {
  runId: string;
  status: string;
  model: string | null;
  startedAt: string;
  schedule: string | null;
  scores: Record<string, unknown> | null;
}

// Periodic evaluation on a real `evalshard up` (its own Temporal dev server,
// scorer and workers), through the command line a user types, checked
// through Temporal's own API where the server is the one that acts.
describe('schedules on evalshard up', () => {
  let dir: string;
  let stack: UpStack;
  let corpus: string;

  beforeAll(async () => {
    dir = scratchDir();
    corpus = demoSample(dir, 120);
    stack = await startUp(join(dir, 'state'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function runs(schedule: string): Promise<RunRow[]> {
    const listed = await cli(stack.args('runs', '--schedule', schedule, '--json'));
    expect(listed.code, listed.stderr).toBe(0);
    return (JSON.parse(listed.stdout) as RunRow[]).reverse();
  }

  async function waitForRuns(schedule: string, done: (rows: RunRow[]) => boolean, timeoutMs: number): Promise<RunRow[]> {
    let rows: RunRow[] = [];
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      rows = await runs(schedule);
      if (done(rows)) return rows;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    throw new Error(`timed out; runs of ${schedule}: ${JSON.stringify(rows.map((row) => [row.runId, row.status, row.model]))}`);
  }

  it('evaluates the newest checkpoint of a folder, skips an unchanged one, evaluates a new one, each equal to --single-pass', async () => {
    const checkpoints = join(dir, 'checkpoints');
    const first = addCheckpoint(checkpoints, 'ckpt-1', 1, new Date(Date.now() - 3_600_000));
    addCheckpoint(checkpoints, 'ckpt-0', 7, new Date(Date.now() - 7_200_000));
    const spec = textcatSpec(dir, 'nightly', checkpoints, corpus);
    const created = await cli(stack.args('schedule', 'create', 'nightly', spec, '--every', '10s', '--bootstrap', '20'));
    expect(created.code, created.stderr).toBe(0);

    const settled = (rows: RunRow[]) => rows.filter((row) => row.status !== 'running');
    let rows = await waitForRuns('nightly', (all) => settled(all).some((row) => row.status === 'skipped'), 90_000);
    const evaluated = settled(rows).filter((row) => row.status === 'succeeded');
    expect(evaluated).toHaveLength(1);
    expect(evaluated[0]!.model).toBe(first);

    const second = addCheckpoint(checkpoints, 'ckpt-2', 2);
    rows = await waitForRuns('nightly', (all) => all.some((row) => row.status === 'succeeded' && row.model === second), 90_000);
    const deleted = await cli(stack.args('schedule', 'delete', 'nightly'));
    expect(deleted.code, deleted.stderr).toBe(0);
    rows = settled(await runs('nightly'));
    const statuses = rows.map((row) => row.status);
    // First firing evaluates ckpt-1; then skipped firings; a later one evaluates ckpt-2; nothing twice.
    expect(statuses[0]).toBe('succeeded');
    expect(statuses).toContain('skipped');
    expect(rows.filter((row) => row.status === 'succeeded').map((row) => row.model)).toEqual([first, second]);
    expect(rows.every((row) => row.schedule === 'nightly')).toBe(true);

    for (const row of rows.filter((entry) => entry.status === 'succeeded')) {
      const json = join(dir, `${row.runId.replace(/[^\w.-]/g, '_')}.json`);
      const single = await cli(['run', textcatSpec(dir, 'one', row.model!, corpus), '--single-pass', '--bootstrap', '20', '--seed', '0', '--json', json, '--no-progress']);
      expect(single.code, single.stderr).toBe(0);
      expectSameScores(row.scores, readJsonReport(json).scores);
    }
  });

  it('pauses, unpauses, triggers, backfills and deletes, as Temporal itself reports', async () => {
    const spec = textcatSpec(dir, 'ops', join(dir, 'checkpoints', 'ckpt-1'), corpus);
    const created = await cli(stack.args('schedule', 'create', 'ops', spec, '--every', '20s', '--on-unchanged', 'run', '--bootstrap', '5'));
    expect(created.code, created.stderr).toBe(0);
    const handle = stack.client.schedule.getHandle('ops');

    expect((await cli(stack.args('schedule', 'pause', 'ops'))).code).toBe(0);
    let description = await handle.describe();
    expect(description.state.paused).toBe(true);
    const taken = description.info.numActionsTaken;
    await new Promise((resolve) => setTimeout(resolve, 3 * 20_000 + 2_000));
    description = await handle.describe();
    expect(description.info.numActionsTaken).toBe(taken);

    expect((await cli(stack.args('schedule', 'unpause', 'ops'))).code).toBe(0);
    expect((await handle.describe()).state.paused).toBe(false);
    // Paused again so that only our own actions fire from here on.
    expect((await cli(stack.args('schedule', 'pause', 'ops'))).code).toBe(0);

    const before = (await handle.describe()).info.numActionsTaken;
    const triggered = await cli(stack.args('schedule', 'trigger', 'ops'));
    expect(triggered.code, triggered.stderr).toBe(0);
    await waitForTaken(handle, before + 1);
    await waitForRuns('ops', (all) => all.length >= before + 1 && all.every((row) => row.status !== 'running'), 60_000);

    // A one-minute window one hour ago holds three firings of "every 20s".
    const aligned = Math.floor((Date.now() - 3_600_000) / 20_000) * 20_000;
    const from = new Date(aligned + 1_000).toISOString();
    const to = new Date(aligned + 61_000).toISOString();
    const backfilled = await cli(stack.args('schedule', 'backfill', 'ops', '--from', from, '--to', to, '--overlap', 'buffer-all'));
    expect(backfilled.code, backfilled.stderr).toBe(0);
    await waitForTaken(handle, before + 4);
    const rows = await waitForRuns('ops', (all) => all.length >= before + 4 && all.every((row) => row.status !== 'running'), 120_000);
    // Every action the server took is one run in the history, evaluated.
    expect(rows).toHaveLength((await handle.describe()).info.numActionsTaken);
    expect(rows.every((row) => row.status === 'succeeded')).toBe(true);

    // update: a new interval, the captured spec kept, as the server now holds them.
    expect((await cli(stack.args('schedule', 'update', 'ops', '--every', '45s'))).code).toBe(0);
    const updated = await handle.describe();
    expect(updated.spec.intervals?.map((interval) => Number(interval.every))).toEqual([45_000]);
    expect((updated.action.args?.[0] as { spec: { corpus: string[] } }).spec.corpus).toEqual([corpus]);

    const described = await cli(stack.args('schedule', 'describe', 'ops', '--json'));
    expect(described.code, described.stderr).toBe(0);
    const view = JSON.parse(described.stdout) as { paused: boolean; lastRuns: Array<{ status: string; headline: { key: string } }> };
    expect(view.paused).toBe(true);
    expect(view.lastRuns[0]!.headline.key).toBe('cats_score');

    expect((await cli(stack.args('schedule', 'delete', 'ops'))).code).toBe(0);
    const listed = await cli(stack.args('schedule', 'list', '--json'));
    expect((JSON.parse(listed.stdout) as Array<{ name: string }>).map((row) => row.name)).not.toContain('ops');
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    const again = await cli(stack.args('schedule', 'describe', 'ops'));
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('no schedule ops');
  });

  it('survives evalshard up killed with SIGKILL: schedules, history and the next firing carry on, nothing evaluated twice', async () => {
    const folder = join(dir, 'survivor-models');
    const model = addCheckpoint(folder, 'only', 3);
    const spec = textcatSpec(dir, 'survivor', folder, corpus);
    // A gate that always breaches: the run is evaluated and recorded as regressed, which counts as evaluated for the skip.
    const created = await cli(stack.args('schedule', 'create', 'survivor', spec, '--every', '10s', '--bootstrap', '5', '--fail-if', 'cats_score >= 0'));
    expect(created.code, created.stderr).toBe(0);
    await waitForRuns('survivor', (all) => all.some((row) => row.status === 'regressed'), 90_000);
    const before = await runs('survivor');

    await stack.stop('SIGKILL');
    stack = await startUp(join(dir, 'state'));
    const restarted = Date.now();
    const description = await stack.client.schedule.getHandle('survivor').describe();
    expect(description.state.paused).toBe(false);
    const rows = await waitForRuns(
      'survivor',
      (all) => all.some((row) => Date.parse(row.startedAt) > restarted && row.status !== 'running'),
      90_000,
    );
    // The history from before the kill is still there, and the firings after it found the model unchanged.
    for (const row of before.filter((entry) => entry.status !== 'running')) {
      expect(rows.find((entry) => entry.runId === row.runId)?.status).toBe(row.status);
    }
    const evaluated = rows.filter((row) => row.status === 'regressed' || row.status === 'succeeded');
    expect(evaluated.map((row) => row.status)).toEqual(['regressed']);
    expect(evaluated.map((row) => row.model)).toEqual([model]);
    expect(rows.filter((row) => Date.parse(row.startedAt) > restarted).every((row) => row.status === 'skipped' || row.status === 'running')).toBe(true);
    expect((await cli(stack.args('schedule', 'delete', 'survivor'))).code).toBe(0);
  });
});

async function waitForTaken(handle: { describe(): Promise<{ info: { numActionsTaken: number } }> }, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await handle.describe()).info.numActionsTaken < count) {
    if (Date.now() > deadline) throw new Error(`the schedule did not take ${count} actions within a minute`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
