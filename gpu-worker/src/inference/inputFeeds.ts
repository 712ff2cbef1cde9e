import { endianness } from 'node:os';
import * as ort from 'onnxruntime-node';
import type { TensorSignature } from '../bundle/modelBundle.js';

// int64 elements written as two int32 halves: BigInt(id) per element cost more than the model call on small models.
const LITTLE_ENDIAN = endianness() === 'LE';

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
  const shape = [rows.length, width];
  for (const input of inputs) {
    const int64 = input.elementType !== 'int32';
    const data = int64 ? new BigInt64Array(rows.length * width) : new Int32Array(rows.length * width);
    if (input.name === 'input_ids') fill(data, rows, width, (ids, column) => (column < ids.length ? ids[column]! : padId));
    else if (input.name === 'attention_mask') fill(data, rows, width, (ids, column) => (column < ids.length ? 1 : 0));
    // token_type_ids and any other input: zeros, as allocated.
    feeds[input.name] = int64 ? new ort.Tensor('int64', data as BigInt64Array, shape) : new ort.Tensor('int32', data as Int32Array, shape);
  }
  return feeds;
}

function fill(
  data: BigInt64Array | Int32Array,
  rows: ReadonlyArray<readonly number[]>,
  width: number,
  valueAt: (ids: readonly number[], column: number) => number,
): void {
  if (data instanceof BigInt64Array && !LITTLE_ENDIAN) {
    rows.forEach((ids, row) => {
      for (let column = 0; column < width; column++) data[row * width + column] = BigInt(valueAt(ids, column));
    });
    return;
  }
  // int32 elements one to a slot; int64 ones as a low half, then a high half that sign-extends it.
  const stride = data instanceof Int32Array ? 1 : 2;
  const halves = data instanceof Int32Array ? data : new Int32Array(data.buffer, data.byteOffset, data.length * 2);
  rows.forEach((ids, row) => {
    for (let column = 0; column < width; column++) {
      const value = valueAt(ids, column);
      const at = stride * (row * width + column);
      halves[at] = value;
      if (stride === 2) halves[at + 1] = value < 0 ? -1 : 0;
    }
  });
}
