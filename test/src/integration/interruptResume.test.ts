import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { repeatedDemoCorpus, scratchDir } from '../helpers/corpora.js';
import { CLI, DEMO_SPEC } from '../helpers/paths.js';
import { demoSpec, singlePass } from '../helpers/testStack.js';
import { expectSameScores, readJsonReport } from '../helpers/sameScores.js';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startCli(args: string[]): { child: ReturnType<typeof spawn>; finished: Promise<Finished> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, finished };
}

function storedPartials(databasePath: string): number {
  if (!existsSync(databasePath)) return 0;
  try {
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM partials').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // the table is not there yet
  }
}

describe('an embedded run interrupted with Ctrl-C', () => {
  it('stops everything it started, and the same run id resumes it to the single-pass scores', async () => {
    const dir = scratchDir();
    const corpus = repeatedDemoCorpus(dir, 4);
    const stateDir = join(dir, 'state');
    const json = join(dir, 'report.json');
    const args = ['run', DEMO_SPEC, '--corpus', corpus, '--shards', '40', '--run-id', 'interrupted', '--state-dir', stateDir];

    const first = startCli([...args, '--no-progress']);
    const deadline = Date.now() + 120_000;
    while (storedPartials(join(stateDir, 'scorer.sqlite')) < 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    first.child.kill('SIGINT');
    const interrupted = await first.finished;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/stopped\. Resume with: evalshard run .* --run-id interrupted/);
    for (const name of ['scorer', 'gpu-worker-1', 'gpu-worker-2', 'temporal']) {
      expect(readFileSync(join(stateDir, 'logs', `${name}.log`), 'utf8')).toMatch(/ended with exit code 0/);
    }
    const storedBeforeResume = storedPartials(join(stateDir, 'scorer.sqlite'));
    expect(storedBeforeResume).toBeGreaterThanOrEqual(5);
    expect(storedBeforeResume).toBeLessThan(40);

    const resumed = await startCli([...args, '--json', json, '--no-progress']).finished;
    expect(resumed.code).toBe(0);
    const report = readJsonReport(json);
    expect(report.run.resumedShards).toBe(storedBeforeResume);
    const reference = await singlePass(await demoSpec({ corpus }));
    expectSameScores(report.scores, reference.scores);
    expect(report.run.docs).toBe(reference.run.docs);
  });
});
