import { open } from 'node:fs/promises';
import { InputError } from '../errors.js';

export interface Line {
  offset: number;
  /** 1-based line number in the file; 0 when the reader started mid-file without knowing it. */
  number: number;
  text: string;
}

/** "file: line 7 (byte 120)", or "file: byte 120" where the line number is unknown. */
export function lineWhere(path: string, line: Line): string {
  return line.number > 0 ? `${path}: line ${line.number} (byte ${line.offset})` : `${path}: byte ${line.offset}`;
}

export interface LineBlock {
  /** Byte offset of the block's first line. */
  offset: number;
  lines: Line[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Small enough that a chunk's lines die young: a megabyte of them outlived scavenges and was copied.
const CHUNK_BYTES = 64 << 10;

/**
 * Blocks of non-blank lines separated by blank lines (CoNLL-U, IOB), from the
 * first block that starts at or after `start` to the end of the file (the
 * caller stops where its range ends), Hadoop style: a reader that starts
 * inside a block skips to the next one. Lines are numbered from `startLine`
 * when the caller knows it (the planner does), else left unknown (0).
 */
export async function* readLineBlocks(path: string, start: number, startLine?: number, firstReadBytes = CHUNK_BYTES): AsyncGenerator<LineBlock> {
  const position = await positionOf(path, start);
  let seekingBlock = !position.blockStart;
  let block: LineBlock | undefined;
  let lineNumber = start === 0 ? 1 : startLine ?? 0;
  // A start inside a line skips the line's rest unread (no evidence of a blank line), and undecoded:
  // the range may start inside a character.
  const partialLine = !position.lineStart;
  if (partialLine && lineNumber > 0) lineNumber++;
  for await (const lines of readLines(path, start, firstReadBytes, partialLine)) for (const line of lines) {
    line.number = lineNumber;
    if (lineNumber > 0) lineNumber++;
    const blank = isBlank(line.text);
    if (seekingBlock) {
      if (blank) seekingBlock = false;
      continue;
    }
    if (blank) {
      if (block !== undefined) yield block;
      block = undefined;
      continue;
    }
    block ??= { offset: line.offset, lines: [] };
    block.lines.push(line);
  }
  if (block !== undefined) yield block;
}

// A line opening with a visible ASCII character is not blank without trimming it.
function isBlank(text: string): boolean {
  const first = text.charCodeAt(0);
  return !(first > 0x20 && first < 0x7f) && text.trim() === '';
}


// The lines of a chunk at a time: one await per chunk, not per line. The first read may be shorter,
// for a caller that wants only the first lines.
async function* readLines(path: string, start: number, firstReadBytes: number, skipFirstLine: boolean): AsyncGenerator<Line[]> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    throw new InputError(`${path}: no such file`, { file: path, code: 'CORPUS_UNREADABLE' });
  }
  let reading: Promise<{ bytesRead: number }> | undefined;
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let position = start;
    let carry = Buffer.alloc(0);
    let carryOffset = start;
    let skipping = skipFirstLine;
    reading = handle.read(chunk, 0, Math.min(firstReadBytes, CHUNK_BYTES), position);
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      position += bytesRead;
      let data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      if (skipping) {
        const newline = data.indexOf(0x0a);
        const skipped = newline < 0 ? data.length : newline + 1;
        skipping = newline < 0;
        data = data.subarray(skipped);
        carryOffset += skipped;
      }
      const cursor = data.lastIndexOf(0x0a) + 1;
      const lines = splitLines(data.subarray(0, cursor), path, carryOffset);
      // Copy: the chunk buffer is reused by the next read.
      carry = Buffer.from(data.subarray(cursor));
      carryOffset += cursor;
      // The lines are strings now, so the next read may fill the buffer while the caller parses them.
      reading = handle.read(chunk, 0, CHUNK_BYTES, position);
      yield lines;
    }
    if (carry.length > 0) yield [{ offset: carryOffset, number: 0, text: decode(carry, path, carryOffset) }];
  } finally {
    // A caller that stops early (its range ended) or a bad line leaves a read in flight: settle it, then close.
    await reading?.catch(() => undefined);
    await handle.close();
  }
}

const wholeChunk = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// Complete lines, decoded as one string (a decoder call per line costs more than
// the parsing); a chunk that is not valid UTF-8 is decoded line by line to say where.
function splitLines(bytes: Buffer, path: string, offset: number): Line[] {
  let text: string;
  try {
    text = wholeChunk.decode(bytes);
  } catch {
    const lines: Line[] = [];
    let cursor = 0;
    for (let newline = bytes.indexOf(0x0a); newline >= 0; newline = bytes.indexOf(0x0a, cursor)) {
      lines.push({ offset: offset + cursor, number: 0, text: decode(bytes.subarray(cursor, newline), path, offset + cursor) });
      cursor = newline + 1;
    }
    return lines;
  }
  const ascii = text.length === bytes.length;
  const lines: Line[] = [];
  let byte = offset;
  for (let cursor = 0, newline = text.indexOf('\n'); newline >= 0; cursor = newline + 1, newline = text.indexOf('\n', cursor)) {
    const raw = text.slice(cursor, newline);
    // As a decoder per line did: a byte order mark opening a line is dropped, a carriage return closing it too.
    let line = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    lines.push({ offset: byte, number: 0, text: line });
    byte += (ascii ? raw.length : Buffer.byteLength(raw)) + 1;
  }
  return lines;
}

function decode(bytes: Uint8Array, path: string, offset: number): string {
  try {
    const text = utf8.decode(bytes);
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  } catch {
    throw new InputError(`${path}: byte ${offset}: not valid UTF-8`, { file: path, byteOffset: offset, code: 'BAD_RECORD' });
  }
}

// Whether `start` begins a line, and a block (the file or a line after a blank line).
async function positionOf(path: string, start: number): Promise<{ lineStart: boolean; blockStart: boolean }> {
  if (start === 0) return { lineStart: true, blockStart: true };
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return { lineStart: true, blockStart: true }; // readLines reports the missing file
  try {
    // The previous line, from a window before `start`: blank when only whitespace.
    const window = Buffer.alloc(Math.min(start, 4096));
    await handle.read(window, 0, window.length, start - window.length);
    const text = window.toString('latin1');
    if (!text.endsWith('\n')) return { lineStart: false, blockStart: false };
    const previousStart = text.lastIndexOf('\n', text.length - 2);
    if (previousStart < 0 && window.length < start) return { lineStart: true, blockStart: false };
    return { lineStart: true, blockStart: text.slice(previousStart + 1, -1).trim() === '' };
  } finally {
    await handle.close();
  }
}
