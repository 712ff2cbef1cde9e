import fc from 'fast-check';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { WireReader } from './wireReader.js';

describe('WireReader', () => {
  it('reads varints, strings and skips fields as the protobuf library writes them', () => {
    const field = fc.oneof(
      fc.record({ kind: fc.constant('uint32' as const), value: fc.oneof(fc.nat(200), fc.nat(), fc.constant(2 ** 32 - 1)) }),
      fc.record({ kind: fc.constant('uint64' as const), value: fc.oneof(fc.nat(200), fc.constant(Number.MAX_SAFE_INTEGER), fc.integer({ min: 2 ** 32, max: 2 ** 50 })) }),
      fc.record({ kind: fc.constant('string' as const), value: fc.oneof(fc.constantFrom('', 'u', 'Ü', 'dep:nsubj'), fc.string({ unit: 'grapheme', maxLength: 90 })) }),
      fc.record({ kind: fc.constant('skip' as const), value: fc.constantFrom(WireType.Bit64, WireType.Bit32, WireType.LengthDelimited, WireType.Varint) }),
    );
    // One reader for every message, as a merge reads partials: a string stands where another stood before.
    const reader = new WireReader();
    fc.assert(
      fc.property(fc.array(field, { maxLength: 30 }), (fields) => {
        const writer = new BinaryWriter();
        for (const { kind, value } of fields) {
          if (kind === 'uint32') writer.uint32(value);
          else if (kind === 'uint64') writer.uint64(value);
          else if (kind === 'string') writer.string(value);
          else if (value === WireType.Bit64) writer.double(1.5);
          else if (value === WireType.Bit32) writer.float(2.5);
          else if (value === WireType.LengthDelimited) writer.bytes(new Uint8Array(300));
          else writer.int64(-1);
        }
        const bytes = writer.finish();
        reader.reset(bytes, 0, bytes.length);
        for (const { kind, value } of fields) {
          if (kind === 'uint32') expect(reader.uint32()).toBe(value);
          else if (kind === 'uint64') expect(reader.uint64()).toBe(value);
          else if (kind === 'string') {
            // Strings repeat, so most come back through the intern table.
            expect(reader.string()).toBe(value);
          } else reader.skip(value);
        }
        expect(reader.pos).toBe(bytes.length);
      }),
      { numRuns: 500 },
    );
  });

  it('gives equal strings equal ids, one-byte strings among longer ones and across messages', () => {
    const words = ['l', 'u', 'dep:nsubj', 'l', '', 'acc', 'u', 'é', 'l', 'dep:nsubj', 'é'];
    const reader = new WireReader();
    const ids = new Map<string, number>();
    for (let message = 0; message < 2; message++) {
      const writer = new BinaryWriter();
      for (const word of words) writer.string(word);
      const bytes = writer.finish();
      reader.reset(bytes, 0, bytes.length);
      for (const word of words) {
        const id = reader.stringId();
        expect(reader.internedString(id)).toBe(word);
        expect(id).toBe(ids.get(word) ?? id);
        ids.set(word, id);
      }
    }
    expect(new Set(ids.values()).size).toBe(ids.size);
  });

  it('refuses to read past the end of its window', () => {
    const reader = new WireReader();
    const bytes = new BinaryWriter().string('longer than the window').finish();
    reader.reset(bytes, 0, 5);
    expect(() => reader.string()).toThrow(/premature end/);
    reader.reset(new Uint8Array([0x80, 0x80]), 0, 2);
    expect(() => reader.uint64()).toThrow(/premature end/);
  });
});
