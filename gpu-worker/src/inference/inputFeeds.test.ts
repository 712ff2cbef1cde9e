import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TensorSignature } from '../bundle/modelBundle.js';
import { inputFeeds } from './inputFeeds.js';

const signature = (name: string, elementType: string): TensorSignature => ({ name, elementType, dims: ['batch', 'sequence'] });

describe('inputFeeds', () => {
  it('writes each element as BigInt(value) would, in either element type', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { maxLength: 9 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: -3, max: 2 ** 31 - 1 }),
        fc.nat(4),
        (rows, padId, extra) => {
          const width = Math.max(0, ...rows.map((ids) => ids.length)) + extra;
          for (const type of ['int64', 'int32']) {
            const inputs = ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => signature(name, type));
            const feeds = inputFeeds(inputs, rows, width, padId);
            const expected = (name: string) =>
              rows.flatMap((ids) =>
                Array.from({ length: width }, (_, column) =>
                  name === 'input_ids' ? (column < ids.length ? ids[column]! : padId) : name === 'attention_mask' ? Number(column < ids.length) : 0,
                ),
              );
            for (const input of inputs) {
              const tensor = feeds[input.name]!;
              expect(tensor.type).toBe(type);
              expect(tensor.dims).toEqual([rows.length, width]);
              const values = Array.from(tensor.data as ArrayLike<number | bigint>, (value) => BigInt(value));
              expect(values).toEqual(expected(input.name).map((value) => BigInt(value)));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
