import fc from 'fast-check';
import { PrfEntry } from '@evalshard/proto';
import { describe, expect, it } from 'vitest';
import { WireReader } from '../partial/wireReader.js';
import { PrfMap } from './prfMap.js';
import { foldEncodedEntry } from './prfWire.js';

const count = fc.oneof(fc.nat(50), fc.integer({ min: 2 ** 31, max: 2 ** 45 }));
// Short, empty, non-ASCII and longer-than-interned keys, often repeated.
const key = fc.oneof(fc.constantFrom('', 'u', 'l', 'dep:nsubj', 'Ü', '10', '1'), fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ minLength: 65, maxLength: 120 }));

describe('foldEncodedEntry', () => {
  it('adds encoded entries as PrfMap.addAll adds decoded ones, key order included', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.record({ key, tp: count, fp: count, fn: count }), { maxLength: 12 }), { maxLength: 6 }), (batches) => {
        const expected = new PrfMap();
        const folded = new PrfMap();
        const reader = new WireReader();
        for (const entries of batches) {
          expected.addAll(PrfMap.fromEntries(PrfMap.fromEntries(entries).toEntries()));
          for (const entry of PrfMap.fromEntries(entries).toEntries()) {
            const bytes = PrfEntry.encode(entry).finish();
            // As a length-delimited field: the reader starts at the entry's length.
            const framed = new Uint8Array([...lengthPrefix(bytes.length), ...bytes]);
            reader.reset(framed, 0, framed.length);
            foldEncodedEntry(reader, folded);
            expect(reader.pos).toBe(framed.length);
          }
        }
        expect([...folded.counts.entries()]).toEqual([...expected.counts.entries()]);
      }),
      { numRuns: 300 },
    );
  });
});

function lengthPrefix(length: number): number[] {
  const bytes: number[] = [];
  while (length >= 0x80) {
    bytes.push((length & 0x7f) | 0x80);
    length >>>= 7;
  }
  bytes.push(length);
  return bytes;
}
