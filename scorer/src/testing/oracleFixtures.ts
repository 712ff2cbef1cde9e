import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJson } from '../json/orderedJson.js';

export { orderedEntries } from '../json/orderedEntries.js';

/**
 * The oracle fixtures to compare against: the committed ones, plus a freshly
 * generated batch when EVALSHARD_FRESH_ORACLE_DIR names one (CI makes one
 * with a random seed on every run).
 */
export function oracleFixturePaths(name: string): string[] {
  const paths = [fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url))];
  const freshDir = process.env.EVALSHARD_FRESH_ORACLE_DIR;
  if (freshDir !== undefined && freshDir !== '') {
    const fresh = join(freshDir, name);
    if (!existsSync(fresh)) throw new Error(`EVALSHARD_FRESH_ORACLE_DIR has no ${name}`);
    paths.push(fresh);
  }
  return paths;
}

/**
 * JSON from the Python oracles, in the file's key order (objects with keys
 * like "10" come back as Maps), with their "NaN" strings turned back into
 * numbers.
 */
export function readOracleJson<T>(path: string): T {
  return withNaN(parseJson(readFileSync(path, 'utf8'))) as T;
}

function withNaN(value: unknown): unknown {
  if (value === 'NaN') return Number.NaN;
  if (Array.isArray(value)) return value.map(withNaN);
  if (value instanceof Map) return new Map([...value].map(([key, item]) => [key, withNaN(item)]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withNaN(item)]));
  }
  return value;
}
