import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { gpuWorkerArgv, gpuWorkerEnv } from '@evalshard/gpu-worker';
import { AUTH_TOKEN_ENV, type ServiceSecurity } from '@evalshard/proto';
import { SCORER_MAIN_PATH } from '@evalshard/scorer';
import { startTemporalWorker, type RunningTemporalWorker } from '../temporalWorker.js';
import { SupervisedProcess } from './supervisedProcess.js';

export interface LocalServicesOptions {
  /** Logs and the scorer's database go here. */
  stateDir: string;
  workers: number;
  executionProviders: string[];
  /** 0: split this machine's cores between the workers. */
  intraOpThreads: number;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  onRestart?: (name: string, restarts: number, exit: string) => void;
}

export interface LocalServices {
  scorerAddress: string;
  /** The fresh bearer token the services require, for clients of this stack. */
  security: ServiceSecurity;
  workerAddresses: string[];
  scorer: SupervisedProcess;
  workers: SupervisedProcess[];
  temporalWorker: RunningTemporalWorker;
  stop(): Promise<void>;
}

/**
 * The scorer service and N GPU worker processes on this machine, each
 * restarted if it dies, plus a Temporal worker in this process that runs the
 * workflows and activities against them.
 */
export async function startLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  const logs = join(options.stateDir, 'logs');
  const threads = options.intraOpThreads || Math.max(1, Math.floor(availableParallelism() / options.workers));
  // A fresh token per stack, in the environment rather than on command lines that `ps` shows.
  const security: ServiceSecurity = { token: randomBytes(32).toString('base64url') };
  const env = { ...process.env, [AUTH_TOKEN_ENV]: security.token };
  const scorer = new SupervisedProcess({
    name: 'scorer',
    command: process.execPath,
    args: (port) => [SCORER_MAIN_PATH, '--supervised', '--port', String(port), '--db', join(options.stateDir, 'scorer.sqlite')],
    env,
    logFile: join(logs, 'scorer.log'),
    restart: true,
    onRestart: options.onRestart,
  });
  const workers = Array.from(
    { length: options.workers },
    (_, i) =>
      new SupervisedProcess({
        name: `gpu-worker-${i + 1}`,
        command: process.execPath,
        args: (port) => gpuWorkerArgv([
          '--supervised',
          '--port', String(port),
          '--id', `gpu-worker-${i + 1}`,
          '--execution-providers', options.executionProviders.join(','),
          '--intra-op-threads', String(threads),
        ]),
        env: gpuWorkerEnv(env),
        logFile: join(logs, `gpu-worker-${i + 1}.log`),
        restart: true,
        onRestart: options.onRestart,
      }),
  );
  const started: SupervisedProcess[] = [];
  let temporalWorker: RunningTemporalWorker | undefined;
  const stopAll = async () => {
    await temporalWorker?.shutdown();
    await Promise.all(started.map((process) => process.stop()));
  };
  try {
    const ports = await Promise.all(
      [scorer, ...workers].map(async (process) => {
        const port = await process.start();
        started.push(process);
        return port;
      }),
    );
    const scorerAddress = `127.0.0.1:${ports[0]}`;
    const workerAddresses = ports.slice(1).map((port) => `127.0.0.1:${port}`);
    temporalWorker = await startTemporalWorker({
      temporalAddress: options.temporalAddress,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      workerAddresses,
      scorerAddress,
      security,
      maxConcurrentShards: options.workers,
    });
    return { scorerAddress, security, workerAddresses, scorer, workers, temporalWorker, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
