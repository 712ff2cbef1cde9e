import type { EvaluateShardEvent, ScoreShardRequest } from '@evalshard/proto';
import {
  decodeScorerOptions,
  initMetricStates,
  InputError,
  pairDocs,
  readDocs,
  updateMetricStates,
  type DocFormat,
} from '@evalshard/scorer';
import { progressWriter } from './progressWriter.js';
import { resultEvent } from './resultEvent.js';

const FORMATS = new Set<string>(['jsonl', 'conllu', 'iob']);

/**
 * Scores one shard of predictions that already exist: reads the gold and the
 * predicted documents of the shard's two ranges in step, folds every pair
 * into the run's families and writes progress, then the partial (the caller
 * ends the stream).
 */
export async function scoreShard(
  request: ScoreShardRequest,
  workerId: string,
  write: (event: EvaluateShardEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const started = performance.now();
  const { gold, predicted } = request;
  if (gold === undefined || predicted === undefined) {
    throw new InputError('the request names no gold or predicted range', { field: 'gold' });
  }
  if (!FORMATS.has(request.format)) throw new InputError(`unknown document format "${request.format}"`, { field: 'format' });
  const format = request.format as DocFormat;
  const options = decodeScorerOptions(request.scorer);
  const states = initMetricStates(options);
  let docs = 0;
  const progress = progressWriter(write);
  const examples = pairDocs(
    readDocs(gold.path, format, { start: gold.start, end: gold.end, startLine: gold.startLine || 1 }),
    readDocs(predicted.path, format, { start: predicted.start, end: predicted.end, startLine: predicted.startLine || 1, role: 'predicted' }),
  );
  let scoreMs = 0;
  for await (const example of examples) {
    signal.throwIfAborted();
    const folding = performance.now();
    updateMetricStates(states, example);
    scoreMs += performance.now() - folding;
    docs += 1;
    progress({ docs, tokens: 0, bytes: 0 });
  }
  const counts = { docs, tokens: 0, bytes: gold.end - gold.start, skippedCount: 0, skipped: [] };
  const wallMs = Math.round(performance.now() - started);
  write(resultEvent(request, states, counts, { workerId, wallMs, inferenceMs: 0, tokenizeMs: 0, scoreMs: Math.round(scoreMs), batches: 0 }));
}
