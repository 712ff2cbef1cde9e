import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FastBinaryWriter, readUint64Number } from './fastWire.js';

describe('uint64 as plain numbers', () => {
  it('writes the bytes @bufbuild/protobuf writes and reads back the number, up to 2^53', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(300), fc.nat(), fc.maxSafeNat(), fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1)), { maxLength: 20 }), (values) => {
        const fast = new FastBinaryWriter();
        const reference = new BinaryWriter();
        for (const value of values) {
          fast.uint64(value);
          reference.uint64(value);
        }
        const bytes = fast.finish();
        expect(Buffer.from(bytes).equals(Buffer.from(reference.finish()))).toBe(true);
        const reader = new BinaryReader(bytes);
        expect(values.map(() => readUint64Number(reader))).toEqual(values);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses what ts-proto refuses: past 2^53, a varint cut short, one of more than ten bytes', () => {
    const big = new BinaryWriter().uint64(2n ** 60n).finish();
    expect(() => readUint64Number(new BinaryReader(big))).toThrow(/larger than Number.MAX_SAFE_INTEGER/);
    expect(() => readUint64Number(new BinaryReader(new Uint8Array([0x80, 0x80])))).toThrow(/premature EOF/);
    expect(() => readUint64Number(new BinaryReader(new Uint8Array(11).fill(0x80)))).toThrow(/invalid varint/);
  });
});
