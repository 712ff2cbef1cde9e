import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stringifyJson } from '@evalshard/scorer';

/** Writes a report for --json, pretty-printed with label maps in their order, and says where. */
export async function writeJsonReport(path: string, report: unknown): Promise<void> {
  await writeFile(resolve(path), `${stringifyJson(report, 2)}\n`);
  process.stderr.write(`report written to ${path}\n`);
}
