import {
  BadRecordPolicy,
  type EvaluateShardEvent,
  type EvaluateShardRequest,
  type TokenTask as TokenTaskMessage,
} from '@evalshard/proto';
import { InputError, decodeScorerOptions, formatOf, initMetricStates, type DocFormat } from '@evalshard/scorer';
import type { ModelCache } from '../bundle/modelCache.js';
import { evaluateRange, type RangeTotals } from '../evaluateRange.js';
import { PredictionWriter, predictionFileName } from '../predictions/predictionWriter.js';
import { progressWriter } from './progressWriter.js';
import { resultEvent } from './resultEvent.js';
import { simulateRange } from './simulatedRange.js';
import { evaluateTokenRange, type TokenTask } from '../tokens/evaluateTokenRange.js';
import { LABEL_SCHEMES, type LabelScheme, type TokenAnnotation } from '../tokens/predictedDoc.js';
import type { BatchingMode } from '../tokens/rowBatcher.js';

const DEFAULT_BATCH = { maxDocs: 32, maxTokens: 8192, maxSequenceLength: 0 };

/** What a shard runs with on the evaluation thread. */
export interface ShardContext {
  workerId: string;
  models: ModelCache;
  /** Benchmark-only: no inference, this many milliseconds a document (see simulatedRange). */
  simulateMsPerDoc?: number;
}

/**
 * Evaluates one shard: the model over the range's records, folded into the
 * run's score families; writes progress, then the partial (the caller ends
 * the stream).
 */
export async function evaluateShard(
  request: EvaluateShardRequest,
  context: ShardContext,
  write: (event: EvaluateShardEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const started = performance.now();
  const range = request.range;
  if (range === undefined || range.path === '') throw new InputError('the request names no byte range', { field: 'range' });
  const bundle = await context.models.get(request.modelPath);
  const expectedDigest = request.digests?.model ?? '';
  if (expectedDigest !== '' && expectedDigest !== bundle.digest) {
    throw new InputError(
      `the bundle at ${request.modelPath} on worker ${context.workerId} has digest ${bundle.digest.slice(0, 12)}, ` +
        `the run was planned with ${expectedDigest.slice(0, 12)}`,
      { code: 'MODEL_DIGEST_MISMATCH', file: request.modelPath },
    );
  }
  const scorer = decodeScorerOptions(request.scorer);
  const states = initMetricStates(scorer);
  const common = {
    bundle,
    path: range.path,
    start: range.start,
    end: range.end,
    states,
    batch: { ...DEFAULT_BATCH, ...nonZero(request.batch) },
    signal,
    onProgress: progressWriter(write),
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
      context.simulateMsPerDoc !== undefined
        ? await simulateRange(range.path, range.start, range.end, context.simulateMsPerDoc, signal)
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
  const counts = { docs: totals.docs, tokens: totals.tokens, bytes: range.end - range.start, skippedCount: totals.skippedCount, skipped: totals.skipped };
  write(
    resultEvent(request, states, counts, {
      workerId: context.workerId,
      wallMs: Math.round(performance.now() - started),
      // Whole milliseconds: the fields are integers; the evaluators sum fractions.
      inferenceMs: Math.round(totals.inferenceMs),
      tokenizeMs: Math.round(totals.tokenizeMs),
      scoreMs: Math.round(totals.scoreMs),
      batches: totals.batches,
    }),
  );
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
