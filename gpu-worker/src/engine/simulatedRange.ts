import { setTimeout as sleep } from 'node:timers/promises';
import { readLineRecords } from '@evalshard/scorer';
import type { RangeTotals } from '../evaluateRange.js';

/** Benchmark-only (bench:orchestration): a model that takes this many milliseconds a document and scores nothing. */
export const SIMULATE_ENV = 'EVALSHARD_BENCH_SIMULATE_MS_PER_DOC';

/**
 * Stands in for evaluateRange when the thing measured is the orchestrator:
 * reads the range's records like a real shard, then waits a fixed time per
 * document. The partial it leaves has the documents but empty score states.
 */
export async function simulateRange(path: string, start: number, end: number, msPerDoc: number, signal: AbortSignal): Promise<RangeTotals> {
  let docs = 0;
  for await (const _ of readLineRecords(path, { start, end })) docs++;
  await sleep(docs * msPerDoc, undefined, { signal });
  return { docs, tokens: 0, skippedCount: 0, skipped: [], batches: 0, inferenceMs: docs * msPerDoc, tokenizeMs: 0, scoreMs: 0, positions: 0, rowTokens: 0 };
}
