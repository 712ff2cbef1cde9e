import { resolve } from 'node:path';
import { DEFAULT_TASK_QUEUE } from '../defaultTaskQueue.js';
import { describeHolder, ProcessLock } from '../stack/processLock.js';
import { stackLockPath } from '../stack/stackFile.js';
import { startEmbeddedStack, type EmbeddedStack } from '../stack/startEmbeddedStack.js';

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
    process.stderr.write(`error: the state directory ${stateDir} is in use by another evalshard (${describeHolder(lock)})\n`);
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
  let stack: EmbeddedStack | undefined;
  try {
    process.stderr.write(`starting the stack in ${stateDir} (Temporal dev server and Web UI, scorer, ${options.workers} workers)…\n`);
    stack = await startEmbeddedStack({
      stateDir,
      workers: options.workers,
      executionProviders: options.executionProviders,
      intraOpThreads: options.intraOpThreads,
      namespace: 'default',
      taskQueue: DEFAULT_TASK_QUEUE,
    });
    if (stopping) return 130;
    const { info } = stack;
    process.stdout.write(
      [
        `evalshard is up in ${stateDir} (pid ${process.pid})`,
        `  Temporal       ${info.temporalAddress}   Web UI ${info.uiUrl}`,
        `  scorer         ${info.scorerAddress}`,
        `  GPU workers    ${info.workerAddresses.join(', ')}`,
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
    await stack?.stop();
    lock.release();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
