import { isIndexKey, parseJson } from './orderedJson.js';

/**
 * One JSON record whose named top-level objects keep their key order
 * (`cats`, `spans`). JSON.parse is the fast path; a record is read again in
 * order only when one of those objects has index-like keys, which
 * JSON.parse would have moved to the front. Throws JSON.parse's SyntaxError.
 */
export function parseJsonRecord(text: string, orderedKeys: readonly string[]): unknown {
  const value = JSON.parse(text) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const reordered = orderedKeys.some((key) => {
    const member = record[key];
    if (typeof member !== 'object' || member === null || Array.isArray(member)) return false;
    for (const first in member) return isIndexKey(first);
    return false;
  });
  if (!reordered) return value;
  const ordered = parseJson(text);
  return ordered instanceof Map ? Object.fromEntries(ordered) : ordered;
}
