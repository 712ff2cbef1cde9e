import * as ort from 'onnxruntime-node';
import type { TensorSignature } from '../bundle/modelBundle.js';

/**
 * The model's inputs for rows of token ids padded to `width`: input_ids
 * padded with the pad id, attention_mask 1 over real tokens, token_type_ids
 * all 0 (one sequence), in the element type the graph declares.
 */
export function inputFeeds(
  inputs: readonly TensorSignature[],
  rows: ReadonlyArray<readonly number[]>,
  width: number,
  padId: number,
): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of inputs) {
    const valueAt = (ids: readonly number[], column: number): number => {
      const present = column < ids.length;
      if (input.name === 'input_ids') return present ? ids[column]! : padId;
      if (input.name === 'attention_mask') return present ? 1 : 0;
      return 0;
    };
    const shape = [rows.length, width];
    if (input.elementType === 'int32') {
      const data = new Int32Array(rows.length * width);
      rows.forEach((ids, row) => {
        for (let column = 0; column < width; column++) data[row * width + column] = valueAt(ids, column);
      });
      feeds[input.name] = new ort.Tensor('int32', data, shape);
    } else {
      const data = new BigInt64Array(rows.length * width);
      rows.forEach((ids, row) => {
        for (let column = 0; column < width; column++) data[row * width + column] = BigInt(valueAt(ids, column));
      });
      feeds[input.name] = new ort.Tensor('int64', data, shape);
    }
  }
  return feeds;
}
