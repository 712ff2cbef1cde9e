import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startTemporalDevServer } from '@evalshard/orchestrator';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}

/** One real Temporal dev server for the whole integration run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'evalshard-temporal-'));
  const server = await startTemporalDevServer({ dbFile: join(dir, 'temporal.sqlite'), logFile: join(dir, 'temporal.log') });
  project.provide('temporalAddress', server.address);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
