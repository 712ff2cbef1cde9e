import { readLineBlocks, type LineBlock } from './readLineBlocks.js';

/**
 * Sentence blocks grouped into documents: a `# newdoc` comment starts one
 * when the file uses them (`grouped`: its first block has one), otherwise
 * every sentence is a document. Sentences before the first document start
 * belong to the previous range; stops at the first document that starts at
 * or after `end`.
 */
export async function* blockDocuments(
  blocks: AsyncIterable<LineBlock>,
  end: number,
  grouped: boolean,
): AsyncGenerator<LineBlock[]> {
  let current: LineBlock[] = [];
  let seeking = grouped;
  for await (const block of blocks) {
    const startsDocument = !grouped || block.lines.some(isNewdoc);
    if (seeking && !startsDocument) continue;
    seeking = false;
    if (current.length > 0 && startsDocument) {
      yield current;
      current = [];
    }
    if (current.length === 0 && block.offset >= end) return;
    current.push(block);
  }
  if (current.length > 0) yield current;
}

// Enough for a first sentence; a longer one is read on a chunk at a time.
const FIRST_BLOCK_READ_BYTES = 16 << 10;

/**
 * Whether a CoNLL-U or IOB file groups sentences into documents with
 * `# newdoc` (its first block says): reads the first block, not the first
 * megabyte.
 */
export async function fileUsesNewdoc(path: string): Promise<boolean> {
  return usesNewdoc(readLineBlocks(path, 0, undefined, FIRST_BLOCK_READ_BYTES));
}

/** Whether the file groups sentences into documents with `# newdoc` (its first block says). */
export async function usesNewdoc(blocks: AsyncIterable<LineBlock>): Promise<boolean> {
  for await (const block of blocks) return block.lines.some(isNewdoc);
  return false;
}

export function isNewdoc(line: { text: string }): boolean {
  return line.text.charCodeAt(0) === 0x23 && /^#\s*newdoc\b/.test(line.text);
}

const commentPatterns = new Map<string, RegExp>();

/** The value of a `# key = value` comment in the blocks, if any. */
export function commentValue(blocks: LineBlock[], key: string): string | undefined {
  let pattern = commentPatterns.get(key);
  if (pattern === undefined) {
    pattern = new RegExp(`^#\\s*${key}\\s*=\\s*(.*)$`);
    commentPatterns.set(key, pattern);
  }
  for (const block of blocks) {
    for (const line of block.lines) {
      if (line.text.charCodeAt(0) !== 0x23) continue;
      const match = pattern.exec(line.text);
      if (match !== null) return match[1]!.trim();
    }
  }
  return undefined;
}
