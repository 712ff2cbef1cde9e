import { isIndexKey } from './orderedJson.js';

/**
 * One JSON record whose named top-level objects keep their key order
 * (`cats`, `spans`). JSON.parse reads the record; a named object whose keys
 * JSON.parse would have reordered (index-like keys go to the front) becomes
 * a Map of the same values, in the order its keys are written. Throws
 * JSON.parse's SyntaxError.
 */
export function parseJsonRecord(text: string, orderedKeys: readonly string[]): unknown {
  try {
    return parseOrdered(text, orderedKeys);
  } catch (error) {
    if (error instanceof RangeError) throw new SyntaxError('nested too deeply to read');
    throw error;
  }
}

function parseOrdered(text: string, orderedKeys: readonly string[]): unknown {
  const value = JSON.parse(text) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const reordered = orderedKeys.filter((key) => {
    const member = record[key];
    if (typeof member !== 'object' || member === null || Array.isArray(member)) return false;
    for (const first in member) return isIndexKey(first);
    return false;
  });
  if (reordered.length === 0) return value;
  // Only the order of the member's keys comes from its text; JSON.parse has read the values.
  const ranges = new Map<string, number>();
  for (const [key, start] of objectMembers(text, text.indexOf('{'))) if (reordered.includes(key)) ranges.set(key, start);
  for (const [key, start] of ranges) {
    const member = record[key] as Record<string, unknown>;
    const ordered = new Map<string, unknown>();
    for (const [name] of objectMembers(text, start)) if (!ordered.has(name)) ordered.set(name, member[name]);
    record[key] = ordered;
  }
  return record;
}

/**
 * The members of the object that opens at `open` in a valid JSON text, in
 * the text's order, repeated keys included: each key and where its value
 * starts. Strings are skipped whole, so only structure is looked at.
 */
export function objectMembers(text: string, open: number): Array<[string, number]> {
  const members: Array<[string, number]> = [];
  let depth = 0;
  let expectingKey = false;
  for (let i = open; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      const end = stringEnd(text, i);
      if (depth === 1 && expectingKey) {
        const raw = text.slice(i + 1, end);
        const name = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        let next = text.indexOf(':', end + 1) + 1;
        while (isSpace(text.charCodeAt(next))) next++;
        members.push([name, next]);
        expectingKey = false;
        i = next - 1;
        continue;
      }
      i = end;
    } else if (code === 0x7b || code === 0x5b) {
      depth++;
      if (depth === 1) expectingKey = true;
    } else if (code === 0x7d || code === 0x5d) {
      depth--;
      if (depth === 0) return members;
    } else if (code === 0x2c && depth === 1) {
      expectingKey = true;
    }
  }
  return members;
}

function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}
