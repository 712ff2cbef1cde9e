import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { gpuWorkerArgv, gpuWorkerEnv } from '@evalshard/gpu-worker';
import { SCORER_MAIN_PATH } from '@evalshard/scorer';
import { startTemporalDevServer, SupervisedProcess, type TemporalDevServer } from '@evalshard/orchestrator';
import { scratchDir } from '../helpers/corpora.js';
import { CLI, repoPath } from '../helpers/paths.js';
import { TcpProxy } from './tcpProxy.js';

/**
 * A cluster on one machine, every part a process a fault can hit: its own
 * Temporal dev server (restarted on its port when killed), the scorer with
 * its database on a small tmpfs (so its disk can be filled), two GPU
 * workers (the first behind a TCP proxy), and `evalshard worker`, all
 * authenticating with one token file, as infra/cluster/README.md says.
 */
export interface FaultStack {
  dir: string;
  disk: string;
  scorerDb: string;
  taskQueue: string;
  temporal: TemporalDevServer;
  scorer: SupervisedProcess;
  workers: SupervisedProcess[];
  proxy: TcpProxy;
  orchestrator: SupervisedProcess;
  /** Partials the scorer holds for a run (reads its database; the last answer while it cannot be read). */
  storedFor(runId: string): number;
  storedShards(runId: string): number[];
  stop(): Promise<void>;
}

/** `smallDisk`: the scorer's database on a 48 MiB tmpfs, for the disk-full fault (needs root). */
export async function startFaultStack(options: { smallDisk?: boolean } = {}): Promise<FaultStack> {
  const dir = scratchDir('evalshard-faults-');
  const disk = join(dir, 'scorer-disk');
  mkdirSync(disk);
  if (options.smallDisk ?? true) {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', disk]);
    } catch (error) {
      throw new Error(`the disk-full fault needs a small tmpfs for the scorer's database, and mount failed (run as root): ${String(error)}`);
    }
  }
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, `${randomUUID()}${randomUUID()}\n`, { mode: 0o600 });
  const auth = ['--auth-token-file', tokenFile];
  const logs = join(dir, 'logs');
  const scorerDb = join(disk, 'scorer.sqlite');
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
    for (const part of started.reverse()) await part.stop().catch(() => undefined);
    if (options.smallDisk ?? true) {
      try {
        execFileSync('umount', ['-l', disk]);
      } catch {
        // already gone
      }
    }
  };
  try {
    const temporal = await startTemporalDevServer({ dbFile: join(dir, 'temporal.sqlite'), logFile: join(logs, 'temporal.log'), restart: true });
    started.push(temporal);
    const scorer = new SupervisedProcess({
      name: 'scorer',
      command: process.execPath,
      args: (port) => [SCORER_MAIN_PATH, '--port', String(port), '--db', scorerDb, ...auth],
      logFile: join(logs, 'scorer.log'),
      restart: true,
    });
    const scorerAddress = `127.0.0.1:${await scorer.start()}`;
    started.push(scorer);
    const workers = [1, 2].map(
      (i) =>
        new SupervisedProcess({
          name: `gpu-worker-${i}`,
          command: process.execPath,
          args: (port) => gpuWorkerArgv([
            '--port', String(port), '--id', `gpu-worker-${i}`, '--intra-op-threads', '1',
            '--data-root', repoPath('examples'), '--data-root', dir, ...auth,
          ]),
          env: gpuWorkerEnv(),
          logFile: join(logs, `gpu-worker-${i}.log`),
          restart: true,
        }),
    );
    const ports = await Promise.all(workers.map((worker) => worker.start()));
    started.push(...workers);
    const proxy = new TcpProxy({ host: '127.0.0.1', port: ports[0]! });
    const proxied = await proxy.listen();
    started.push({ stop: () => proxy.close() });
    const taskQueue = `faults-${randomUUID()}`;
    const orchestrator = new SupervisedProcess({
      name: 'evalshard-worker',
      command: process.execPath,
      args: () => [
        CLI, 'worker', '--temporal-address', temporal.address, '--task-queue', taskQueue,
        '--gpu-workers', `${proxied},127.0.0.1:${ports[1]}`, '--scorer', scorerAddress, ...auth,
      ],
      logFile: join(logs, 'evalshard-worker.log'),
      restart: true,
      readyLine: false,
    });
    await orchestrator.start();
    started.push(orchestrator);
    const last = new Map<string, number[]>();
    const storedShards = (runId: string): number[] => {
      try {
        const db = new Database(scorerDb, { readonly: true, fileMustExist: true });
        try {
          const rows = db.prepare('SELECT shard_index AS shard FROM partials WHERE run_id = ? ORDER BY shard_index').all(runId) as Array<{ shard: number }>;
          last.set(runId, rows.map((row) => row.shard));
        } finally {
          db.close();
        }
      } catch {
        // Not there yet, or the disk is full: the last answer stands.
      }
      return last.get(runId) ?? [];
    };
    return {
      dir, disk, scorerDb, taskQueue, temporal, scorer, workers, proxy, orchestrator,
      storedShards,
      storedFor: (runId) => storedShards(runId).length,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
