import { isUtf8 } from 'node:buffer';
import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

const CHUNK_BYTES = 1 << 20;

/** 'unreadable': a read failed (a folder, an I/O error); the caller's other path says why. */
export type FillResult = 'lines' | 'end' | 'not-utf8' | 'unreadable';

/**
 * A file's lines as bytes, a chunk at a time: `buffer` holds complete lines
 * from `position` to `complete`, each ended by a newline (the last line of
 * the file may lack one). They are checked for valid UTF-8, not decoded:
 * a reader that compares bytes needs no strings. The file's sha256 is
 * taken as it is read, so a pass that reads it all need not read it again.
 */
export class ByteLines {
  buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  position = 0;
  complete = 0;
  /** The file offset of buffer[0]. */
  offset = 0;
  private filled = 0;
  private ended = false;
  private readonly hash: Hash = createHash('sha256');

  private constructor(private readonly handle: FileHandle) {}

  /** undefined when the file cannot be opened (the caller's other path says why). */
  static async open(path: string): Promise<ByteLines | undefined> {
    const handle = await open(path, 'r').catch(() => undefined);
    return handle === undefined ? undefined : new ByteLines(handle);
  }

  /** After the lines before `position` are used: reads on until a complete line is there. */
  async fill(): Promise<FillResult> {
    if (this.position > 0) {
      this.buffer.copy(this.buffer, 0, this.position, this.filled);
      this.offset += this.position;
      this.filled -= this.position;
      this.position = 0;
    }
    this.complete = 0;
    while (this.complete === 0) {
      if (this.ended) {
        this.complete = this.filled;
        break;
      }
      if (this.filled === this.buffer.length) {
        // A line longer than the buffer: it grows to hold the line, as a line reader's string would.
        const larger = Buffer.allocUnsafe(this.buffer.length * 2);
        this.buffer.copy(larger, 0, 0, this.filled);
        this.buffer = larger;
      }
      let bytesRead: number;
      try {
        ({ bytesRead } = await this.handle.read(this.buffer, this.filled, this.buffer.length - this.filled, this.offset + this.filled));
      } catch {
        return 'unreadable';
      }
      if (bytesRead === 0) {
        this.ended = true;
        continue;
      }
      this.hash.update(this.buffer.subarray(this.filled, this.filled + bytesRead));
      // What came before has no newline: it is the start of an unfinished line.
      const newline = this.buffer.lastIndexOf(0x0a, this.filled + bytesRead - 1);
      this.filled += bytesRead;
      if (newline >= 0) this.complete = newline + 1;
    }
    if (this.complete === 0) return 'end';
    // Lines end at newlines, which no UTF-8 sequence contains: a character never straddles the check.
    return isUtf8(this.buffer.subarray(0, this.complete)) ? 'lines' : 'not-utf8';
  }

  /** The file's sha256 (hex), once fill() has said 'end'. */
  sha256(): string {
    if (!this.ended) throw new Error('ByteLines.sha256: the file is not read to its end');
    return this.hash.digest('hex');
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
