import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { InputError } from '@evalshard/scorer';
import { runEvaluation, workflowIdFor } from '../client/runEvaluation.js';
import { distributedReport } from '../report/distributedReport.js';
import type { EvaluationReport } from '../report/evaluationReport.js';
import { runSinglePass } from '../singlePass.js';
import { loadSpec } from '../spec/loadSpec.js';
import type { ResolvedSpec } from '../spec/resolvedSpec.js';
import { startLocalServices, type LocalServices } from '../stack/localServices.js';
import { startTemporalDevServer, type TemporalDevServer } from '../stack/temporalDevServer.js';
import { DEFAULT_TASK_QUEUE, installQuietRuntime } from '../temporalWorker.js';
import { checkModelFiles } from './checkModelFiles.js';
import { describeFailure } from './describeFailure.js';
import { ProgressLine } from './progressLine.js';
import { scoreTable } from './scoreTable.js';

export interface RunCommandOptions {
  spec: string;
  shards?: number;
  shardSize?: string;
  workers?: number;
  corpus?: string[];
  json?: string;
  singlePass: boolean;
  runId?: string;
  temporalAddress?: string;
  namespace: string;
  taskQueue?: string;
  stateDir: string;
  progress: boolean;
}

export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERRUPTED = 130;

/** `evalshard run`: returns the process exit code. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  let spec: ResolvedSpec;
  try {
    spec = await loadSpec(options.spec, {
      corpus: options.corpus,
      shards: options.shards,
      shardSize: options.shardSize,
      workers: options.workers,
    });
    await checkModelFiles(spec.model);
  } catch (error) {
    process.stderr.write(`error: ${describeFailure(error).message}\n`);
    return error instanceof InputError ? EXIT_BAD_INPUT : EXIT_FAILED;
  }
  const runId = options.runId ?? newRunId();
  const progress = options.progress ? new ProgressLine(process.stderr) : undefined;
  const stack = new RunStack();
  const onInterrupt = () => {
    if (stack.interrupted || options.singlePass) process.exit(EXIT_INTERRUPTED);
    stack.interrupted = true;
    progress?.done();
    process.stderr.write('interrupted: stopping the run (Ctrl-C again to quit at once)…\n');
    // Terminating the workflow ends the run below, which then stops the rest.
    void stack.interrupt();
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  try {
    const report = options.singlePass
      ? await runSinglePass(spec, runId, (p) => progress?.update({ phase: 'evaluating', shardCount: 1, shardsDone: 0, ...p }))
      : await runDistributed(spec, runId, options, stack, progress);
    progress?.finish({
      phase: 'done',
      shardCount: report.run.shards,
      shardsDone: report.run.shards,
      docs: report.run.docs,
      tokens: report.run.tokens,
      bytes: report.run.corpus.bytes,
      totalBytes: report.run.corpus.bytes,
    });
    printReport(report);
    if (options.json !== undefined) {
      await writeFile(resolve(options.json), `${JSON.stringify(report, null, 2)}\n`);
      process.stderr.write(`report written to ${options.json}\n`);
    }
    return 0;
  } catch (error) {
    progress?.done();
    if (stack.interrupted) return EXIT_INTERRUPTED;
    const failure = describeFailure(error);
    process.stderr.write(`error: ${failure.message}\n`);
    if (!failure.input && process.env.EVALSHARD_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return EXIT_FAILED;
  } finally {
    await stack.stop();
    if (stack.interrupted) {
      process.stderr.write(`stopped. Resume with: ${resumeCommand(runId)}\n`);
    }
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}

/**
 * What `run` started, stopped in reverse order once the run has settled. An
 * interrupt terminates the workflow: stored partials stay in the scorer, and a
 * later run with the same id starts a fresh workflow that skips them.
 */
class RunStack {
  interrupted = false;
  /** Settles when the embedded stack has started (or failed to). */
  startup: Promise<unknown> = Promise.resolve();
  devServer: TemporalDevServer | undefined;
  services: LocalServices | undefined;
  connection: Connection | undefined;
  handle: WorkflowHandle | undefined;
  private stopping: Promise<void> | undefined;

  async interrupt(): Promise<void> {
    this.interrupted = true;
    await this.terminate();
  }

  /** Terminates the run's workflow; called again when the workflow starts after an interrupt. */
  async terminate(): Promise<void> {
    if (this.handle === undefined) return;
    await withTimeout(this.handle.terminate('interrupted by the user'), 5_000).catch(() => undefined);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      // Tearing down a half-started stack would leave its last steps hanging.
      await this.startup.catch(() => undefined);
      await this.services?.stop().catch(() => undefined);
      await this.connection?.close().catch(() => undefined);
      await this.devServer?.stop().catch(() => undefined);
    })();
    return this.stopping;
  }
}

async function runDistributed(
  spec: ResolvedSpec,
  runId: string,
  options: RunCommandOptions,
  stack: RunStack,
  progress: ProgressLine | undefined,
): Promise<EvaluationReport> {
  const startedAt = new Date();
  const started = performance.now();
  const address = options.temporalAddress ?? process.env.EVALSHARD_TEMPORAL_ADDRESS;
  // An embedded run gets a task queue of its own, so no worker of another run picks up its tasks.
  const taskQueue = options.taskQueue ?? (address === undefined ? `evalshard-embedded-${runId}` : DEFAULT_TASK_QUEUE);
  const start = async (): Promise<string> => {
    if (address !== undefined) return address;
    const stateDir = resolve(options.stateDir);
    installQuietRuntime({ logFile: `${stateDir}/logs/orchestrator.log` });
    process.stderr.write(`starting the embedded stack in ${stateDir} (Temporal dev server, scorer, ${spec.workers} workers)…\n`);
    stack.devServer = await startTemporalDevServer({
      dbFile: `${stateDir}/temporal.sqlite`,
      logFile: `${stateDir}/logs/temporal.log`,
    });
    stack.services = await startLocalServices({
      stateDir,
      workers: spec.workers,
      executionProviders: spec.runtime.executionProviders,
      intraOpThreads: spec.runtime.intraOpThreads,
      temporalAddress: stack.devServer.address,
      namespace: options.namespace,
      taskQueue,
      onRestart: (name, restarts, exit) =>
        process.stderr.write(`\n${name} ended (${exit}); restarted it (${restarts} restart${restarts > 1 ? 's' : ''})\n`),
    });
    return stack.devServer.address;
  };
  const startup = start().then(async (temporalAddress) => {
    stack.connection = await Connection.connect({ address: temporalAddress });
  });
  stack.startup = startup;
  await startup;
  if (stack.interrupted) throw new Error('interrupted');
  const client = new Client({ connection: stack.connection!, namespace: options.namespace });
  if (options.temporalAddress !== undefined || process.env.EVALSHARD_TEMPORAL_ADDRESS !== undefined) {
    await warnWithoutPollers(client, options.namespace, taskQueue);
  }
  const result = await runEvaluation({
    client,
    taskQueue,
    runId,
    spec,
    onStarted: (handle) => {
      stack.handle = handle;
      if (stack.interrupted) void stack.terminate();
    },
    onProgress: (snapshot) => progress?.update(snapshot),
  });
  return distributedReport(result, spec, workflowIdFor(runId), startedAt, Math.round(performance.now() - started));
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

function printReport(report: EvaluationReport): void {
  const { run } = report;
  process.stdout.write(`${scoreTable(report.scores)}\n\n`);
  const seconds = (run.timings.wallMs / 1000).toFixed(1);
  process.stdout.write(
    `run ${run.runId} (${run.mode}): ${run.docs} docs, ${run.tokens} tokens, ${run.shards} shard${run.shards === 1 ? '' : 's'}, ` +
      `${run.throughput.docsPerSecond} docs/s, ${seconds} s\n`,
  );
  if (run.skipped.count > 0) {
    process.stdout.write(`skipped ${run.skipped.count} bad record(s):\n`);
    for (const record of run.skipped.records) process.stdout.write(`  ${record.reason}\n`);
  }
  if (run.conflicts.length > 0) {
    process.stdout.write(`warning: ${run.conflicts.length} shard(s) were evaluated twice with different results; the first was kept\n`);
  }
}

// The command as typed, naming the run so that it resumes.
function resumeCommand(runId: string): string {
  const args = process.argv.slice(2);
  const named = args.includes('--run-id') || args.some((arg) => arg.startsWith('--run-id='));
  return ['evalshard', ...args, ...(named ? [] : ['--run-id', runId])].join(' ');
}

function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref()),
  ]);
}
