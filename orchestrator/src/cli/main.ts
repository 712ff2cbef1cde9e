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

function list(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((item) => item.trim()).filter(Boolean)];
}

// What a command that runs on Temporal takes: the run's id, where the
// cluster is (or where the embedded stack keeps its state), progress.
function withStackOptions(command: Command): Command {
  return command
    .option('--run-id <id>', 'name the run; the same id resumes a failed or interrupted run')
    .option('--temporal-address <host:port>', 'use this Temporal cluster instead of the embedded stack (env EVALSHARD_TEMPORAL_ADDRESS)')
    .option('--namespace <name>', 'Temporal namespace', 'default')
    .option('--task-queue <name>', `Temporal task queue of the evalshard workers (cluster default: ${DEFAULT_TASK_QUEUE})`)
    .option('--state-dir <dir>', 'where the embedded stack keeps its databases and logs', '.evalshard')
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

  withStackOptions(program
    .command('run')
    .description('evaluate a model on a corpus as a spec describes, and print the scores')
    .argument('<spec>', 'YAML or JSON spec (model, corpus, task, labels, scorer, sharding, batch, workers)')
    .addOption(new Option('--shards <n>', 'number of shards').argParser(positiveInteger).conflicts('shardSize'))
    .option('--shard-size <size>', 'bytes per shard, e.g. 256KiB, 64MB')
    .option('--workers <n>', 'GPU worker processes (and shards in flight)', positiveInteger)
    .option('--corpus <path>', 'corpus file(s) replacing the spec\'s (repeat or comma-separate)', list)
    .option('--json <file>', 'write the full report (scores and run metadata) as JSON')
    .option('--save-predictions <dir>', 'write the predicted documents there (predictions.<format>, for evalshard score --pred)')
    .option('--single-pass', 'one process, one pass, no Temporal and no gRPC: the reference result', false))
    .action(async (spec: string, options: Record<string, unknown>) => {
      const { runCommand } = await import('./runCommand.js');
      exitCode = await runCommand({
        spec,
        shards: options.shards as number | undefined,
        shardSize: options.shardSize as string | undefined,
        workers: options.workers as number | undefined,
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
    .command('setup')
    .description('provide what the embedded stack needs (the Temporal CLI, built once with Go), ahead of the first run')
    .action(async () => {
      const { setupCommand } = await import('../setup/setupCommand.js');
      exitCode = await setupCommand();
    });

  program
    .command('worker')
    .description('run a Temporal worker for a cluster: workflows and shard activities against GPU workers and a scorer')
    .requiredOption('--temporal-address <host:port>', 'Temporal frontend')
    .requiredOption('--gpu-workers <addresses>', 'GPU worker addresses, comma-separated host:port', list)
    .requiredOption('--scorer <host:port>', 'scorer service address')
    .option('--namespace <name>', 'Temporal namespace', 'default')
    .option('--task-queue <name>', 'Temporal task queue', DEFAULT_TASK_QUEUE)
    .option('--max-concurrent-shards <n>', 'shard activities at once in this process', positiveInteger)
    .option('--tls-cert <file>', 'client certificate for the GPU workers and scorer (PEM)')
    .option('--tls-key <file>', 'its private key (PEM)')
    .option('--tls-ca <file>', 'CA that the services\' certificates chain to (PEM)')
    .action(async (options: Record<string, unknown>) => {
      const { workerCommand } = await import('./workerCommand.js');
      exitCode = await workerCommand({
        temporalAddress: options.temporalAddress as string,
        namespace: options.namespace as string,
        taskQueue: options.taskQueue as string,
        gpuWorkers: options.gpuWorkers as string[],
        scorer: options.scorer as string,
        maxConcurrentShards: options.maxConcurrentShards as number | undefined,
        tlsCert: options.tlsCert as string | undefined,
        tlsKey: options.tlsKey as string | undefined,
        tlsCa: options.tlsCa as string | undefined,
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
    return (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  return exitCode;
}
