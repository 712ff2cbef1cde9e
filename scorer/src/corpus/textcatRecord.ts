import { InputError } from '../errors.js';
import { jsString } from '../json/jsString.js';
import { entriesOf } from '../json/orderedJson.js';
import { parseJsonRecord } from '../json/parseJsonRecord.js';
import type { CatsEntries } from '../textcat/updateTextcat.js';

export interface TextcatRecord {
  text: string;
  cats: CatsEntries;
  /** The record's "id", when it has one. */
  id?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Ties between categories go to the first in the record's order.
const ORDERED_KEYS = ['cats'];

/**
 * One JSONL line `{"text": ..., "cats": {label: value}}`. Other keys are
 * allowed and ignored. Categories keep the record's order, even labels like
 * "0" and "1". Errors name the file and the record's byte offset.
 */
export function parseTextcatRecord(bytes: Uint8Array, file: string, offset: number): TextcatRecord {
  const fail = (reason: string): never => {
    throw new InputError(`${file}: byte ${offset}: ${reason}`, { file, byteOffset: offset, code: 'BAD_RECORD' });
  };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return fail('not valid UTF-8');
  }
  let value: unknown;
  try {
    value = parseJsonRecord(text, ORDERED_KEYS);
  } catch (error) {
    return fail(`invalid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('a record must be a JSON object');
  const record = value as Record<string, unknown>;
  if (typeof record.text !== 'string') return fail('"text" must be a string');
  const cats = record.cats;
  if (typeof cats !== 'object' || cats === null || Array.isArray(cats)) {
    return fail('"cats" must be an object of label → number');
  }
  const entries: Array<readonly [string, number]> = [];
  for (const [label, catValue] of entriesOf(cats)) {
    // JSON booleans compare like Python's True/False.
    const numeric = typeof catValue === 'boolean' ? Number(catValue) : catValue;
    if (typeof numeric !== 'number' || !Number.isFinite(numeric)) {
      return fail(`"cats"."${label}" must be a finite number`);
    }
    entries.push([label, numeric]);
  }
  return record.id === undefined ? { text: record.text, cats: entries } : { text: record.text, cats: entries, id: jsString(record.id) };
}
