const utf8 = new TextDecoder('utf-8', { fatal: true });
const INTERNED_MAX_BYTES = 64;
const INTERNED_MAX_ENTRIES = 65_536;

/**
 * Reads protobuf wire format over a window of a byte array, reused from one
 * message to the next. Strings are interned: partials repeat the same few
 * hundred labels, so a string is decoded once and later found by its bytes.
 */
export class WireReader {
  bytes: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  // Open addressing: slot -> entry + 1, with each entry's hash beside it to skip most byte compares.
  private table = new Int32Array(1024);
  private readonly entryHashes: number[] = [];
  private readonly entryBytes: Uint8Array[] = [];
  private readonly entryValues: string[] = [];
  // One-byte strings ("l", "u" of the dependency counts) by their byte: id + 1, 0 where not yet read.
  private readonly oneByteIds = new Int32Array(256);
  // The last string read that was not interned.
  private uninterned = '';
  // The id last read at each position of a message (id + 1, by position modulo its size): partials of one run
  // lay out their states alike, so a string is mostly where the same string was in the partial before.
  private readonly idAt = new Int32Array(4096);

  reset(bytes: Uint8Array, start: number, end: number): void {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  uint32(): number {
    const bytes = this.bytes;
    // Most tags, lengths and counts are one byte.
    if (this.pos < this.end && bytes[this.pos]! < 0x80) return bytes[this.pos++]!;
    let value = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new RangeError('premature end of a protobuf message');
      const byte = bytes[this.pos++]!;
      if (shift < 28) value |= (byte & 0x7f) << shift;
      else if (shift === 28) value |= (byte & 0x0f) << 28;
      if ((byte & 0x80) === 0) return value >>> 0;
      shift += 7;
      if (shift > 63) throw new RangeError('invalid varint');
    }
  }

  /** A uint64 as a number; above Number.MAX_SAFE_INTEGER is an error, as in the generated decoders. */
  uint64(): number {
    const bytes = this.bytes;
    if (this.pos < this.end && bytes[this.pos]! < 0x80) return bytes[this.pos++]!;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new RangeError('premature end of a protobuf message');
      const byte = bytes[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (value > Number.MAX_SAFE_INTEGER) throw new RangeError('Value is larger than Number.MAX_SAFE_INTEGER');
        return value;
      }
      scale *= 128;
    }
    throw new RangeError('invalid varint');
  }

  string(): string {
    const id = this.stringId();
    return id >= 0 ? this.entryValues[id]! : this.uninterned;
  }

  /**
   * Reads a string and returns its intern id: equal strings read by this
   * reader get equal ids, and `internedString(id)` is the string. A string
   * too long or past the table's limit is not interned: -1, and `string()`
   * gives it.
   */
  stringId(): number {
    const length = this.uint32();
    const start = this.pos;
    const end = start + length;
    if (end > this.end) throw new RangeError('premature end of a protobuf message');
    this.pos = end;
    const bytes = this.bytes;
    if (length > INTERNED_MAX_BYTES) {
      this.uninterned = utf8.decode(bytes.subarray(start, end));
      return -1;
    }
    if (length === 1) {
      const id = this.oneByteIds[bytes[start]!]! - 1;
      if (id >= 0) return id;
    }
    const seen = this.idAt[start & 4095]! - 1;
    if (seen >= 0 && sameBytes(this.entryBytes[seen]!, bytes, start, length)) return seen;
    let hash = length;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + bytes[i]!) | 0;
    const table = this.table;
    const mask = table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]! - 1;
      if (entry < 0) break;
      if (this.entryHashes[entry] === hash && sameBytes(this.entryBytes[entry]!, bytes, start, length)) {
        this.idAt[start & 4095] = entry + 1;
        return entry;
      }
    }
    const value = utf8.decode(bytes.subarray(start, end));
    if (this.entryValues.length >= INTERNED_MAX_ENTRIES) {
      this.uninterned = value;
      return -1;
    }
    this.intern(hash, bytes.slice(start, end), value);
    const id = this.entryValues.length - 1;
    if (length === 1) this.oneByteIds[bytes[start]!] = id + 1;
    this.idAt[start & 4095] = id + 1;
    return id;
  }

  internedString(id: number): string {
    return this.entryValues[id]!;
  }

  /** The string of the last stringId() that was -1. */
  lastUninterned(): string {
    return this.uninterned;
  }

  private intern(hash: number, bytes: Uint8Array, value: string): void {
    this.entryHashes.push(hash);
    this.entryBytes.push(bytes);
    this.entryValues.push(value);
    // Kept under half full, so probes stay short.
    if (this.entryValues.length * 2 > this.table.length) {
      this.table = new Int32Array(this.table.length * 2);
      for (let entry = 0; entry < this.entryValues.length; entry++) this.place(entry);
    } else {
      this.place(this.entryValues.length - 1);
    }
  }

  private place(entry: number): void {
    const mask = this.table.length - 1;
    let slot = this.entryHashes[entry]! & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = entry + 1;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        // Any varint, up to ten bytes: a skipped value need not fit in a number.
        for (let i = 0; ; i++) {
          if (this.pos >= this.end) throw new RangeError('premature end of a protobuf message');
          if (this.bytes[this.pos++]! < 0x80) return;
          if (i === 9) throw new RangeError('invalid varint');
        }
      case 1:
        this.pos += 8;
        break;
      case 2: {
        // Not `this.pos += this.uint32()`: that would add the length to the position before it was read.
        const length = this.uint32();
        this.pos += length;
        break;
      }
      case 5:
        this.pos += 4;
        break;
      default:
        throw new RangeError(`cannot skip protobuf wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new RangeError('premature end of a protobuf message');
  }
}

/** Whether `bytes[start, start + length)` are exactly `expected`. */
export function sameBytes(expected: Uint8Array, bytes: Uint8Array, start: number, length: number): boolean {
  if (expected.length !== length) return false;
  for (let i = 0; i < length; i++) if (expected[i] !== bytes[start + i]) return false;
  return true;
}
