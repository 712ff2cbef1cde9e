import type { ModelBundle } from '../bundle/modelBundle.js';
import type { RangeTotals } from '../evaluateRange.js';
import type { TokenBatch } from '../tokens/rowBatcher.js';
import { runBatch } from './runBatch.js';

/** Totals of a range before anything ran. */
export function emptyRangeTotals(): RangeTotals {
  return { docs: 0, tokens: 0, skippedCount: 0, skipped: [], batches: 0, inferenceMs: 0, tokenizeMs: 0, scoreMs: 0, positions: 0, rowTokens: 0 };
}

/**
 * Runs batches of rows through the bundle one call at a time, stopping at an
 * abort between calls, and counts calls, inference time and positions
 * (real and padded) into `totals`; `onRow` gets each real row's logits.
 */
export function batchRunner<T>(
  bundle: ModelBundle,
  padId: number,
  totals: RangeTotals,
  signal: AbortSignal | undefined,
  onRow: (item: T, logits: Float32Array, labels: number) => void,
): (batches: Array<TokenBatch<T>>) => Promise<void> {
  const model = { session: bundle.session, inputs: bundle.inputs, logitsName: bundle.logitsName, padId };
  return async (batches) => {
    for (const batch of batches) {
      signal?.throwIfAborted();
      const started = performance.now();
      await runBatch(model, batch, onRow);
      totals.inferenceMs += performance.now() - started;
      totals.batches += 1;
      totals.positions += (batch.rows.length + batch.fillers) * batch.width;
      for (const row of batch.rows) totals.rowTokens += row.ids.length;
    }
  };
}
