import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TASK_QUEUE } from '../defaultTaskQueue.js';

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a positive integer');
  return number;
}

function finiteNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw new InvalidArgumentError('expected a number');
  return number;
}

function integer(value: string): number {
  const number = finiteNumber(value);
  if (!Number.isInteger(number)) throw new InvalidArgumentError('expected an integer');
  return number;
}

function prefetchCount(value: string): number {
  const number = integer(value);
  if (number < 0 || number > 256) throw new InvalidArgumentError('expected an integer from 0 to 256');
  return number;
}

function list(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((item) => item.trim()).filter(Boolean)];
}

function probability(value: string): number {
  const number = finiteNumber(value);
  if (!(number > 0 && number < 1)) throw new InvalidArgumentError('expected a number between 0 and 1');
  return number;
}

function repeated(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

// A managed Temporal service: TLS, a client certificate, an API key.
function withTemporalAccessOptions(command: Command): Command {
  return command
    .option('--temporal-tls', 'connect to Temporal over TLS (implied by the options below)')
    .option('--temporal-tls-cert <file>', 'client certificate for Temporal (PEM)')
    .option('--temporal-tls-key <file>', 'its private key (PEM)')
    .option('--temporal-tls-ca <file>', 'CA of the Temporal server\'s certificate, when the system does not trust it (PEM)')
    .option('--temporal-tls-server-name <name>', 'the name the Temporal server\'s certificate carries, when the address does not')
    .option('--temporal-api-key-file <file>', 'API key for Temporal (env EVALSHARD_TEMPORAL_API_KEY)');
}

// The named flags' values as commander parsed them (absent ones undefined).
function pickFlags<Key extends string, Value>(options: Record<string, unknown>, keys: readonly Key[]): Record<Key, Value | undefined> {
  return Object.fromEntries(keys.map((key) => [key, options[key]])) as Record<Key, Value | undefined>;
}

function temporalAccessFlags(options: Record<string, unknown>) {
  return {
    ...pickFlags<'temporalTlsCert' | 'temporalTlsKey' | 'temporalTlsCa' | 'temporalTlsServerName' | 'temporalApiKeyFile', string>(options, [
      'temporalTlsCert', 'temporalTlsKey', 'temporalTlsCa', 'temporalTlsServerName', 'temporalApiKeyFile',
    ]),
    temporalTls: options.temporalTls as boolean | undefined,
  };
}

// How a client proves itself to a cluster's scorer and GPU workers.
function withServiceAuthOptions(command: Command): Command {
  return command
    .option('--auth-token-file <file>', 'the cluster services\' bearer token (env EVALSHARD_AUTH_TOKEN)')
    .option('--tls-cert <file>', 'client certificate for the GPU workers and scorer (PEM)')
    .option('--tls-key <file>', 'its private key (PEM)')
    .option('--tls-ca <file>', 'CA that the services\' certificates chain to (PEM)');
}

function serviceAuthFlags(options: Record<string, unknown>) {
  return pickFlags<'authTokenFile' | 'tlsCert' | 'tlsKey' | 'tlsCa', string>(options, ['authTokenFile', 'tlsCert', 'tlsKey', 'tlsCa']);
}

// Where the control commands find the deployment: an `evalshard up` in the state directory, or a cluster.
function withControlOptions(command: Command): Command {
  return withServiceAuthOptions(withTemporalAccessOptions(command))
    .option('--state-dir <dir>', 'the state directory of a running evalshard up', '.evalshard')
    .option('--temporal-address <host:port>', 'a cluster\'s Temporal frontend (env EVALSHARD_TEMPORAL_ADDRESS)')
    .option('--scorer <host:port>', 'a cluster\'s scorer service, which keeps the run history (env EVALSHARD_SCORER_ADDRESS)')
    .option('--namespace <name>', 'Temporal namespace', 'default')
    .option('--task-queue <name>', `Temporal task queue of the evalshard workers (cluster default: ${DEFAULT_TASK_QUEUE})`)
    .option('--temporal-ui <url>', 'the cluster\'s Temporal Web UI, for links (env EVALSHARD_TEMPORAL_UI)');
}

function controlOptions(options: Record<string, unknown>) {
  return {
    stateDir: options.stateDir as string,
    temporalAddress: options.temporalAddress as string | undefined,
    scorer: options.scorer as string | undefined,
    namespace: options.namespace as string,
    taskQueue: options.taskQueue as string | undefined,
    temporalUi: options.temporalUi as string | undefined,
    ...temporalAccessFlags(options),
    ...serviceAuthFlags(options),
  };
}

// Regression gates, on `run` and on schedules.
function withGateOptions(command: Command): Command {
  return command
    .option('--fail-if <condition>', 'the run regressed when the condition holds, e.g. "ents_f < 0.80" (repeatable)', repeated)
    .option('--max-drop <key=drop>', 'the run regressed when KEY fell more than DROP below the baseline, e.g. ents_f=0.01 (repeatable)', list)
    .option('--baseline <run>', 'the run --max-drop compares with: a run id, or last-success (default)')
    .option('--alpha <p>', 'a drop counts only when the paired bootstrap says it is significant at p < alpha', probability)
    .option('--notify <url>', 'POST a JSON summary there when a gate is breached');
}

function gateFlags(options: Record<string, unknown>) {
  return {
    failIf: options.failIf as string[] | undefined,
    maxDrop: options.maxDrop as string[] | undefined,
    baseline: options.baseline as string | undefined,
    alpha: options.alpha as number | undefined,
  };
}

// What a command that runs on Temporal takes: the run's id, where the
// cluster is (or where the embedded stack keeps its state), progress.
function withStackOptions(command: Command): Command {
  return withTemporalAccessOptions(command)
    .option('--run-id <id>', 'name the run; the same id resumes a failed or interrupted run')
    .option('--temporal-address <host:port>', 'use this Temporal cluster instead of the embedded stack (env EVALSHARD_TEMPORAL_ADDRESS)')
    .option('--namespace <name>', 'Temporal namespace', 'default')
    .option('--task-queue <name>', `Temporal task queue of the evalshard workers (cluster default: ${DEFAULT_TASK_QUEUE})`)
    .option('--state-dir <dir>', 'where the embedded stack keeps its databases and logs (a running evalshard up there serves the run)', '.evalshard')
    .option('--temporal-ui <url>', 'the cluster\'s Temporal Web UI, for the run\'s link (env EVALSHARD_TEMPORAL_UI)')
    .option('--no-progress', 'no progress line');
}

/**
 * The `evalshard` command line; resolves to the exit code. Each command's
 * code loads when it runs, so help and the first messages come at once.
 */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('evalshard')
    .description('Sharded, exact, memory-bounded evaluation of ONNX models, orchestrated by Temporal')
    .showHelpAfterError('(add --help to see the options)')
    .exitOverride();

  withGateOptions(withStackOptions(program
    .command('run')
    .description('evaluate a model on a corpus as a spec describes, and print the scores')
    .argument('<spec>', 'YAML or JSON spec (model, corpus, task, labels, scorer, sharding, batch, workers)')
    .addOption(new Option('--shards <n>', 'number of shards').argParser(positiveInteger).conflicts('shardSize'))
    .option('--shard-size <size>', 'bytes per shard, e.g. 256KiB, 64MB')
    .option('--workers <n>', 'GPU worker processes (and shards evaluating at once)', positiveInteger)
    .option('--prefetch <n>', 'shards waiting in the workers\' queues beyond --workers (default: as many as --workers)', prefetchCount)
    .option('--corpus <path>', 'corpus file(s) replacing the spec\'s (repeat or comma-separate)', list)
    .option('--json <file>', 'write the full report (scores and run metadata) as JSON')
    .option('--save-predictions <dir>', 'write the predicted documents there (predictions.<format>, for evalshard score --pred)')
    .option('--bootstrap <replicates>', 'Poisson bootstrap replicates: <key>_ci intervals, and paired comparison with evalshard compare', positiveInteger)
    .option('--seed <seed>', 'seed of the bootstrap weights', integer)
    .option('--single-pass', 'one process, one pass, no Temporal and no gRPC: the reference result', false)))
    .action(async (spec: string, options: Record<string, unknown>) => {
      const { runCommand } = await import('./runCommand.js');
      const { gateSpecOf } = await import('../gates/gateSpecOf.js');
      let gates;
      try {
        gates = gateSpecOf(gateFlags(options)) ?? undefined;
      } catch (error) {
        process.stderr.write(`error: ${(error as Error).message}\n`);
        exitCode = 2;
        return;
      }
      exitCode = await runCommand({
        bootstrap: options.bootstrap as number | undefined,
        seed: options.seed as number | undefined,
        gates,
        notify: options.notify as string | undefined,
        temporalUi: options.temporalUi as string | undefined,
        temporalAccess: temporalAccessFlags(options),
        spec,
        shards: options.shards as number | undefined,
        shardSize: options.shardSize as string | undefined,
        workers: options.workers as number | undefined,
        prefetch: options.prefetch as number | undefined,
        corpus: options.corpus as string[] | undefined,
        json: options.json as string | undefined,
        savePredictions: options.savePredictions as string | undefined,
        singlePass: options.singlePass as boolean,
        runId: options.runId as string | undefined,
        temporalAddress: options.temporalAddress as string | undefined,
        namespace: options.namespace as string,
        taskQueue: options.taskQueue as string | undefined,
        stateDir: options.stateDir as string,
        progress: options.progress as boolean,
      });
    });

  withStackOptions(program
    .command('score')
    .description('score predictions that already exist against gold documents')
    .requiredOption('--gold <file>', 'gold documents')
    .requiredOption('--pred <file>', 'predicted documents, in the same order')
    .addOption(new Option('--format <format>', 'document format (default: from the file name)').choices(['jsonl', 'conllu', 'iob']))
    .option('--scorers <list>', 'families, comma-separated: tokenization, tag, pos, morph, lemma, morph_per_feat, ents, spans:KEY, cats, deps, sents, seqeval (default: all the gold annotates)', list)
    .option('--cats-labels <labels>', 'category labels in component order (default: as they first appear in the gold)', list)
    .option('--multi-label', 'categories are not mutually exclusive')
    .option('--threshold <t>', 'multi-label decision threshold', finiteNumber)
    .option('--positive-label <label>', 'the positive label of a binary exclusive task')
    .addOption(new Option('--macro-summation <mode>', 'CPython sum() the macro scores reproduce').choices(['compensated', 'plain']))
    .addOption(new Option('--deps-missing <mode>', 'how far a missing gold dependency reaches').choices(['reference', 'per-example']))
    .addOption(new Option('--seqeval-mode <mode>', 'seqeval chunking: default (conlleval) or strict').choices(['default', 'strict']))
    .option('--scheme <scheme>', 'tag scheme for strict seqeval: IOB1, IOE1, IOB2, IOE2, IOBES, BILOU')
    .addOption(new Option('--zero-division <value>', 'seqeval score when a denominator is zero').choices(['0', '1']))
    .option('--bootstrap <replicates>', 'percentile intervals (<key>_ci) from a Poisson bootstrap, identical for any sharding', positiveInteger)
    .option('--seed <seed>', 'seed of the bootstrap weights', integer, 0)
    .option('--config <file>', 'all options in a YAML or JSON file, with the reference\'s option names')
    .option('--json <file>', 'write the full report (scores and run metadata) as JSON')
    .option('--shards <n>', 'score in this many shards through Temporal and the workers (must equal the single pass)', positiveInteger)
    .option('--workers <n>', 'worker processes for --shards', positiveInteger, 2))
    .action(async (options: Record<string, unknown>) => {
      const { scoreCommand } = await import('./scoreCommand.js');
      exitCode = await scoreCommand({
        shards: options.shards as number | undefined,
        workers: options.workers as number,
        temporalAccess: temporalAccessFlags(options),
        runId: options.runId as string | undefined,
        temporalAddress: options.temporalAddress as string | undefined,
        namespace: options.namespace as string,
        taskQueue: options.taskQueue as string | undefined,
        stateDir: options.stateDir as string,
        progress: options.progress as boolean,
        seqevalMode: options.seqevalMode as 'default' | 'strict' | undefined,
        bootstrap: options.bootstrap as number | undefined,
        seed: options.seed as number,
        scheme: options.scheme as string | undefined,
        zeroDivision: options.zeroDivision === undefined ? undefined : (Number(options.zeroDivision) as 0 | 1),
        gold: options.gold as string,
        pred: options.pred as string,
        format: options.format as 'jsonl' | 'conllu' | 'iob' | undefined,
        scorers: options.scorers as string[] | undefined,
        catsLabels: options.catsLabels as string[] | undefined,
        multiLabel: options.multiLabel as boolean | undefined,
        threshold: options.threshold as number | undefined,
        positiveLabel: options.positiveLabel as string | undefined,
        macroSummation: options.macroSummation as 'compensated' | 'plain' | undefined,
        depsMissing: options.depsMissing as 'reference' | 'per-example' | undefined,
        config: options.config as string | undefined,
        json: options.json as string | undefined,
      });
    });

  program
    .command('up')
    .description('start the embedded stack (Temporal dev server and Web UI, scorer, GPU workers) and keep it up until Ctrl-C')
    .option('--state-dir <dir>', 'where the stack keeps its databases and logs', '.evalshard')
    .option('--workers <n>', 'GPU worker processes', positiveInteger, 2)
    .option('--execution-providers <list>', 'onnxruntime execution providers, e.g. cuda,cpu', 'cpu')
    .option('--intra-op-threads <n>', 'threads per operator in each worker (0: share the cores)', integer, 0)
    .action(async (options: Record<string, unknown>) => {
      const { upCommand } = await import('../up/upCommand.js');
      exitCode = await upCommand({
        stateDir: options.stateDir as string,
        workers: options.workers as number,
        executionProviders: (options.executionProviders as string).split(',').map((name) => name.trim()).filter(Boolean),
        intraOpThreads: options.intraOpThreads as number,
      });
    });

  const schedule = program.command('schedule').description('evaluate on a schedule (Temporal Schedules): create, list, describe, pause, unpause, trigger, backfill, update, delete');
  const scheduleAction = (action: string) => async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const positional = args.slice(0, -2) as Array<string | undefined>;
    const options = command.opts();
    const { scheduleCommand } = await import('../schedules/scheduleCommand.js');
    exitCode = await scheduleCommand(action as never, positional[0], positional[1], {
      ...controlOptions(options),
      ...gateFlags(options),
      every: options.every as string | undefined,
      cron: options.cron as string[] | undefined,
      overlap: options.overlap as string | undefined,
      catchupWindow: options.catchupWindow as string | undefined,
      pauseOnFailure: options.pauseOnFailure as boolean | undefined,
      jitter: options.jitter as string | undefined,
      onUnchanged: options.onUnchanged as 'skip' | 'run' | undefined,
      bootstrap: options.bootstrap as number | undefined,
      seed: options.seed as number | undefined,
      notify: options.notify as string | undefined,
      note: options.note as string | undefined,
      from: options.from as string | undefined,
      to: options.to as string | undefined,
      json: options.json as boolean | undefined,
    });
  };
  const withWhen = (command: Command) =>
    withGateOptions(command)
      .option('--every <duration>', 'fire every DURATION (e.g. 10s, 6h, 1d)')
      .option('--cron <expr>', 'fire on a cron expression (repeatable)', repeated)
      .option('--jitter <duration>', 'start each firing up to DURATION late, at random')
      .option('--overlap <policy>', 'a firing while a run is going: skip, buffer-one, buffer-all, cancel-other, terminate-other, allow-all')
      .option('--catchup-window <duration>', 'firings missed while the server was down are made up if at most this late')
      .option('--pause-on-failure', 'pause the schedule when a run fails')
      .addOption(new Option('--on-unchanged <what>', 'a firing whose model, corpus and scorer equal the last evaluated run').choices(['skip', 'run']))
      .option('--bootstrap <replicates>', 'bootstrap replicates per run (default 100, so runs compare with significance)', positiveInteger)
      .option('--seed <seed>', 'seed of the bootstrap weights', integer)
      .option('--note <text>', 'a note on the schedule');
  withControlOptions(withWhen(schedule.command('create').argument('<name>').argument('<spec>').description('create a schedule that evaluates SPEC; the spec is captured now')))
    .action(scheduleAction('create'));
  withControlOptions(withWhen(schedule.command('update').argument('<name>').argument('[spec]').description('change a schedule: a new spec (captured now), timing, policies or gates')))
    .action(scheduleAction('update'));
  withControlOptions(schedule.command('list').description('the schedules evalshard made').option('--json', 'as JSON'))
    .action(scheduleAction('list'));
  withControlOptions(schedule.command('describe').argument('<name>').description('next firings and last runs with their headline score').option('--json', 'as JSON'))
    .action(scheduleAction('describe'));
  withControlOptions(schedule.command('pause').argument('<name>').option('--note <text>', 'why')).action(scheduleAction('pause'));
  withControlOptions(schedule.command('unpause').argument('<name>').option('--note <text>', 'why')).action(scheduleAction('unpause'));
  withControlOptions(schedule.command('trigger').argument('<name>').description('start a run now').option('--overlap <policy>', 'overlap policy for this firing'))
    .action(scheduleAction('trigger'));
  withControlOptions(
    schedule.command('backfill').argument('<name>').description('take the firings a time range would have had')
      .requiredOption('--from <time>', 'start, e.g. 2026-11-30T00:00:00Z')
      .requiredOption('--to <time>', 'end')
      .option('--overlap <policy>', 'overlap policy of the backfilled firings (default buffer-all)'),
  ).action(scheduleAction('backfill'));
  withControlOptions(schedule.command('delete').argument('<name>').description('delete a schedule (its runs stay in the history)'))
    .action(scheduleAction('delete'));

  withControlOptions(program
    .command('runs')
    .description('the run history, newest first')
    .option('--schedule <name>', 'runs of this schedule')
    .option('--status <status>', 'running, succeeded, failed, cancelled, skipped or regressed')
    .option('--last <n>', 'the newest N', positiveInteger)
    .option('--json', 'as JSON'))
    .action(async (options: Record<string, unknown>) => {
      const { runsCommand } = await import('../runs/runsCommand.js');
      exitCode = await runsCommand({
        ...controlOptions(options),
        schedule: options.schedule as string | undefined,
        status: options.status as string | undefined,
        last: options.last as number | undefined,
        json: (options.json as boolean | undefined) ?? false,
      });
    });

  withControlOptions(program.command('show').argument('<run>').description('one run: status, model, digests, scores').option('--json', 'as JSON'))
    .action(async (run: string, options: Record<string, unknown>) => {
      const { showCommand } = await import('../runs/showCommand.js');
      exitCode = await showCommand(run, { ...controlOptions(options), json: (options.json as boolean | undefined) ?? false });
    });

  withControlOptions(program.command('status').argument('<run>').description('a run\'s state; while it runs, its live progress until it ends')
    .option('--no-follow', 'print the state once')
    .option('--json', 'as JSON'))
    .action(async (run: string, options: Record<string, unknown>) => {
      const { statusCommand } = await import('../runs/statusCommand.js');
      exitCode = await statusCommand(run, {
        ...controlOptions(options),
        follow: options.follow as boolean,
        json: (options.json as boolean | undefined) ?? false,
      });
    });

  withControlOptions(program.command('cancel').argument('<run>').description('stop a running run (history: cancelled)'))
    .action(async (run: string, options: Record<string, unknown>) => {
      const { cancelCommand } = await import('../runs/cancelCommand.js');
      exitCode = await cancelCommand(run, controlOptions(options));
    });

  withControlOptions(program.command('compare').argument('<run-a>').argument('<run-b>')
    .description('two runs\' scores, their difference and, with bootstrap replicates on the same corpus, a paired 95 % interval and p-value')
    .option('--keys <keys>', 'the scores to compare, comma-separated (default: every score both have)', list)
    .option('--json', 'as JSON'))
    .action(async (a: string, b: string, options: Record<string, unknown>) => {
      const { compareCommand } = await import('../compare/compareCommand.js');
      exitCode = await compareCommand(a, b, {
        ...controlOptions(options),
        keys: options.keys as string[] | undefined,
        json: (options.json as boolean | undefined) ?? false,
      });
    });

  program
    .command('setup')
    .description('provide what the embedded stack needs (the Temporal CLI, built once with Go), ahead of the first run')
    .action(async () => {
      const { setupCommand } = await import('../setup/setupCommand.js');
      exitCode = await setupCommand();
    });

  withServiceAuthOptions(withTemporalAccessOptions(program
    .command('worker')
    .description('run a Temporal worker for a cluster: workflows and shard activities against GPU workers and a scorer')
    .requiredOption('--temporal-address <host:port>', 'Temporal frontend')
    .requiredOption('--gpu-workers <addresses>', 'GPU worker addresses, comma-separated host:port', list)
    .requiredOption('--scorer <host:port>', 'scorer service address')
    .option('--namespace <name>', 'Temporal namespace', 'default')
    .option('--task-queue <name>', 'Temporal task queue', DEFAULT_TASK_QUEUE)
    .option('--max-concurrent-shards <n>', 'shards evaluating at once through this process (each may have one prefetched waiting behind it)', positiveInteger)))
    .action(async (options: Record<string, unknown>) => {
      const { workerCommand } = await import('./workerCommand.js');
      exitCode = await workerCommand({
        temporalAddress: options.temporalAddress as string,
        namespace: options.namespace as string,
        taskQueue: options.taskQueue as string,
        gpuWorkers: options.gpuWorkers as string[],
        scorer: options.scorer as string,
        maxConcurrentShards: options.maxConcurrentShards as number | undefined,
        ...serviceAuthFlags(options),
        ...temporalAccessFlags(options),
      });
    });

  program
    .command('gpu-worker')
    .description('run a GPU worker (gRPC) that evaluates shards with onnxruntime; --help for its options')
    .allowUnknownOption()
    .helpOption(false)
    .argument('[options...]')
    .action(async (args: string[]) => {
      const { gpuWorkerCommand } = await import('@evalshard/gpu-worker');
      await gpuWorkerCommand(args);
      exitCode = -1;
    });

  program
    .command('scorer')
    .description('run the scorer service (gRPC) that stores partial scores and finalizes runs; --help for its options')
    .allowUnknownOption()
    .helpOption(false)
    .argument('[options...]')
    .action(async (args: string[]) => {
      const { scorerCommand } = await import('@evalshard/scorer');
      await scorerCommand(args);
      exitCode = -1;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    // Help and version end with 0; every other complaint of the parser is a wrong command line.
    if (typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('commander.')) {
      return (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
    }
    // A command that threw before it could report: say what, never end silently.
    process.stderr.write(`error: ${(error as Error).message ?? String(error)}\n`);
    const { isInputError } = await import('@evalshard/scorer');
    return isInputError(error) ? 2 : 1;
  }
  return exitCode;
}
