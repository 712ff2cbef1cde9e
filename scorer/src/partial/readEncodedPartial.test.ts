import fc from 'fast-check';
import { MetricStates, PartialScore } from '@evalshard/proto';
import { describe, expect, it } from 'vitest';
import { readEncodedPartial } from './readEncodedPartial.js';

const count = fc.oneof(fc.nat(300), fc.constant(Number.MAX_SAFE_INTEGER), fc.integer({ min: 2 ** 32 - 2, max: 2 ** 40 }));

describe('readEncodedPartial', () => {
  it('reads what the generated decoder reads, and leaves the states as their encoded bytes', () => {
    fc.assert(
      fc.property(
        fc.record({
          runId: fc.string(),
          shardIndex: fc.nat(),
          docs: count,
          tokens: count,
          bytes: count,
          skippedCount: count,
          skipped: fc.array(fc.record({ file: fc.string({ unit: 'grapheme' }), byteOffset: count, reason: fc.string() }), { maxLength: 4 }),
          states: fc.option(fc.record({ families: fc.array(fc.record({ family: fc.string(), annotatedDocs: count }), { maxLength: 3 }) }), { nil: undefined }),
        }),
        (fields) => {
          const message = PartialScore.fromPartial(fields);
          const bytes = PartialScore.encode(message).finish();
          const decoded = PartialScore.decode(bytes);
          const read = readEncodedPartial(bytes);
          expect({ docs: read.docs, tokens: read.tokens, bytes: read.bytes, skippedCount: read.skippedCount, skipped: read.skipped }).toEqual({
            docs: decoded.docs,
            tokens: decoded.tokens,
            bytes: decoded.bytes,
            skippedCount: decoded.skippedCount,
            skipped: decoded.skipped,
          });
          const expectedStates = decoded.states === undefined ? new Uint8Array(0) : MetricStates.encode(decoded.states).finish();
          expect(Buffer.from(read.states).equals(Buffer.from(expectedStates))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
