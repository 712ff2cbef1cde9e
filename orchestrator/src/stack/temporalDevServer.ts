import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { provideTemporalCli } from '../setup/provideTemporalCli.js';
import { freePort } from './freePort.js';
import { LEASH_PATH } from './leashPath.js';
import { SupervisedProcess } from './supervisedProcess.js';

const READY_TIMEOUT_MS = 120_000;

export interface TemporalDevServer {
  address: string;
  /** The Web UI, when started with one. */
  uiUrl: string | null;
  process: SupervisedProcess;
  stop(): Promise<void>;
}

export interface TemporalDevServerOptions {
  dbFile: string;
  logFile: string;
  port?: number;
  /** Serve the Temporal Web UI (on loopback). */
  ui?: boolean;
  /** Restart it on the same port when it dies: its state is in the SQLite file. */
  restart?: boolean;
  onRestart?: (name: string, restarts: number, exit: string) => void;
}

/**
 * `temporal server start-dev` with its state in a SQLite file, so workflows
 * survive a restart of the server. It runs on a leash: it ends when this
 * process does, even by SIGKILL. Resolves once the frontend answers.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const cli = await provideTemporalCli();
  const port = options.port ?? (await freePort());
  mkdirSync(dirname(options.dbFile), { recursive: true });
  const uiPort = options.ui ? await freePort() : undefined;
  const args = [
    'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port),
    ...(uiPort === undefined ? ['--headless'] : ['--ui-ip', '127.0.0.1', '--ui-port', String(uiPort)]),
    '--db-filename', options.dbFile, '--log-level', 'warn',
    // WAL with synchronous=NORMAL survives a killed server (only a power cut can lose the last
    // commits), and costs each shard activity far less than a sync per write.
    '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal',
    // A workflow task that schedules a shard hands it straight to this worker, skipping a queue.
    '--dynamic-config-value', 'system.enableActivityEagerExecution=true',
  ];
  let exit: string | undefined;
  const server = new SupervisedProcess({
    name: 'temporal-dev-server',
    command: process.execPath,
    args: () => [LEASH_PATH, cli, ...args],
    logFile: options.logFile,
    restart: options.restart ?? false,
    readyLine: false,
    onExit: (_name, how) => {
      exit = how;
    },
    onRestart: options.onRestart,
  });
  const address = `127.0.0.1:${port}`;
  await server.start();
  try {
    await waitForFrontend(address, () => exit, options.logFile);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const uiUrl = uiPort === undefined ? null : `http://127.0.0.1:${uiPort}`;
  return { address, uiUrl, process: server, stop: () => server.stop() };
}

async function waitForFrontend(address: string, exitOf: () => string | undefined, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const exit = exitOf();
    if (exit !== undefined) throw new Error(`the Temporal dev server ended with ${exit} while starting; see ${logFile}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`the Temporal dev server at ${address} did not answer within ${READY_TIMEOUT_MS} ms: ${String(lastError)}`);
}
