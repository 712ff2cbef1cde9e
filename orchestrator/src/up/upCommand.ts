import { resolve } from 'node:path';
import { InputError } from '@evalshard/scorer';
import { DEFAULT_TASK_QUEUE } from '../defaultTaskQueue.js';
import { describeHolder, ProcessLock } from '../stack/processLock.js';
import { removeStackInfo, stackLockPath, writeStackInfo } from '../stack/stackFile.js';
import { provideTemporalCli } from '../setup/provideTemporalCli.js';

export interface UpOptions {
  stateDir: string;
  workers: number;
  executionProviders: string[];
  intraOpThreads: number;
}

/**
 * `evalshard up`: the embedded stack (Temporal dev server with its Web UI,
 * scorer, GPU workers, a Temporal worker) in the foreground until Ctrl-C.
 * Schedules, run history and runs in flight live in the state directory's
 * databases, so a restarted `up` carries on where a killed one stopped.
 */
export async function upCommand(options: UpOptions): Promise<number> {
  const stateDir = resolve(options.stateDir);
  const lock = ProcessLock.tryAcquire(stackLockPath(stateDir), `evalshard up in ${stateDir}`);
  if (!(lock instanceof ProcessLock)) {
    process.stderr.write(
      `error: ${new InputError(`the state directory ${stateDir} is in use by another evalshard (${describeHolder(lock)})`).message}\n`,
    );
    return 2;
  }
  let stopping = false;
  let wake: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  const onSignal = () => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write('\nstopping the stack (Ctrl-C again to quit at once)…\n');
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stops: Array<() => Promise<void>> = [];
  try {
    process.stderr.write(`starting the stack in ${stateDir} (Temporal dev server and Web UI, scorer, ${options.workers} workers)…\n`);
    await provideTemporalCli();
    const { installQuietRuntime } = await import('../temporalWorker.js');
    const { startTemporalDevServer } = await import('../stack/temporalDevServer.js');
    const { startLocalServices } = await import('../stack/localServices.js');
    installQuietRuntime({ logFile: `${stateDir}/logs/orchestrator.log` });
    const onRestart = (name: string, restarts: number, exit: string) =>
      process.stderr.write(`${name} ended (${exit}); restarted it (${restarts} restart${restarts > 1 ? 's' : ''})\n`);
    const devServer = await startTemporalDevServer({
      dbFile: `${stateDir}/temporal.sqlite`,
      logFile: `${stateDir}/logs/temporal.log`,
      restart: true,
      ui: true,
      onRestart,
    });
    stops.unshift(() => devServer.stop());
    if (stopping) return 130;
    const services = await startLocalServices({
      stateDir,
      workers: options.workers,
      executionProviders: options.executionProviders,
      intraOpThreads: options.intraOpThreads,
      temporalAddress: devServer.address,
      namespace: 'default',
      taskQueue: DEFAULT_TASK_QUEUE,
      onRestart,
    });
    stops.unshift(() => services.stop());
    writeStackInfo({
      pid: process.pid,
      stateDir,
      startedAt: new Date().toISOString(),
      temporalAddress: devServer.address,
      uiUrl: devServer.uiUrl,
      namespace: 'default',
      taskQueue: DEFAULT_TASK_QUEUE,
      scorerAddress: services.scorerAddress,
      workerAddresses: services.workerAddresses,
    });
    stops.unshift(async () => removeStackInfo(stateDir));
    process.stdout.write(
      [
        `evalshard is up in ${stateDir} (pid ${process.pid})`,
        `  Temporal       ${devServer.address}   Web UI ${devServer.uiUrl}`,
        `  scorer         ${services.scorerAddress}`,
        `  GPU workers    ${services.workerAddresses.join(', ')}`,
        `  task queue     ${DEFAULT_TASK_QUEUE}`,
        `Commands given --state-dir ${options.stateDir} (run, score, schedule, runs, show, status, cancel, compare) use it.`,
        'Ctrl-C stops it; schedules and history are kept.',
        '',
      ].join('\n'),
    );
    if (!stopping) await stopped;
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    lock.release();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
