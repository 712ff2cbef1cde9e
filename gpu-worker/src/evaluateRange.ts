import type { SkippedRecord } from '@evalshard/proto';
import {
  DEFAULT_MAX_RECORD_BYTES,
  foldTextcat,
  InputError,
  labelIndexOf,
  oversizedRecordError,
  parseTextcatRecord,
  readLineRecords,
  textcatStateOf,
  updateTextcat,
  type CatsEntries,
  type MetricStates,
  type ScorerOptions,
} from '@evalshard/scorer';
import { basename } from 'node:path';
import { requireClassifier, type ModelBundle } from './bundle/modelBundle.js';
import type { PredictionWriter } from './predictions/predictionWriter.js';
import { categoryScores } from './inference/categoryScores.js';
import { batchRunner, emptyRangeTotals } from './inference/batchRunner.js';
import { rowBatcher, type BatchingMode } from './tokens/rowBatcher.js';

export interface BatchOptions {
  maxDocs: number;
  maxTokens: number;
  /** 0: the bundle's own limit. */
  maxSequenceLength: number;
}

export interface RangeProgress {
  docs: number;
  tokens: number;
  /** Bytes of the range consumed so far. */
  bytes: number;
}

export interface EvaluateRangeParams {
  bundle: ModelBundle;
  path: string;
  start: number;
  end: number;
  scorer: ScorerOptions;
  /** Folded into in place: single-pass runs pass one state for every file. */
  states: MetricStates;
  batch: BatchOptions;
  /** fixed or single (exact), or dynamic. */
  batching: BatchingMode;
  onBadRecord: 'fail' | 'skip';
  maxListedSkips: number;
  /** A longer record is a bad record, never held in memory (default DEFAULT_MAX_RECORD_BYTES). */
  maxRecordBytes?: number;
  onProgress?: (progress: RangeProgress) => void;
  signal?: AbortSignal;
  /** Where the documents' category scores go, in corpus order. */
  predictions?: PredictionWriter;
}

export interface RangeTotals {
  docs: number;
  tokens: number;
  skippedCount: number;
  skipped: SkippedRecord[];
  batches: number;
  inferenceMs: number;
  /** Time tokenizing (on the tokenizer's threads, overlapping inference) and folding into the score states. */
  tokenizeMs: number;
  scoreMs: number;
  /** Token positions the model computed (rows × width, filler rows included), and how many held real tokens. */
  positions: number;
  rowTokens: number;
}


interface PendingRecord {
  gold: CatsEntries;
  /** The record's id, or file@offset as `evalshard score` names a record without one. */
  id: string;
  text: string;
  tokens: number;
  predicted: CatsEntries | undefined;
}

/** Records in batches ahead of the oldest unfinished one before waiting batches are run anyway. */
const MAX_PENDING_FACTOR = 4;
/** Records tokenized together on the tokenizer's threads: a chunk is tokenized while the one before runs. */
const CHUNK_DOCS = 64;
const CHUNK_CHARS = 1 << 20;

/**
 * Evaluates the records of one byte range: read, parse, tokenize, batch (by
 * `batching`), run the model, fold each document into the
 * text-classification state. Records are tokenized a chunk at a time on the
 * native tokenizer's threads while the previous chunk's batches run, so this
 * thread stays free for gRPC. At most two chunks and a few batches are held,
 * and one batch runs at a time, whatever the range's size.
 */
export async function evaluateRange(params: EvaluateRangeParams): Promise<RangeTotals> {
  const { bundle, scorer, states } = params;
  const textcat = scorer.textcat;
  const textcatState = textcatStateOf(states);
  if (textcat === undefined || textcatState === undefined) {
    throw new InputError('this worker evaluates text classification; the scorer config has no textcat family', {
      field: 'task',
    });
  }
  requireClassifier(bundle, 'sequence', 'textcat');
  const labelIndex = labelIndexOf(textcat);
  const maxLength = params.batch.maxSequenceLength || bundle.defaultMaxSequenceLength;
  const encoder = await bundle.encoderFor(maxLength);
  const batcher = rowBatcher<PendingRecord>(params.batching, maxLength, params.batch);
  const totals = emptyRangeTotals();
  // Records in corpus order until their scores are folded in (and written): batches finish out of order.
  const pending: PendingRecord[] = [];
  // Of those, the ones already given to the batcher (the batches do not depend on how far tokenization ran ahead).
  let batched = 0;
  let consumed = 0;
  const run = batchRunner<PendingRecord>(bundle, encoder.padId, totals, params.signal, (record, logits) => {
    record.predicted = categoryScores(logits, bundle.labels, bundle.problemType);
  });
  const finish = async (): Promise<void> => {
    while (pending.length > 0 && pending[0]!.predicted !== undefined) {
      const record = pending.shift()!;
      batched -= 1;
      const folding = performance.now();
      foldTextcat(states, record.id, (state) => updateTextcat(state, textcat, labelIndex, record.gold, record.predicted!));
      totals.scoreMs += performance.now() - folding;
      await params.predictions?.writeCats(record.id, record.text, record.predicted!);
      totals.docs += 1;
      totals.tokens += record.tokens;
    }
    params.onProgress?.({ docs: totals.docs, tokens: totals.tokens, bytes: consumed });
  };

  // The records given to the batcher as their chunk comes back tokenized.
  const feed = async (encoded: { items: PendingRecord[]; ids: number[][] }): Promise<void> => {
    for (const [k, item] of encoded.items.entries()) {
      const ids = encoded.ids[k]!;
      item.tokens = ids.length;
      batched += 1;
      await run(batcher.add({ ids, item }));
      if (batched > MAX_PENDING_FACTOR * params.batch.maxDocs) await run(batcher.flush());
      await finish();
    }
  };
  let chunk: PendingRecord[] = [];
  let chunkChars = 0;
  let encoding: Promise<{ items: PendingRecord[]; ids: number[][] }> | undefined;
  // Starts tokenizing the chunk, then runs the previous one's batches meanwhile.
  const dispatch = async (): Promise<void> => {
    const ready = encoding;
    const items = chunk;
    chunk = [];
    chunkChars = 0;
    const tokenizing = performance.now();
    encoding =
      items.length === 0
        ? undefined
        : encoder.encodeBatch(items.map((item) => item.text)).then((ids) => {
            totals.tokenizeMs += performance.now() - tokenizing;
            return { items, ids };
          });
    // Awaited by the next dispatch; a run that fails before then must not leave it unhandled.
    encoding?.catch(() => undefined);
    if (ready !== undefined) await feed(await ready);
  };

  const maxRecordBytes = params.maxRecordBytes || DEFAULT_MAX_RECORD_BYTES;
  for await (const record of readLineRecords(params.path, { start: params.start, end: params.end, maxRecordBytes })) {
    consumed = Math.min(params.end, record.offset + (record.oversizedBytes ?? record.bytes.length) + 1) - params.start;
    let parsed;
    try {
      if (record.oversizedBytes !== undefined) throw oversizedRecordError(params.path, record, maxRecordBytes);
      parsed = parseTextcatRecord(record.bytes, params.path, record.offset);
    } catch (error) {
      if (params.onBadRecord === 'skip' && error instanceof InputError && error.code === 'BAD_RECORD') {
        totals.skippedCount += 1;
        if (totals.skipped.length < params.maxListedSkips) {
          totals.skipped.push({ file: params.path, byteOffset: record.offset, reason: error.message });
        }
        continue;
      }
      throw error;
    }
    const item: PendingRecord = {
      gold: parsed.cats,
      id: parsed.id ?? `${basename(params.path)}@${record.offset}`,
      text: parsed.text,
      tokens: 0,
      predicted: undefined,
    };
    pending.push(item);
    chunk.push(item);
    chunkChars += item.text.length;
    if (chunk.length >= CHUNK_DOCS || chunkChars >= CHUNK_CHARS) await dispatch();
  }
  await dispatch();
  if (encoding !== undefined) await feed(await encoding);
  await run(batcher.flush());
  consumed = params.end - params.start;
  await finish();
  return totals;
}
