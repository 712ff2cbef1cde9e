import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stringifyJson } from '@evalshard/scorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, descendantsOf, startCli, waitFor } from '../helpers/cliProcess.js';
import { repeatedDemoCorpus } from '../helpers/corpora.js';
import { DEMO_MODEL } from '../helpers/paths.js';
import { readJsonReport } from '../helpers/sameScores.js';
import { startFaultStack, type FaultStack } from './faultStack.js';

// npm run test:faults — one run per fault against a cluster on this machine
// (faultStack.ts), each compared with the single pass; the matrix is printed
// at the end, and every row must hold.

interface Row {
  fault: string;
  outcome: 'completed' | 'failed, resumed by id' | 'failed without a resume hint';
  equal: boolean;
  docs: number;
  conflicts: number;
  retries: number;
  note: string;
}

let stack: FaultStack;
let spec: string;
let reference: { scores: unknown; docs: number };
const rows: Row[] = [];

beforeAll(async () => {
  stack = await startFaultStack();
  const corpus = repeatedDemoCorpus(stack.dir, 4);
  spec = join(stack.dir, 'spec.yaml');
  writeFileSync(
    spec,
    `model: ${DEMO_MODEL}\ncorpus: ${corpus}\ntask: textcat\nlabels: [ham, spam]\nscorer: { positiveLabel: spam }\n` +
      'workers: 2\nshards: 24\nbatch: { maxDocs: 8, maxTokens: 4096 }\ntimeouts: { heartbeat: 5s }\n' +
      'retry: { maximumAttempts: 30, initialInterval: 200ms, maximumInterval: 2s }\n',
  );
  const json = join(stack.dir, 'single-pass.json');
  const single = await cli(['run', spec, '--single-pass', '--json', json, '--no-progress']);
  expect(single.code, single.stderr).toBe(0);
  const report = readJsonReport(json);
  reference = { scores: report.scores, docs: report.run.docs };
});

afterAll(async () => {
  await stack?.stop();
  if (rows.length === 0) return;
  const header = ['fault', 'outcome', '= single pass', 'docs', 'conflicts', 'retries', 'what happened'];
  const table = [header, ...rows.map((row) => [row.fault, row.outcome, row.equal ? 'yes' : 'NO', `${row.docs}/${reference.docs}`, String(row.conflicts), String(row.retries), row.note])];
  const widths = header.map((_, i) => Math.max(...table.map((cells) => cells[i]!.length)));
  console.log(`\nfault matrix (${rows.length} faults, each in its own run of 24 shards):\n${table.map((cells) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n')}\n`);
});

/** One run with a fault injected while it goes; a failed run must say how to resume, and resuming must finish it. */
async function faultRun(fault: string, inject: (runId: string) => Promise<string>): Promise<Row> {
  const runId = `fault-${fault.replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}`;
  const json = join(stack.dir, `${runId}.json`);
  const args = ['run', spec, '--temporal-address', stack.temporal.address, '--task-queue', stack.taskQueue, '--run-id', runId, '--json', json, '--no-progress'];
  const running = startCli(args);
  const note = await inject(runId);
  let finished = await running.finished;
  let outcome: Row['outcome'] = 'completed';
  if (finished.code !== 0) {
    if (!/Resume with: /.test(finished.stderr)) {
      outcome = 'failed without a resume hint';
    } else {
      outcome = 'failed, resumed by id';
      finished = await cli(args);
    }
  }
  expect(finished.code, finished.stderr).toBe(0);
  const report = readJsonReport(json);
  const row: Row = {
    fault,
    outcome,
    equal: stringifyJson(report.scores) === stringifyJson(reference.scores),
    docs: report.run.docs,
    conflicts: report.run.conflicts.length,
    retries: report.run.retries,
    note,
  };
  rows.push(row);
  return row;
}

function expectHolds(row: Row): void {
  expect(row.outcome).not.toBe('failed without a resume hint');
  expect(row.equal).toBe(true);
  expect(row.docs).toBe(reference.docs);
  expect(row.conflicts).toBe(0);
}

const whenStored = (runId: string, count: number) => waitFor(() => stack.storedFor(runId) >= count, 120_000, `${count} stored shards of ${runId}`);

describe('the fault matrix', () => {
  it('a GPU worker SIGKILLed mid-shard', async () => {
    const row = await faultRun('gpu-worker SIGKILL', async (runId) => {
      await whenStored(runId, 3);
      const before = stack.workers[1]!.restarts;
      process.kill(stack.workers[1]!.pid!, 'SIGKILL');
      await waitFor(() => stack.workers[1]!.restarts > before, 30_000, 'the worker restarted');
      return 'killed with 3 shards stored; supervisor restarted it';
    });
    expectHolds(row);
    expect(row.retries).toBeGreaterThanOrEqual(1);
  });

  it('a GPU worker SIGSTOPped (hung): its silence gives its shard to the other worker', async () => {
    const victim = stack.workers[1]!;
    let resumedAt = 0;
    const row = await faultRun('gpu-worker SIGSTOP', async (runId) => {
      await whenStored(runId, 3);
      process.kill(victim.pid!, 'SIGSTOP');
      const stoppedAt = performance.now();
      // Hung for longer than the 5 s heartbeat timeout, then let go.
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      process.kill(victim.pid!, 'SIGCONT');
      resumedAt = performance.now() - stoppedAt;
      return `stopped with 3 shards stored; silent past the 5 s heartbeat, its shard went elsewhere; continued after ${(resumedAt / 1000).toFixed(0)} s`;
    });
    expectHolds(row);
    expect(row.retries).toBeGreaterThanOrEqual(1);
  });

  it('the scorer SIGKILLed while partials are submitted: what it acknowledged survives', async () => {
    let acknowledged: number[] = [];
    const row = await faultRun('scorer SIGKILL', async (runId) => {
      await whenStored(runId, 4);
      // Right after a partial is committed (and so acknowledged), with others on their way.
      const seen = stack.storedFor(runId);
      await waitFor(() => stack.storedFor(runId) > seen, 60_000, 'one more stored partial');
      const before = stack.scorer.restarts;
      process.kill(stack.scorer.pid!, 'SIGKILL');
      acknowledged = stack.storedShards(runId);
      await waitFor(() => stack.scorer.restarts > before, 30_000, 'the scorer restarted');
      const after = new Set(stack.storedShards(runId));
      expect(acknowledged.filter((shard) => !after.has(shard))).toEqual([]);
      return `killed after ${acknowledged.length} partials; all ${acknowledged.length} there after its restart`;
    });
    expectHolds(row);
  });

  it('the Temporal dev server SIGKILLed and restarted mid-run', async () => {
    const row = await faultRun('Temporal server SIGKILL', async (runId) => {
      await whenStored(runId, 3);
      const before = stack.temporal.process.restarts;
      // The server itself, not the leash that watches it (killing the leash would orphan the server, not stop it).
      const server = descendantsOf(stack.temporal.process.pid!).find((entry) => /temporal server start-dev/.test(entry.command) && !/leash/.test(entry.command));
      expect(server).toBeDefined();
      process.kill(server!.pid, 'SIGKILL');
      await waitFor(() => stack.temporal.process.restarts > before, 60_000, 'the dev server restarted');
      return 'killed with 3 shards stored; restarted on its port and database';
    });
    expectHolds(row);
  });

  it('the orchestrator worker (evalshard worker) SIGKILLed and restarted', async () => {
    const row = await faultRun('evalshard worker SIGKILL', async (runId) => {
      await whenStored(runId, 3);
      const before = stack.orchestrator.restarts;
      process.kill(stack.orchestrator.pid!, 'SIGKILL');
      await waitFor(() => stack.orchestrator.restarts > before, 30_000, 'evalshard worker restarted');
      return 'killed with 3 shards stored; a new one took over its workflow and shard tasks';
    });
    // No retry count is asserted: the kill may fall between a pair of shards, when only a workflow task was pending.
    expectHolds(row);
  });

  it('the connection to a GPU worker frozen, then cut', async () => {
    const row = await faultRun('connection frozen, then cut', async (runId) => {
      await whenStored(runId, 3);
      await waitFor(() => stack.proxy.connections > 0, 30_000, 'a connection through the proxy');
      stack.proxy.freeze();
      await new Promise((resolve) => setTimeout(resolve, 8_000));
      stack.proxy.cut();
      return 'frozen for 8 s with 3 shards stored, then every connection reset';
    });
    expectHolds(row);
  });

  it("the scorer's disk full, then freed", async () => {
    const filler = join(stack.disk, 'filler');
    const row = await faultRun('scorer disk full', async (runId) => {
      await whenStored(runId, 3);
      const written = fillDisk(filler);
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      rmSync(filler, { force: true });
      const log = readFileSync(stack.scorer.logFile, 'utf8');
      expect(log).toMatch(/the database cannot be written: .*(full|SQLITE_FULL)/);
      return `filled the last ${(written / 2 ** 20).toFixed(0)} MiB for 6 s; submissions refused as UNAVAILABLE, then stored`;
    });
    expectHolds(row);
  });
});

// Writes until the file system says it is full; returns the bytes written.
function fillDisk(path: string): number {
  const chunk = Buffer.alloc(1 << 20, 0x5a);
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return written;
}
