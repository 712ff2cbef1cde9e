import { open } from 'node:fs/promises';
import { InputError, InternalError } from '../errors.js';

export interface Line {
  offset: number;
  /** 1-based line number in the file. */
  number: number;
  text: string;
}

export interface LineBlock {
  /** Byte offset of the block's first line. */
  offset: number;
  lines: Line[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Blocks of non-blank lines separated by blank lines (CoNLL-U, IOB), from
 * `start`, which must begin a block (the planner cuts there), to the end of
 * the file; the caller stops where its range ends. Lines are numbered from
 * `startLine`.
 */
export async function* readLineBlocks(path: string, start: number, startLine = 1): AsyncGenerator<LineBlock> {
  await assertBlockStart(path, start);
  let block: LineBlock | undefined;
  let lineNumber = startLine;
  for await (const line of readLines(path, start)) {
    line.number = lineNumber++;
    if (line.text.trim() === '') {
      if (block !== undefined) yield block;
      block = undefined;
      continue;
    }
    block ??= { offset: line.offset, lines: [] };
    block.lines.push(line);
  }
  if (block !== undefined) yield block;
}

async function* readLines(path: string, start: number): AsyncGenerator<Line> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    throw new InputError(`${path}: no such file`, { file: path, code: 'CORPUS_UNREADABLE' });
  }
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let position = start;
    let carry = Buffer.alloc(0);
    let carryOffset = start;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let cursor = 0;
      for (let newline = data.indexOf(0x0a); newline >= 0; newline = data.indexOf(0x0a, cursor)) {
        yield { offset: carryOffset + cursor, number: 0, text: decode(data.subarray(cursor, newline), path, carryOffset + cursor) };
        cursor = newline + 1;
      }
      // Copy: the chunk buffer is reused by the next read.
      carry = Buffer.from(data.subarray(cursor));
      carryOffset += cursor;
    }
    if (carry.length > 0) yield { offset: carryOffset, number: 0, text: decode(carry, path, carryOffset) };
  } finally {
    await handle.close();
  }
}

function decode(bytes: Uint8Array, path: string, offset: number): string {
  try {
    const text = utf8.decode(bytes);
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  } catch {
    throw new InputError(`${path}: byte ${offset}: not valid UTF-8`, { file: path, byteOffset: offset, code: 'BAD_RECORD' });
  }
}

async function assertBlockStart(path: string, start: number): Promise<void> {
  if (start === 0) return;
  const handle = await open(path, 'r');
  try {
    const before = Buffer.alloc(Math.min(start, 3));
    await handle.read(before, 0, before.length, start - before.length);
    const tail = before.toString('latin1');
    if (!tail.endsWith('\n\n') && !tail.endsWith('\n\r\n') && start > 1) {
      throw new InternalError(`${path}: byte ${start} does not follow a blank line; ranges must begin at a block`);
    }
  } finally {
    await handle.close();
  }
}
