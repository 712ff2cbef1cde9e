import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricStates as MetricStatesMessage } from '@evalshard/proto';
import { afterAll, expect } from 'vitest';
import { documentPass } from '../documentPass.js';
import { encodeMetricStates, finalizeMetricStates, type MetricStates } from '../metricStates.js';
import { nativeDocPass } from '../nativePass/nativeDocPass.js';
import type { ScorerOptions } from '../scorerOptions.js';

/** A scratch folder for one test file's gold and predicted files, gone after its tests. */
export function nativePassFiles(): (gold: string | Buffer, predicted: string | Buffer) => { gold: string; predicted: string } {
  const dir = mkdtempSync(join(tmpdir(), 'evalshard-native-pass-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let count = 0;
  return (gold, predicted) => {
    count += 1;
    const paths = { gold: join(dir, `gold-${count}.jsonl`), predicted: join(dir, `pred-${count}.jsonl`) };
    writeFileSync(paths.gold, gold);
    writeFileSync(paths.predicted, predicted);
    return paths;
  };
}

export const encodedStates = (states: MetricStates) => Buffer.from(MetricStatesMessage.encode(encodeMetricStates(states)).finish()).toString('base64');

/** The native pass must score the files and give the document pass's states, scores and count. */
export async function expectSameAsDocuments(files: { gold: string; predicted: string }, options: ScorerOptions): Promise<MetricStates> {
  const native = await nativeDocPass(files.gold, files.predicted, options);
  const documents = await documentPass(files.gold, files.predicted, 'jsonl', options);
  expect(native, 'the native pass gave the files back').not.toBeNull();
  expect(native!.docs).toBe(documents.docs);
  expect(encodedStates(native!.states)).toBe(encodedStates(documents.states));
  expect(finalizeMetricStates(native!.states)).toEqual(finalizeMetricStates(documents.states));
  return native!.states;
}

/** JSONL text of records. */
export const jsonLines = (records: string[]) => records.map((record) => `${record}\n`).join('');
