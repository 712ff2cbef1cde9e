import { provideTemporalCli } from '../setup/provideTemporalCli.js';
import type { LocalServices } from './localServices.js';
import { removeStackInfo, writeStackInfo, type StackInfo } from './stackFile.js';
import type { TemporalDevServer } from './temporalDevServer.js';

export interface EmbeddedStackOptions {
  /** Absolute; the caller holds its lock. */
  stateDir: string;
  workers: number;
  executionProviders: string[];
  intraOpThreads: number;
  namespace: string;
  taskQueue: string;
}

export interface EmbeddedStack {
  devServer: TemporalDevServer;
  services: LocalServices;
  info: StackInfo;
  /** Services first, then the dev server; the stack file goes with them. */
  stop(): Promise<void>;
}

/**
 * The embedded stack of `run` and `up`: the Temporal dev server with its Web
 * UI (state in the state directory, restarted when it dies), the scorer, GPU
 * workers and a Temporal worker, announced in `stack.json` so that other
 * commands find it. On a new machine it first builds the Temporal CLI and
 * says so.
 */
export async function startEmbeddedStack(options: EmbeddedStackOptions): Promise<EmbeddedStack> {
  const { stateDir } = options;
  // First, before loading the Temporal worker: on a new machine this builds the CLI and says so.
  await provideTemporalCli();
  const { installQuietRuntime } = await import('../temporalWorker.js');
  const { startTemporalDevServer } = await import('./temporalDevServer.js');
  const { startLocalServices } = await import('./localServices.js');
  installQuietRuntime({ logFile: `${stateDir}/logs/orchestrator.log` });
  const onRestart = (name: string, restarts: number, exit: string) =>
    process.stderr.write(`\n${name} ended (${exit}); restarted it (${restarts} restart${restarts > 1 ? 's' : ''})\n`);
  const devServer = await startTemporalDevServer({
    dbFile: `${stateDir}/temporal.sqlite`,
    logFile: `${stateDir}/logs/temporal.log`,
    restart: true,
    ui: true,
    onRestart,
  });
  let services: LocalServices;
  try {
    services = await startLocalServices({
      stateDir,
      workers: options.workers,
      executionProviders: options.executionProviders,
      intraOpThreads: options.intraOpThreads,
      temporalAddress: devServer.address,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      onRestart,
    });
  } catch (error) {
    await devServer.stop();
    throw error;
  }
  const info: StackInfo = {
    pid: process.pid,
    stateDir,
    startedAt: new Date().toISOString(),
    temporalAddress: devServer.address,
    uiUrl: devServer.uiUrl,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    scorerAddress: services.scorerAddress,
    workerAddresses: services.workerAddresses,
    authToken: services.security.token,
  };
  writeStackInfo(info);
  return {
    devServer,
    services,
    info,
    async stop() {
      removeStackInfo(stateDir);
      await services.stop().catch(() => undefined);
      await devServer.stop().catch(() => undefined);
    },
  };
}
