import type { TemporalAccessFlags } from '../temporal/temporalAccess.js';
import { randomBytes } from 'node:crypto';
import { InputError } from '@evalshard/scorer';
import { runEvaluation, workflowIdFor } from '../client/runEvaluation.js';
import { distributedReport } from '../report/distributedReport.js';
import { describeMissingPredictions, mergePredictions } from '../report/mergePredictions.js';
import type { EvaluationReport } from '../report/evaluationReport.js';
import { runSinglePass } from '../singlePass.js';
import { loadSpec } from '../spec/loadSpec.js';
import { resolveModel } from '../models/resolveModel.js';
import type { ResolvedSpec } from '../spec/resolvedSpec.js';
import type { GateSpec } from '../runTypes.js';
import { workflowUiLink } from '../stack/stackFile.js';
import { gateVerdict } from './gateVerdict.js';
import { describeFailure } from './describeFailure.js';
import { EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_REGRESSED, isBusyStateDir } from './exitCodes.js';
import { ProgressLine } from './progressLine.js';
import { RunStack, withInterrupts } from './runStack.js';
import { scoreTable } from './scoreTable.js';
import { writeJsonReport } from './writeJsonReport.js';

export interface RunCommandOptions {
  spec: string;
  shards?: number;
  shardSize?: string;
  workers?: number;
  prefetch?: number;
  corpus?: string[];
  json?: string;
  /** A folder for the predicted documents. */
  savePredictions?: string;
  singlePass: boolean;
  runId?: string;
  temporalAddress?: string;
  namespace: string;
  taskQueue?: string;
  stateDir: string;
  progress: boolean;
  bootstrap?: number;
  seed?: number;
  /** Regression gates: exit 3 and history status "regressed" when one is breached. */
  gates?: GateSpec;
  notify?: string;
  temporalUi?: string;
  temporalAccess?: TemporalAccessFlags;
}

/** `evalshard run`: returns the process exit code. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  let spec: ResolvedSpec;
  try {
    spec = await loadSpec(options.spec, {
      corpus: options.corpus,
      shards: options.shards,
      shardSize: options.shardSize,
      workers: options.workers,
      prefetch: options.prefetch,
      savePredictions: options.savePredictions,
      bootstrap: options.bootstrap,
      seed: options.seed,
    });
    if (options.gates !== undefined && options.singlePass) {
      throw new InputError('--fail-if and --max-drop check distributed runs (they read the run history); leave out --single-pass', {
        field: '--fail-if',
      });
    }
    await resolveModel(spec.model);
  } catch (error) {
    process.stderr.write(`error: ${describeFailure(error).message}\n`);
    return error instanceof InputError ? EXIT_BAD_INPUT : EXIT_FAILED;
  }
  const runId = options.runId ?? newRunId();
  const progress = options.progress ? new ProgressLine(process.stderr) : undefined;
  const stack = new RunStack();
  let resumable = false;
  const onFirstInterrupt = () => {
    if (options.singlePass) process.exit(EXIT_INTERRUPTED);
    progress?.done();
    process.stderr.write('interrupted: stopping the run (Ctrl-C again to quit at once)…\n');
  };
  try {
    const report = await withInterrupts(stack, onFirstInterrupt, () =>
      options.singlePass
        ? runSinglePass(spec, runId, (p) => progress?.update({ phase: 'evaluating', shardCount: 1, shardsDone: 0, ...p }))
        : runDistributed(spec, runId, options, stack, progress),
    );
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
    if (options.json !== undefined) await writeJsonReport(options.json, report);
    if (report.run.gates) process.stdout.write(gateVerdict(report.run.gates));
    return report.run.status === 'regressed' ? EXIT_REGRESSED : 0;
  } catch (error) {
    progress?.done();
    if (stack.interrupted) return EXIT_INTERRUPTED;
    const failure = describeFailure(error);
    process.stderr.write(`error: ${failure.message}\n`);
    for (const down of stack.downServices()) process.stderr.write(`  the embedded ${down}\n`);
    if (!failure.input && process.env.EVALSHARD_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    if (isBusyStateDir(error) || failure.planning) return EXIT_BAD_INPUT;
    // Stored shards survive a failed run; the same id evaluates only the rest.
    if (!options.singlePass && !failure.input) resumable = true;
    return EXIT_FAILED;
  } finally {
    await stack.stop();
    if (stack.interrupted) process.stderr.write(`stopped. Resume with: ${resumeCommand(runId)}\n`);
    else if (resumable) process.stderr.write(`stored shards are kept. Resume with: ${resumeCommand(runId)}\n`);
  }
}

async function runDistributed(
  spec: ResolvedSpec,
  runId: string,
  options: RunCommandOptions,
  stack: RunStack,
  progress: ProgressLine | undefined,
): Promise<EvaluationReport> {
  const { client, taskQueue, startupMs, uiUrl, upPid, embedded } = await stack.connect({
    runId,
    temporalAddress: options.temporalAddress,
    temporalAccess: options.temporalAccess,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    stateDir: options.stateDir,
    workers: spec.workers,
    executionProviders: spec.runtime.executionProviders,
    intraOpThreads: spec.runtime.intraOpThreads,
    temporalUi: options.temporalUi,
  });
  // The run's own time starts once the stack is up: a first start may build the Temporal CLI.
  const startedAt = new Date();
  const started = performance.now();
  const say = (text: string) => (progress === undefined ? process.stderr.write(`${text}\n`) : progress.note(text));
  say(`run ${runId}; if this command stops before the end, resume with: ${resumeCommand(runId)}`);
  if (upPid !== null) say(`on the stack of evalshard up (pid ${upPid}) in ${options.stateDir}`);
  const webUi = workflowUiLink(uiUrl, options.namespace, workflowIdFor(runId));
  // The embedded stack's UI ends with this command; `evalshard up` keeps one.
  if (webUi !== null) say(`Temporal Web UI: ${webUi}${embedded ? ' (while this command runs; evalshard up keeps it)' : ''}`);
  const asked = spec.sharding.shards;
  let capNoted = false;
  const result = await runEvaluation({
    client,
    taskQueue,
    runId,
    spec,
    gates: options.gates ?? null,
    notify: options.notify ?? null,
    onStarted: (handle) => stack.started(handle),
    onProgress: (snapshot) => {
      if (!capNoted && asked !== null && snapshot.shardCount > 0 && snapshot.shardCount < asked) {
        capNoted = true;
        say(`the corpus has fewer records than the ${asked} shards asked for: ${snapshot.shardCount} shards, at most one per record`);
      }
      progress?.update(snapshot);
    },
  });
  const report = distributedReport(result, spec, workflowIdFor(runId), startedAt, Math.round(performance.now() - started), startupMs);
  report.run.webUi = webUi;
  if (spec.savePredictions !== null) {
    const merged = await mergePredictions(spec.savePredictions, report.run.shards);
    if (merged.path !== undefined) report.run.predictions = merged.path;
    else say(`warning: ${describeMissingPredictions(merged.missing)}`);
  }
  return report;
}

function printReport(report: EvaluationReport): void {
  const { run } = report;
  process.stdout.write(`${scoreTable(report.scores)}\n\n`);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const startup = run.timings.startupMs > 0 ? ` (+ ${seconds(run.timings.startupMs)} starting the stack)` : '';
  const resumed =
    run.evaluatedDocs < run.docs ? ` (${run.docs - run.evaluatedDocs} of them stored by an earlier attempt of this run)` : '';
  process.stdout.write(
    `run ${run.runId} (${run.mode}): ${run.docs} docs${resumed}, ${run.tokens} tokens, ${run.shards} shard${run.shards === 1 ? '' : 's'}, ` +
      `${run.throughput.docsPerSecond} docs/s, ${seconds(run.timings.wallMs)}${startup}\n`,
  );
  if (run.predictions !== undefined) process.stdout.write(`predictions written to ${run.predictions}\n`);
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
