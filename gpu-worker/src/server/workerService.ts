import { hostname } from 'node:os';
import type { ServerWritableStream, sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import {
  BadRecordPolicy,
  type DescribeModelRequest,
  type DescribeModelResponse,
  type EvaluateShardEvent,
  type EvaluateShardRequest,
  type ScoreShardRequest,
  type PartialScore,
  type TokenTask as TokenTaskMessage,
  type WorkerServiceServer,
} from '@evalshard/proto';
import {
  InputError,
  decodeScorerOptions,
  encodeMetricStates,
  formatOf,
  initMetricStates,
  toServiceError,
  type DocFormat,
} from '@evalshard/scorer';
import type { ModelCache } from '../bundle/modelCache.js';
import { evaluateRange, type RangeProgress, type RangeTotals } from '../evaluateRange.js';
import { PredictionWriter, predictionFileName } from '../predictions/predictionWriter.js';
import { evaluateTokenRange, type TokenTask } from '../tokens/evaluateTokenRange.js';
import { LABEL_SCHEMES, type LabelScheme, type TokenAnnotation } from '../tokens/predictedDoc.js';
import type { BatchingMode } from '../tokens/rowBatcher.js';
import type { DataRoots } from './dataRoots.js';
import { scoreShardCall } from './scoreShardCall.js';
import { simulateRange } from './simulatedRange.js';

const PROGRESS_INTERVAL_MS = 250;
/** How often a shard call says the worker is alive (see WorkerAlive). */
const ALIVE_INTERVAL_MS = 1_000;
const DEFAULT_BATCH = { maxDocs: 32, maxTokens: 8192, maxSequenceLength: 0 };

export interface WorkerServiceOptions {
  workerId: string;
  models: ModelCache;
  /** Shards evaluated at once; more wait their turn. */
  concurrency: number;
  /** Where requests may point; every path when empty. */
  dataRoots: DataRoots;
  /** Benchmark-only: no inference, this many milliseconds a document (see simulatedRange). */
  simulateMsPerDoc?: number;
}

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}`;
}

export function createWorkerService(options: WorkerServiceOptions): WorkerServiceServer {
  const slots = new Semaphore(options.concurrency);
  let activeShards = 0;

  // One shard at a time per slot; a cancelled call stops between batches.
  const shardStream =
    <Request>(work: (call: ServerWritableStream<Request, EvaluateShardEvent>, signal: AbortSignal) => Promise<void>) =>
    (call: ServerWritableStream<Request, EvaluateShardEvent>) => {
      const abort = new AbortController();
      const alive = setInterval(() => call.write({ event: { $case: 'alive', value: {} } }), ALIVE_INTERVAL_MS);
      call.on('cancelled', () => {
        clearInterval(alive);
        abort.abort(new Error('the caller cancelled the shard'));
      });
      void slots
        .run(async () => {
          activeShards += 1;
          try {
            await work(call, abort.signal);
          } finally {
            activeShards -= 1;
          }
        })
        .catch((error: unknown) => {
          if (!abort.signal.aborted) call.emit('error', toServiceError(error));
        })
        .finally(() => clearInterval(alive));
    };

  return {
    evaluateShard: shardStream<EvaluateShardRequest>((call, signal) => {
      const { modelPath, range, savePredictions } = call.request;
      options.dataRoots.check(modelPath, 'model');
      if (range !== undefined) options.dataRoots.check(range.path, 'corpus');
      if (savePredictions !== '') options.dataRoots.check(savePredictions, 'savePredictions');
      return evaluateShardCall(call, options, signal);
    }),
    scoreShard: shardStream<ScoreShardRequest>((call, signal) => {
      const { gold, predicted } = call.request;
      if (gold !== undefined) options.dataRoots.check(gold.path, 'gold');
      if (predicted !== undefined) options.dataRoots.check(predicted.path, 'pred');
      return scoreShardCall(call, options.workerId, signal);
    }),

    describeModel: (
      call: ServerUnaryCall<DescribeModelRequest, DescribeModelResponse>,
      callback: sendUnaryData<DescribeModelResponse>,
    ) => {
      Promise.resolve()
        .then(() => {
          options.dataRoots.check(call.request.modelPath, 'model');
          return options.models.get(call.request.modelPath);
        })
        .then((bundle) =>
          callback(null, {
            digest: bundle.digest,
            inputs: bundle.inputs,
            outputs: bundle.outputs,
            labels: bundle.labels,
            problemType: bundle.problemType,
            executionProviders: bundle.executionProviders,
            workerId: options.workerId,
            maxSequenceLength: bundle.defaultMaxSequenceLength,
            classifierKind: bundle.kind,
            rowCouplingOps: bundle.rowCoupling,
          }),
        )
        .catch((error: unknown) => callback(toServiceError(error)));
    },

    health: (_call, callback) => {
      callback(null, { workerId: options.workerId, activeShards, loadedModels: options.models.loadedDirs() });
    },
  };
}

async function evaluateShardCall(
  call: ServerWritableStream<EvaluateShardRequest, EvaluateShardEvent>,
  options: WorkerServiceOptions,
  signal: AbortSignal,
): Promise<void> {
  const started = performance.now();
  const request = call.request;
  const range = request.range;
  if (range === undefined || range.path === '') throw new InputError('the request names no byte range', { field: 'range' });
  const bundle = await options.models.get(request.modelPath);
  const expectedDigest = request.digests?.model ?? '';
  if (expectedDigest !== '' && expectedDigest !== bundle.digest) {
    throw new InputError(
      `the bundle at ${request.modelPath} on worker ${options.workerId} has digest ${bundle.digest.slice(0, 12)}, ` +
        `the run was planned with ${expectedDigest.slice(0, 12)}`,
      { code: 'MODEL_DIGEST_MISMATCH', file: request.modelPath },
    );
  }
  const scorer = decodeScorerOptions(request.scorer);
  const states = initMetricStates(scorer);
  let lastProgress = 0;
  const common = {
    bundle,
    path: range.path,
    start: range.start,
    end: range.end,
    states,
    batch: { ...DEFAULT_BATCH, ...nonZero(request.batch) },
    signal,
    onProgress: (progress: RangeProgress) => {
      const now = performance.now();
      if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      call.write({ event: { $case: 'progress', value: progress } });
    },
  };
  const batching = batchingOf(request.batching);
  const tokenTask = request.tokenTask === undefined ? undefined : tokenTaskOf(request.tokenTask, range.path, batching);
  const predictions =
    request.savePredictions === ''
      ? undefined
      : new PredictionWriter(request.savePredictions, predictionFileName(request.shardIndex, tokenTask?.format ?? 'jsonl'), tokenTask?.format ?? 'jsonl');
  let totals: RangeTotals;
  try {
    totals =
      options.simulateMsPerDoc !== undefined
        ? await simulateRange(range.path, range.start, range.end, options.simulateMsPerDoc, signal)
        : tokenTask === undefined
        ? await evaluateRange({
            ...common,
            scorer,
            batching,
            onBadRecord: request.onBadRecord === BadRecordPolicy.BAD_RECORD_POLICY_SKIP ? 'skip' : 'fail',
            maxListedSkips: request.maxListedSkips,
            maxRecordBytes: request.maxRecordBytes,
            predictions,
          })
        : await evaluateTokenRange({ ...common, task: tokenTask, maxRecordBytes: request.maxRecordBytes, predictions });
    await predictions?.close();
  } catch (error) {
    predictions?.abort();
    throw error;
  }
  const partial: PartialScore = {
    runId: request.runId,
    shardIndex: request.shardIndex,
    digests: request.digests,
    docs: totals.docs,
    tokens: totals.tokens,
    bytes: range.end - range.start,
    skippedCount: totals.skippedCount,
    skipped: totals.skipped,
    states: encodeMetricStates(states),
  };
  call.write({
    event: {
      $case: 'result',
      value: {
        partial,
        stats: {
          workerId: options.workerId,
          wallMs: Math.round(performance.now() - started),
          // Whole milliseconds: the fields are integers; the evaluators sum fractions.
          inferenceMs: Math.round(totals.inferenceMs),
          tokenizeMs: Math.round(totals.tokenizeMs),
          scoreMs: Math.round(totals.scoreMs),
          batches: totals.batches,
        },
      },
    },
  });
  call.end();
}

function batchingOf(value: string): BatchingMode {
  if (value === '' || value === 'fixed') return 'fixed';
  if (value === 'single' || value === 'dynamic') return value;
  throw new InputError(`unknown batching "${value}" (fixed, single or dynamic)`, { field: 'batching' });
}

function tokenTaskOf(task: TokenTaskMessage, path: string, batching: BatchingMode): TokenTask {
  if (!['pos', 'tag', 'ents'].includes(task.annotation)) {
    throw new InputError(`unknown token annotation "${task.annotation}" (pos, tag or ents)`, { field: 'tokens.annotation' });
  }
  if (!LABEL_SCHEMES.includes(task.scheme as LabelScheme)) {
    throw new InputError(`unknown label scheme "${task.scheme}" (${LABEL_SCHEMES.join(', ')})`, { field: 'tokens.scheme' });
  }
  return {
    format: task.format === '' ? formatOf(path) : (task.format as DocFormat),
    annotation: task.annotation as TokenAnnotation,
    scheme: task.scheme as LabelScheme,
    batching,
  };
}

function nonZero<T extends object>(value: T | undefined): Partial<T> {
  const result: Partial<T> = {};
  for (const [key, entry] of Object.entries(value ?? {})) {
    if (entry !== 0) (result as Record<string, unknown>)[key] = entry;
  }
  return result;
}

class Semaphore {
  private available: number;
  private readonly waiting: Array<() => void> = [];

  constructor(capacity: number) {
    this.available = Math.max(1, capacity);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.available > 0) this.available -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.available += 1;
    }
  }
}
