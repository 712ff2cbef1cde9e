import type { LineBlock } from './readLineBlocks.js';

/**
 * Sentence blocks grouped into documents: a `# newdoc` comment starts one
 * when the file uses them, otherwise every sentence is a document. Stops at
 * the first document that starts at or after `end`.
 */
export async function* blockDocuments(blocks: AsyncIterable<LineBlock>, end: number): AsyncGenerator<LineBlock[]> {
  let current: LineBlock[] = [];
  let grouped: boolean | undefined;
  for await (const block of blocks) {
    const startsDocument = block.lines.some((line) => /^#\s*newdoc\b/.test(line.text));
    grouped ??= startsDocument;
    if (current.length > 0 && (!grouped || startsDocument)) {
      yield current;
      current = [];
    }
    if (current.length === 0 && block.offset >= end) return;
    current.push(block);
  }
  if (current.length > 0) yield current;
}

/** The value of a `# key = value` comment in the blocks, if any. */
export function commentValue(blocks: LineBlock[], key: string): string | undefined {
  const pattern = new RegExp(`^#\\s*${key}\\s*=\\s*(.*)$`);
  for (const block of blocks) {
    for (const line of block.lines) {
      const match = pattern.exec(line.text);
      if (match !== null) return match[1]!.trim();
    }
  }
  return undefined;
}
