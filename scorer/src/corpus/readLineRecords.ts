import { open } from 'node:fs/promises';
import { InputError } from '../errors.js';

export interface RawRecord {
  /** Byte offset of the record's first byte in the file. */
  offset: number;
  /** The record without its line terminator. */
  bytes: Buffer;
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
const DEFAULT_MAX_RECORD_BYTES = 64 << 20;

/**
 * The newline-delimited records of one byte range of a file, Hadoop style: a
 * record belongs to the range holding its first byte, so a reader that starts
 * mid-record skips to the next line and a reader reaches past `end` to finish
 * its last record. Every record of a file is read by exactly one range.
 * Blank lines are not records. Memory is one chunk plus one record.
 */
export async function* readLineRecords(path: string, range: ByteRangeOptions): AsyncGenerator<RawRecord> {
  const chunkBytes = range.chunkBytes ?? DEFAULT_CHUNK_BYTES;
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

    for (;;) {
      if (!seekingBoundary && carryBytes === 0 && position >= range.end) return;
      if (carryBytes > 0 && recordStart >= range.end) return;
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, position);
      if (bytesRead === 0) {
        if (carryBytes > 0 && recordStart < range.end) {
          const record = finishRecord(Buffer.concat(carry, carryBytes), recordStart);
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
          if (carryBytes > maxRecordBytes) {
            throw new InputError(`${path}: byte ${recordStart}: record longer than ${maxRecordBytes} bytes`, {
              file: path,
              byteOffset: recordStart,
              code: 'BAD_RECORD',
            });
          }
          // Copy: the chunk buffer is reused by the next read.
          carry.push(Buffer.from(data.subarray(cursor)));
          break;
        }
        const offset = carryBytes === 0 ? position + cursor : recordStart;
        if (offset >= range.end) return;
        const piece = data.subarray(cursor, newline);
        const bytes = carryBytes === 0 ? Buffer.from(piece) : Buffer.concat([...carry, piece]);
        carry = [];
        carryBytes = 0;
        const record = finishRecord(bytes, offset);
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
