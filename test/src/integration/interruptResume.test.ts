import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli, storedPartials } from '../helpers/cliProcess.js';
import { repeatedDemoCorpus, scratchDir } from '../helpers/corpora.js';
import { DEMO_SPEC } from '../helpers/paths.js';
import { demoSpec, singlePass } from '../helpers/testStack.js';
import { expectSameScores, readJsonReport } from '../helpers/sameScores.js';

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
