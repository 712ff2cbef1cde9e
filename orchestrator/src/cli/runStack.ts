import { resolve } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { InputError } from '@evalshard/scorer';
import { describeHolder, ProcessLock } from '../stack/processLock.js';
import { DEFAULT_TASK_QUEUE } from '../defaultTaskQueue.js';
import { readStackInfo, stackLockPath } from '../stack/stackFile.js';
import { temporalAccessOf, type TemporalAccessFlags } from '../temporal/temporalAccess.js';
import { startEmbeddedStack, type EmbeddedStack } from '../stack/startEmbeddedStack.js';

export interface StackOptions {
  runId: string;
  /** An existing cluster; without it the embedded stack is started. */
  temporalAddress?: string;
  namespace: string;
  taskQueue?: string;
  stateDir: string;
  workers: number;
  executionProviders: string[];
  intraOpThreads: number;
  /** A cluster's Temporal Web UI, for the run's link (env EVALSHARD_TEMPORAL_UI). */
  temporalUi?: string;
  /** TLS or an API key for a cluster's Temporal service. */
  temporalAccess?: TemporalAccessFlags;
}

export interface ConnectedStack {
  client: Client;
  taskQueue: string;
  embedded: boolean;
  /** The Temporal Web UI, when known. */
  uiUrl: string | null;
  /** Set when the run uses the stack of a running `evalshard up`. */
  upPid: number | null;
  /** How long starting the embedded stack took (0 on a cluster). */
  startupMs: number;
}

/**
 * What a distributed command started, stopped in reverse order once the run
 * has settled. An interrupt terminates the workflow: stored partials stay in
 * the scorer, and a later run with the same id starts a fresh workflow that
 * skips them.
 */
export class RunStack {
  interrupted = false;
  /** Settles when the embedded stack has started (or failed to). */
  private startup: Promise<unknown> = Promise.resolve();
  private stateLock: ProcessLock | undefined;
  private embedded: EmbeddedStack | undefined;
  private connection: Connection | undefined;
  private handle: WorkflowHandle | undefined;
  private stopping: Promise<void> | undefined;

  /** Connects to the cluster, or starts the embedded stack (dev server, scorer, workers, Temporal worker). */
  async connect(options: StackOptions): Promise<ConnectedStack> {
    const started = performance.now();
    const given = options.temporalAddress ?? process.env.EVALSHARD_TEMPORAL_ADDRESS;
    // A running `evalshard up` in the state directory serves this run like a cluster.
    const up = given === undefined ? readStackInfo(options.stateDir) : undefined;
    const address = given ?? up?.temporalAddress;
    let uiUrl = up?.uiUrl ?? options.temporalUi ?? process.env.EVALSHARD_TEMPORAL_UI ?? null;
    // An embedded run gets a task queue of its own, so no worker of another run picks up its tasks.
    const taskQueue =
      options.taskQueue ?? up?.taskQueue ?? (address === undefined ? `evalshard-embedded-${options.runId}` : DEFAULT_TASK_QUEUE);
    const access = given === undefined ? {} : temporalAccessOf(options.temporalAccess ?? {});
    const startup = (async () => {
      let temporalAddress = address;
      if (temporalAddress === undefined) {
        const stateDir = resolve(options.stateDir);
        this.stateLock = lockStateDir(stateDir, options.runId);
        process.stderr.write(
          `starting the embedded stack in ${stateDir} (Temporal dev server, scorer, ${options.workers} workers)…\n`,
        );
        // While it runs, `status` and `cancel` from another terminal find it as they find `evalshard up`'s.
        this.embedded = await startEmbeddedStack({
          stateDir,
          workers: options.workers,
          executionProviders: options.executionProviders,
          intraOpThreads: options.intraOpThreads,
          namespace: options.namespace,
          taskQueue,
        });
        temporalAddress = this.embedded.info.temporalAddress;
        uiUrl = this.embedded.info.uiUrl;
      }
      this.connection = await Connection.connect({ address: temporalAddress, ...access });
    })();
    this.startup = startup;
    await startup;
    if (this.interrupted) throw new Error('interrupted');
    const client = new Client({ connection: this.connection!, namespace: options.namespace });
    if (address !== undefined) await warnWithoutPollers(client, options.namespace, taskQueue);
    return {
      client,
      taskQueue,
      embedded: address === undefined,
      uiUrl,
      upPid: up?.pid ?? null,
      startupMs: Math.round(performance.now() - started),
    };
  }

  /**
   * The embedded services that are not running now, in words, for the
   * message of a failed run: "temporal-dev-server ended with signal SIGKILL
   * (log: …)".
   */
  downServices(): string[] {
    const processes = [this.embedded?.devServer.process, this.embedded?.services.scorer, ...(this.embedded?.services.workers ?? [])];
    return processes
      .filter((process) => process?.down !== undefined)
      .map((process) => `${process!.name} ${process!.down} (log: ${process!.logFile})`);
  }

  /** Remembers the run's workflow; one started after an interrupt is terminated at once. */
  started(handle: WorkflowHandle): void {
    this.handle = handle;
    if (this.interrupted) void this.terminate();
  }

  async interrupt(): Promise<void> {
    this.interrupted = true;
    await this.terminate();
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      // Tearing down a half-started stack would leave its last steps hanging.
      await this.startup.catch(() => undefined);
      await this.connection?.close().catch(() => undefined);
      await this.embedded?.stop();
      this.stateLock?.release();
    })();
    return this.stopping;
  }

  private async terminate(): Promise<void> {
    if (this.handle === undefined) return;
    await withTimeout(this.handle.terminate('interrupted by the user'), 5_000).catch(() => undefined);
  }
}

/**
 * One embedded stack per state directory: a second run there would start a
 * second dev server on the same SQLite files and disturb the first.
 */
function lockStateDir(stateDir: string, runId: string): ProcessLock {
  const purpose = `run ${runId}: evalshard ${process.argv.slice(2).join(' ')}`;
  const lock = ProcessLock.tryAcquire(stackLockPath(stateDir), purpose);
  if (lock instanceof ProcessLock) return lock;
  throw new InputError(
    `the state directory ${stateDir} is in use by another evalshard (${describeHolder(lock)}); ` +
      `wait for it to finish, or give this run its own --state-dir`,
    { field: '--state-dir', code: 'STATE_DIR_BUSY' },
  );
}

// A run on a cluster waits for an `evalshard worker`; say so if none is there.
async function warnWithoutPollers(client: Client, namespace: string, taskQueue: string): Promise<void> {
  const description = await client.workflowService
    .describeTaskQueue({ namespace, taskQueue: { name: taskQueue } })
    .catch(() => undefined);
  if (description !== undefined && (description.pollers ?? []).length === 0) {
    process.stderr.write(
      `warning: no evalshard worker polls task queue "${taskQueue}" yet; the run waits until one does ` +
        `(start one with: evalshard worker --temporal-address … --gpu-workers … --scorer … --task-queue ${taskQueue})\n`,
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref()),
  ]);
}

/**
 * Runs `body` with Ctrl-C and SIGTERM wired to the stack: the first
 * terminates the workflow and lets the run wind down, a second quits.
 */
export async function withInterrupts<T>(stack: RunStack, onFirst: () => void, body: () => Promise<T>): Promise<T> {
  const onInterrupt = () => {
    if (stack.interrupted) process.exit(130);
    onFirst();
    void stack.interrupt();
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  try {
    return await body();
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}
