import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Writes a report for --json, pretty-printed, and says where. */
export async function writeJsonReport(path: string, report: unknown): Promise<void> {
  await writeFile(resolve(path), `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`report written to ${path}\n`);
}
