import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** JSON from the Python oracles, with their "NaN" strings turned back into numbers. */
export function readOracleJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8'), (_key, value: unknown) => (value === 'NaN' ? Number.NaN : value)) as T;
}
