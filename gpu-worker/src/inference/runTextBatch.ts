import * as ort from 'onnxruntime-node';
import type { ModelBundle } from '../bundle/modelBundle.js';
import { inputFeeds } from './inputFeeds.js';
import type { TextBatch } from './textBatcher.js';

/**
 * Runs one padded batch and hands each document's logits row to `onRow`
 * before releasing every tensor of the batch, so nothing of it outlives the
 * call.
 */
export async function runTextBatch(
  bundle: ModelBundle,
  batch: TextBatch,
  padId: number,
  onRow: (docIndex: number, logits: Float32Array) => void,
): Promise<void> {
  const rows = batch.docs.length;
  const feeds = inputFeeds(bundle.inputs, batch.docs.map((doc) => doc.ids), batch.width, padId);
  const outputName = bundle.outputs.find((output) => output.name === 'logits')?.name ?? bundle.outputs[0]!.name;
  let results: ort.InferenceSession.OnnxValueMapType | undefined;
  try {
    results = await bundle.session.run(feeds, [outputName]);
    const logits = results[outputName] as ort.Tensor;
    const data = logits.data as Float32Array;
    const columns = data.length / rows;
    for (let row = 0; row < rows; row++) onRow(row, data.subarray(row * columns, (row + 1) * columns));
  } finally {
    for (const tensor of Object.values(feeds)) tensor.dispose();
    for (const value of Object.values(results ?? {})) (value as ort.Tensor).dispose();
  }
}
