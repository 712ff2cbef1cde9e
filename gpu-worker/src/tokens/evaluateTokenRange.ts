import {
  fileUsesNewdoc,
  InternalError,
  readDocs,
  ScoringExample,
  updateMetricStates,
  type DocFormat,
  type LocatedDoc,
  type MetricStates,
} from '@evalshard/scorer';
import { requireClassifier, type ModelBundle } from '../bundle/modelBundle.js';
import type { PredictionWriter } from '../predictions/predictionWriter.js';
import type { RangeProgress, RangeTotals } from '../evaluateRange.js';
import { batchRunner, emptyRangeTotals } from '../inference/batchRunner.js';
import { planWindows, type WindowPlan } from './planWindows.js';
import type { EncodedWords, WordTokenizer } from './wordTokenizer.js';
import { predictedDoc, type LabelScheme, type TokenAnnotation } from './predictedDoc.js';
import { rowBatcher, type BatchingMode } from './rowBatcher.js';

export interface TokenTask {
  format: DocFormat;
  annotation: TokenAnnotation;
  scheme: LabelScheme;
  /** fixed or single (exact), or dynamic. */
  batching: BatchingMode;
}

export interface EvaluateTokenRangeParams {
  bundle: ModelBundle;
  path: string;
  start: number;
  end: number;
  task: TokenTask;
  /** Folded into in place. */
  states: MetricStates;
  batch: { maxDocs: number; maxTokens: number; maxSequenceLength: number };
  /** JSONL: a longer line is a bad record (default DEFAULT_MAX_RECORD_BYTES). */
  maxRecordBytes?: number;
  onProgress?: (progress: RangeProgress) => void;
  signal?: AbortSignal;
  /** Where finished documents' predictions go, in corpus order. */
  predictions?: PredictionWriter;
}

interface PendingDoc {
  located: LocatedDoc;
  plan: WindowPlan;
  /** The model's label index for each word; -1 until predicted (or for a word with no subword). */
  labels: Int32Array;
  windowsLeft: number;
  subwords: number;
}

interface WindowItem {
  doc: PendingDoc;
  words: number[];
}

/** Documents read ahead of the oldest unfinished one before waiting batches are run anyway. */
const MAX_PENDING_FACTOR = 4;
/** Documents whose words are on the tokenizer's threads while the model runs the batches before them. */
const TOKENIZE_AHEAD = 8;

/**
 * Evaluates a token classifier on the documents of one byte range: the gold
 * words go through the tokenizer, long documents are cut into overlapping
 * windows, windows are batched (by `task.batching`), and each word takes the
 * label of its first subword in the window that owns it (argmax, the first
 * maximum on a tie). Finished documents are folded into the metric states in
 * reading order; memory is bounded by the batch limits and a few documents
 * read ahead, not by the range.
 */
export async function evaluateTokenRange(params: EvaluateTokenRangeParams): Promise<RangeTotals> {
  const { bundle, task, states } = params;
  requireClassifier(bundle, 'token', 'token-classification');
  const tokenizer = await bundle.wordTokenizer();
  const maxLength = params.batch.maxSequenceLength || bundle.defaultMaxSequenceLength;
  const room = maxLength - tokenizer.prefix.length - tokenizer.suffix.length;
  const batcher = rowBatcher<WindowItem>(task.batching, maxLength, params.batch);
  const totals = emptyRangeTotals();
  const pending: PendingDoc[] = [];
  let consumed = 0;
  const run = batchRunner<WindowItem>(bundle, tokenizer.padId, totals, params.signal, ({ doc, words }, logits, labels) => {
    for (const word of words) {
      const row = (tokenizer.prefix.length + doc.plan.owners[word]!.offset) * labels;
      let best = 0;
      for (let label = 1; label < labels; label++) if (logits[row + label]! > logits[row + best]!) best = label;
      doc.labels[word] = best;
    }
    doc.windowsLeft -= 1;
  });

  const grouped = task.format !== 'jsonl' && params.predictions !== undefined && (await fileUsesNewdoc(params.path));
  const finish = async (): Promise<void> => {
    while (pending.length > 0 && pending[0]!.windowsLeft === 0) {
      const doc = pending.shift()!;
      const gold = doc.located.doc;
      const labels = Array.from(doc.labels, (index) => (index < 0 ? null : bundle.labels[index]!));
      const unlabelled = doc.plan.owners.findIndex((owner, word) => owner !== null && doc.labels[word]! < 0);
      if (unlabelled >= 0) throw new InternalError(`document ${gold.id}: word ${unlabelled} got no prediction from its windows`);
      const predicted = predictedDoc(gold, labels, task.annotation, task.scheme);
      const folding = performance.now();
      updateMetricStates(states, new ScoringExample(gold, predicted));
      totals.scoreMs += performance.now() - folding;
      await params.predictions?.writeTokens(doc.located, predicted, labels, grouped);
      totals.docs += 1;
      totals.tokens += doc.subwords;
    }
    params.onProgress?.({ docs: totals.docs, tokens: totals.tokens, bytes: consumed });
  };

  const docs = readDocs(params.path, task.format, { start: params.start, end: params.end, maxRecordBytes: params.maxRecordBytes || undefined });
  for await (const { located, encoded, tokenizeMs } of encodedAhead(docs, tokenizer)) {
    consumed = Math.max(consumed, Math.min(params.end, located.origin.byteOffset) - params.start);
    totals.tokenizeMs += tokenizeMs;
    const { ids, firstSubwords } = encoded;
    const plan = planWindows(firstSubwords, ids.length, room);
    const doc: PendingDoc = { located, plan, labels: new Int32Array(located.doc.tokens.length).fill(-1), windowsLeft: 0, subwords: ids.length };
    const owned = plan.windows.map((): number[] => []);
    plan.owners.forEach((owner, word) => {
      if (owner !== null) owned[owner.window]!.push(word);
    });
    pending.push(doc);
    for (let w = 0; w < plan.windows.length; w++) {
      if (owned[w]!.length === 0) continue;
      const { start, end } = plan.windows[w]!;
      doc.windowsLeft += 1;
      const rowIds = [...tokenizer.prefix, ...ids.slice(start, end), ...tokenizer.suffix];
      await run(batcher.add({ ids: rowIds, item: { doc, words: owned[w]! } }));
    }
    if (pending.length > MAX_PENDING_FACTOR * params.batch.maxDocs) await run(batcher.flush());
    await finish();
  }
  await run(batcher.flush());
  consumed = params.end - params.start;
  await finish();
  return totals;
}

interface EncodedDoc {
  located: LocatedDoc;
  encoded: EncodedWords;
  tokenizeMs: number;
}

// The documents in order, each one's words handed to the tokenizer up to TOKENIZE_AHEAD documents before it
// is needed, so tokenizing overlaps the model calls in between.
async function* encodedAhead(docs: AsyncIterable<LocatedDoc>, tokenizer: WordTokenizer): AsyncGenerator<EncodedDoc> {
  const queue: Array<Promise<EncodedDoc>> = [];
  for await (const located of docs) {
    const started = performance.now();
    const next = tokenizer.encode(located.doc.tokens.map((token) => token.text)).then((encoded) => ({ located, encoded, tokenizeMs: performance.now() - started }));
    // Awaited in its turn; until then a failure must not count as unhandled.
    next.catch(() => undefined);
    queue.push(next);
    if (queue.length > TOKENIZE_AHEAD) yield await queue.shift()!;
  }
  while (queue.length > 0) yield await queue.shift()!;
}
