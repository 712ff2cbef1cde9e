import { open } from 'node:fs/promises';
import { InputError } from '../errors.js';

export interface RawRecord {
  /** Byte offset of the record's first byte in the file. */
  offset: number;
  /** The record without its line terminator; empty for an oversized record. */
  bytes: Buffer;
  /** Set when the record is longer than maxRecordBytes: its length, its bytes never held in memory. */
  oversizedBytes?: number;
}

export interface ByteRangeOptions {
  start: number;
  /** Exclusive; records starting at or after it belong to the next range. */
  end: number;
  chunkBytes?: number;
  maxRecordBytes?: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const DEFAULT_CHUNK_BYTES = 1 << 20;
const MIN_CHUNK_BYTES = 16 << 10;
const TAIL_BYTES = 4 << 10;
/** Records longer than this are bad records unless a spec allows more (`maxRecordBytes`). */
export const DEFAULT_MAX_RECORD_BYTES = 16 << 20;
const EMPTY = Buffer.alloc(0);

/**
 * The newline-delimited records of one byte range of a file, Hadoop style: a
 * record belongs to the range holding its first byte, so a reader that starts
 * mid-record skips to the next line and a reader reaches past `end` to finish
 * its last record. Every record of a file is read by exactly one range.
 * Blank lines are not records. Memory is one chunk plus one record of at
 * most `maxRecordBytes`: a longer record is skipped over as it is read and
 * yielded as `oversizedBytes` with its offset, so the caller decides (a bad
 * record, or skipped) and the reader goes on with the next one.
 */
export async function* readLineRecords(path: string, range: ByteRangeOptions): AsyncGenerator<RawRecord> {
  // A short range (a run of many small shards) reads into a buffer its own size, plus room for
  // its last record's tail, instead of a megabyte per shard for the collector to reclaim.
  const chunkBytes = Math.min(range.chunkBytes ?? DEFAULT_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, range.end - range.start + TAIL_BYTES));
  const maxRecordBytes = range.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const handle = await openForReading(path);
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    // Start one byte early: a newline there means `start` begins a record.
    let position = range.start === 0 ? 0 : range.start - 1;
    let seekingBoundary = range.start > 0;
    let carry: Buffer[] = [];
    let carryBytes = 0;
    let recordStart = range.start;
    // Past maxRecordBytes the record's bytes are counted, not kept.
    let oversized = false;

    for (;;) {
      if (!seekingBoundary && carryBytes === 0 && position >= range.end) return;
      if (carryBytes > 0 && recordStart >= range.end) return;
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, position);
      if (bytesRead === 0) {
        if (carryBytes > 0 && recordStart < range.end) {
          const record = oversized
            ? { offset: recordStart, bytes: EMPTY, oversizedBytes: carryBytes }
            : finishRecord(Buffer.concat(carry, carryBytes), recordStart);
          if (record !== undefined) yield record;
        }
        return;
      }
      const data = chunk.subarray(0, bytesRead);
      let cursor = 0;
      if (seekingBoundary) {
        const newline = data.indexOf(NEWLINE);
        if (newline < 0) {
          position += bytesRead;
          continue;
        }
        cursor = newline + 1;
        recordStart = position + cursor;
        seekingBoundary = false;
      }
      for (;;) {
        const newline = data.indexOf(NEWLINE, cursor);
        if (newline < 0) {
          if (carryBytes === 0) recordStart = position + cursor;
          carryBytes += bytesRead - cursor;
          if (carryBytes > maxRecordBytes) oversized = true;
          if (oversized) {
            // Its first byte decides its range: one that starts past the end is the next range's.
            if (recordStart >= range.end) return;
            carry = [];
          } else {
            // Copy: the chunk buffer is reused by the next read.
            carry.push(Buffer.from(data.subarray(cursor)));
          }
          break;
        }
        const offset = carryBytes === 0 ? position + cursor : recordStart;
        if (offset >= range.end) return;
        const piece = data.subarray(cursor, newline);
        const length = carryBytes + piece.length;
        let record: RawRecord | undefined;
        if (oversized || length > maxRecordBytes) {
          record = { offset, bytes: EMPTY, oversizedBytes: length };
        } else {
          record = finishRecord(carryBytes === 0 ? Buffer.from(piece) : Buffer.concat([...carry, piece]), offset);
        }
        carry = [];
        carryBytes = 0;
        oversized = false;
        if (record !== undefined) yield record;
        cursor = newline + 1;
        recordStart = position + cursor;
      }
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

function finishRecord(bytes: Buffer, offset: number): RawRecord | undefined {
  let length = bytes.length;
  if (length > 0 && bytes[length - 1] === CARRIAGE_RETURN) length -= 1;
  const trimmed = bytes.subarray(0, length);
  if (isBlank(trimmed)) return undefined;
  return { offset, bytes: trimmed };
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== CARRIAGE_RETURN) return false;
  }
  return true;
}

async function openForReading(path: string) {
  try {
    return await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(error);
    throw new InputError(`${path}: ${reason}`, { file: path, code: 'CORPUS_UNREADABLE', cause: error });
  }
}

/** The bad-record error of an oversized record: file, byte offset, its length and the limit. */
export function oversizedRecordError(path: string, record: RawRecord, maxRecordBytes: number): InputError {
  return new InputError(
    `${path}: byte ${record.offset}: record of ${record.oversizedBytes} bytes is longer than maxRecordBytes (${maxRecordBytes}); ` +
      'raise maxRecordBytes in the spec, or skip such records with onBadRecord: skip',
    { file: path, byteOffset: record.offset, code: 'BAD_RECORD' },
  );
}
