import { isIndexKey, parseJson } from './orderedJson.js';

/**
 * One JSON record whose named top-level objects keep their key order
 * (`cats`, `spans`). JSON.parse reads the record; a named object whose keys
 * JSON.parse would have reordered (index-like keys go to the front) is read
 * again from its own text, in order — never the whole record, whose token
 * arrays are most of it. Throws JSON.parse's SyntaxError.
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
  for (const [key, [start, end]] of topLevelMembers(text, reordered)) record[key] = parseJson(text.slice(start, end));
  return record;
}

/**
 * Where the values of the named members of a valid JSON object lie in its
 * text; for a repeated key, the last one, which is the value JSON.parse keeps.
 */
export function topLevelMembers(text: string, keys: readonly string[]): Map<string, [number, number]> {
  const found = new Map<string, [number, number]>();
  let depth = 0;
  let pendingKey: string | undefined;
  let valueStart = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      const end = stringEnd(text, i);
      if (depth === 1 && valueStart < 0) {
        const raw = text.slice(i + 1, end);
        const name = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        let next = end + 1;
        while (isSpace(text.charCodeAt(next))) next++;
        if (text.charCodeAt(next) === 0x3a) {
          pendingKey = keys.includes(name) ? name : undefined;
          i = next;
          next++;
          while (isSpace(text.charCodeAt(next))) next++;
          valueStart = next;
          continue;
        }
      }
      i = end;
    } else if (code === 0x7b || code === 0x5b) {
      depth++;
    } else if (code === 0x7d || code === 0x5d || (code === 0x2c && depth === 1)) {
      // A member's value ends at the comma after it or at the record's closing brace.
      if (code !== 0x2c) depth--;
      if ((code === 0x2c || depth === 0) && valueStart >= 0) {
        if (pendingKey !== undefined) found.set(pendingKey, [valueStart, trimEnd(text, valueStart, i)]);
        valueStart = -1;
        pendingKey = undefined;
      }
    }
  }
  return found;
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

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}
