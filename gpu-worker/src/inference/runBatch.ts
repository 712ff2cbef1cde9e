import type * as ort from 'onnxruntime-node';
import type { TensorSignature } from '../bundle/modelBundle.js';
import type { TokenBatch } from '../tokens/rowBatcher.js';
import { inputFeeds } from './inputFeeds.js';

export interface BatchModel {
  session: ort.InferenceSession;
  inputs: readonly TensorSignature[];
  /** The logits output: [batch, labels] or [batch, sequence, labels]. */
  logitsName: string;
  padId: number;
}

/**
 * One model call: the batch's rows, then its filler rows (copies of the
 * first row, whose logits are dropped), all padded to the batch's width.
 * `onRow` gets each real row's logits (`labels` values, or `width × labels`
 * for a token classifier) before the call's tensors are released.
 */
export async function runBatch<T>(
  model: BatchModel,
  batch: TokenBatch<T>,
  onRow: (item: T, logits: Float32Array, labels: number) => void,
): Promise<void> {
  const ids = batch.rows.map((row) => row.ids);
  for (let filler = 0; filler < batch.fillers; filler++) ids.push(batch.rows[0]!.ids);
  const feeds = inputFeeds(model.inputs, ids, batch.width, model.padId);
  let results: ort.InferenceSession.OnnxValueMapType | undefined;
  try {
    results = await model.session.run(feeds, [model.logitsName]);
    const logits = results[model.logitsName] as ort.Tensor;
    const data = logits.data as Float32Array;
    const labels = Number(logits.dims[logits.dims.length - 1]);
    const rowSize = data.length / (batch.rows.length + batch.fillers);
    batch.rows.forEach((row, index) => onRow(row.item, data.subarray(index * rowSize, (index + 1) * rowSize), labels));
  } finally {
    for (const tensor of Object.values(feeds)) tensor.dispose();
    for (const value of Object.values(results ?? {})) (value as ort.Tensor).dispose();
  }
}
