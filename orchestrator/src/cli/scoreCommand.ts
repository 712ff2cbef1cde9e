import type { TemporalAccessFlags } from '../temporal/temporalAccess.js';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { formatOf, type DocFormat } from '@evalshard/scorer';
import { loadScoreConfig, type ScoreConfig } from '../score/scoreConfig.js';
import { singlePassScoreOptions, type ScoreFlags } from '../score/scoreOptions.js';
import type { ScoreReport } from '../score/scoreReport.js';
import { scoreSinglePass } from '../score/scoreSinglePass.js';
import { ProgressLine } from './progressLine.js';
import { EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, isBusyStateDir } from './exitCodes.js';
import type { RunStack } from './runStack.js';
import { scoreTable } from './scoreTable.js';
import { writeJsonReport } from './writeJsonReport.js';

// How a single pass read the files, as its summary line says it.
const PASS_NAMES = { native: 'native pass', bytes: 'byte pass', documents: 'document pass' } as const;

export interface ScoreCommandOptions extends ScoreFlags {
  temporalAccess?: TemporalAccessFlags;
  gold: string;
  pred: string;
  format?: DocFormat;
  config?: string;
  json?: string;
  /** Distributed: this many shards through Temporal and the workers. */
  shards?: number;
  workers: number;
  runId?: string;
  temporalAddress?: string;
  namespace: string;
  taskQueue?: string;
  stateDir: string;
  progress: boolean;
}

const SHARD_TIMEOUTS = { shardMs: 3_600_000, heartbeatMs: 30_000 };
const SHARD_RETRY = { maximumAttempts: 5, initialIntervalMs: 1_000, maximumIntervalMs: 30_000 };

/** `evalshard score`: scores existing predictions against gold; returns the exit code. */
export async function scoreCommand(options: ScoreCommandOptions): Promise<number> {
  const runId = options.runId ?? `score-${randomBytes(4).toString('hex')}`;
  let stack: RunStack | undefined;
  const progress = options.progress ? new ProgressLine(process.stderr) : undefined;
  try {
    const config: ScoreConfig = options.config === undefined ? {} : await loadScoreConfig(options.config);
    const gold = resolve(options.gold);
    const predicted = resolve(options.pred);
    const format = options.format ?? config.format ?? formatOf(gold);
    const distributed = options.shards !== undefined || (options.temporalAddress ?? process.env.EVALSHARD_TEMPORAL_ADDRESS) !== undefined;
    let report: ScoreReport;
    if (!distributed) {
      const planStarted = performance.now();
      const scorerOptions = await singlePassScoreOptions(options, config, gold, format);
      report = await scoreSinglePass({
        gold,
        predicted,
        format,
        options: scorerOptions,
        runId,
        planMs: Math.round(performance.now() - planStarted),
      });
    } else {
      // Temporal's client and the embedded stack, loaded only here: a single pass starts without them.
      const [{ RunStack, withInterrupts }, { scoreDistributed, scoreWorkflowIdFor }, { workflowUiLink }] = await Promise.all([
        import('./runStack.js'),
        import('../score/scoreDistributed.js'),
        import('../stack/stackFile.js'),
      ]);
      const runStack = new RunStack();
      stack = runStack;
      report = await withInterrupts(
        runStack,
        () => {
          progress?.done();
          process.stderr.write('interrupted: stopping the run (Ctrl-C again to quit at once)…\n');
        },
        async () => {
          const { client, taskQueue, uiUrl } = await runStack.connect({
            runId,
            temporalAddress: options.temporalAddress,
            temporalAccess: options.temporalAccess,
            namespace: options.namespace,
            taskQueue: options.taskQueue,
            stateDir: options.stateDir,
            workers: options.workers,
            executionProviders: ['cpu'],
            intraOpThreads: 1,
          });
          const webUi = workflowUiLink(uiUrl, options.namespace, scoreWorkflowIdFor(runId));
          if (webUi !== null && progress !== undefined) progress.note(`Temporal Web UI: ${webUi}`);
          else if (webUi !== null) process.stderr.write(`Temporal Web UI: ${webUi}\n`);
          return scoreDistributed({
            client,
            taskQueue,
            input: {
              runId,
              gold,
              predicted,
              format,
              flags: flagsOf(options),
              config,
              shards: options.shards ?? options.workers * 2,
              workers: options.workers,
              prefetch: options.workers,
              timeouts: SHARD_TIMEOUTS,
              retry: SHARD_RETRY,
            },
            onStarted: (handle) => runStack.started(handle),
            onProgress: (snapshot) => progress?.update(snapshot),
          });
        },
      );
      progress?.finish({
        phase: 'done',
        shardCount: report.run.shards,
        shardsDone: report.run.shards,
        docs: report.run.docs,
        tokens: 0,
        bytes: report.run.gold.bytes,
        totalBytes: report.run.gold.bytes,
      });
    }
    process.stdout.write(`${scoreTable(report.scores)}\n\n`);
    process.stdout.write(
      `scored ${report.run.docs} documents (${report.run.families.join(', ')}) ${report.run.mode === 'distributed' ? `in ${report.run.shards} shards ` : ''}` +
        `in ${(report.run.timings.wallMs / 1000).toFixed(1)} s${report.run.pass === undefined ? '' : ` (${PASS_NAMES[report.run.pass]})`}\n`,
    );
    if (options.json !== undefined) await writeJsonReport(options.json, report);
    return 0;
  } catch (error) {
    progress?.done();
    if (stack?.interrupted === true) return EXIT_INTERRUPTED;
    const { describeFailure } = await import('./describeFailure.js');
    const failure = describeFailure(error);
    process.stderr.write(`error: ${failure.message}\n`);
    return failure.input || isBusyStateDir(error) ? EXIT_BAD_INPUT : EXIT_FAILED;
  } finally {
    await stack?.stop();
  }
}

// The flags travel in the workflow input: plain JSON.
function flagsOf(options: ScoreFlags): ScoreFlags {
  const flags: ScoreFlags = {};
  for (const key of ['scorers', 'catsLabels', 'multiLabel', 'threshold', 'positiveLabel', 'depsMissing', 'macroSummation', 'seqevalMode', 'scheme', 'zeroDivision', 'bootstrap', 'seed'] as const) {
    if (options[key] !== undefined) (flags as Record<string, unknown>)[key] = options[key];
  }
  return flags;
}
