import { BinaryWriter, type BinaryReader } from '@bufbuild/protobuf/wire';

const TWO_32 = 2 ** 32;

/**
 * The uint64 fields (every count in a partial) as plain numbers, without the
 * BigInt and string round trips of @bufbuild/protobuf and ts-proto, which
 * cost more than everything else a scorer does with a partial. The bytes
 * written and the numbers read are the same; scripts/generate.mjs points the
 * generated code here.
 */
export class FastBinaryWriter extends BinaryWriter {
  override uint64(value: string | number | bigint): this {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
      // writeVarint64 is private in the typings only; it is what uint64 itself calls.
      (this as unknown as { writeVarint64(lo: number, hi: number): void }).writeVarint64(value % TWO_32 | 0, Math.floor(value / TWO_32) | 0);
      return this;
    }
    super.uint64(value);
    return this;
  }
}

/** A uint64 varint as a number; larger than Number.MAX_SAFE_INTEGER is an error, as ts-proto's longToNumber has it. */
export function readUint64Number(reader: BinaryReader): number {
  const buf = (reader as unknown as { buf: Uint8Array }).buf;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (reader.pos >= buf.length) throw new Error('premature EOF');
    const byte = buf[reader.pos++]!;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) {
      if (value > Number.MAX_SAFE_INTEGER) throw new Error('Value is larger than Number.MAX_SAFE_INTEGER');
      return value;
    }
    scale *= 128;
  }
  throw new Error('invalid varint');
}
