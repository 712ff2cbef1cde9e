import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { freePort } from './freePort.js';
import { SupervisedProcess } from './supervisedProcess.js';

const TEMPORAL_CLI_SCRIPT = fileURLToPath(new URL('../../../infra/temporal-cli.sh', import.meta.url));
const READY_TIMEOUT_MS = 120_000;

/** The Temporal CLI's path, installing the pinned release if needed (infra/temporal-cli.sh). */
export async function temporalCliPath(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('bash', [TEMPORAL_CLI_SCRIPT], { maxBuffer: 1 << 20 });
    return stdout.trim().split('\n').pop()!;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`cannot provide a Temporal CLI: ${stderr.trim()}`);
  }
}

export interface TemporalDevServer {
  address: string;
  process: SupervisedProcess;
  stop(): Promise<void>;
}

/**
 * `temporal server start-dev` with its state in a SQLite file, so workflows
 * survive a restart of the server. Resolves once the frontend answers.
 */
export async function startTemporalDevServer(options: { dbFile: string; logFile: string; port?: number }): Promise<TemporalDevServer> {
  const cli = await temporalCliPath();
  const port = options.port ?? (await freePort());
  mkdirSync(dirname(options.dbFile), { recursive: true });
  const args = [
    'server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port),
    '--db-filename', options.dbFile, '--log-level', 'warn',
  ];
  let exit: string | undefined;
  const server = new SupervisedProcess({
    name: 'temporal-dev-server',
    command: cli,
    args: () => args,
    logFile: options.logFile,
    restart: false,
    readyLine: false,
    onExit: (_name, how) => {
      exit = how;
    },
  });
  const address = `127.0.0.1:${port}`;
  await server.start();
  try {
    await waitForFrontend(address, () => exit, options.logFile);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { address, process: server, stop: () => server.stop() };
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
