import { readFileSync } from 'node:fs';
import { parseJson, stringifyJson } from '@evalshard/scorer';
import { expect } from 'vitest';

/** Equal values, and equal JSON text: key order and label order included. */
export function expectSameScores(actual: unknown, expected: unknown): void {
  expect(actual).toEqual(expected);
  expect(stringifyJson(actual, 2)).toBe(stringifyJson(expected, 2));
}

/** A `--json` report, read in its key order (label maps with keys like "10" as Maps). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readJsonReport(path: string): any {
  return parseJson(readFileSync(path, 'utf8'));
}
