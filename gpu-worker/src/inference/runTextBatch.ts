import * as ort from 'onnxruntime-node';
import type { ModelBundle } from '../bundle/modelBundle.js';
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
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of bundle.inputs) {
    feeds[input.name] = inputTensor(input.name, input.elementType, batch, padId);
  }
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

// input_ids padded with the pad id, attention_mask 1 over real tokens,
// token_type_ids all 0 (one sequence).
function inputTensor(name: string, elementType: string, batch: TextBatch, padId: number): ort.Tensor {
  const rows = batch.docs.length;
  const width = batch.width;
  const valueAt = (ids: number[], column: number): number => {
    const present = column < ids.length;
    if (name === 'input_ids') return present ? ids[column]! : padId;
    if (name === 'attention_mask') return present ? 1 : 0;
    return 0;
  };
  if (elementType === 'int32') {
    const data = new Int32Array(rows * width);
    batch.docs.forEach((doc, row) => {
      for (let column = 0; column < width; column++) data[row * width + column] = valueAt(doc.ids, column);
    });
    return new ort.Tensor('int32', data, [rows, width]);
  }
  const data = new BigInt64Array(rows * width);
  batch.docs.forEach((doc, row) => {
    for (let column = 0; column < width; column++) data[row * width + column] = BigInt(valueAt(doc.ids, column));
  });
  return new ort.Tensor('int64', data, [rows, width]);
}
