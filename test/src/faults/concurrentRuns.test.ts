import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringifyJson } from '@evalshard/scorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cliProcess.js';
import { repeatedDemoCorpus } from '../helpers/corpora.js';
import { DEMO_MODEL } from '../helpers/paths.js';
import { readJsonReport } from '../helpers/sameScores.js';
import { startFaultStack, type FaultStack } from './faultStack.js';

// Load: eight runs at once against one cluster (scorer, two GPU workers,
// one evalshard worker), of different corpora, shard counts and bootstrap
// settings; each must equal its single pass, every shard stored once.

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack({ smallDisk: false });
});
afterAll(async () => {
  await stack?.stop();
});

describe('eight concurrent runs against one cluster', () => {
  it('all finish with their single-pass scores, no document counted twice', async () => {
    const corpora = [repeatedDemoCorpus(stack.dir, 1), repeatedDemoCorpus(stack.dir, 2)];
    const specs = Array.from({ length: 8 }, (_, i) => {
      const path = join(stack.dir, `run-${i}.yaml`);
      const bootstrap = i % 3 === 0 ? `bootstrap: { replicates: 10, seed: ${i} }\n` : '';
      writeFileSync(
        path,
        `model: ${DEMO_MODEL}\ncorpus: ${corpora[i % 2]}\ntask: textcat\nlabels: [ham, spam]\nscorer: { positiveLabel: spam }\n` +
          `workers: 2\nshards: ${[5, 8, 13, 21][i % 4]}\nbatch: { maxDocs: ${[8, 16, 32][i % 3]}, maxTokens: 4096 }\n${bootstrap}`,
      );
      return path;
    });
    const references = await Promise.all(
      specs.map(async (spec, i) => {
        const json = join(stack.dir, `single-${i}.json`);
        const single = await cli(['run', spec, '--single-pass', '--json', json, '--no-progress']);
        expect(single.code, single.stderr).toBe(0);
        return readJsonReport(json);
      }),
    );
    const started = performance.now();
    const runs = await Promise.all(
      specs.map(async (spec, i) => {
        const json = join(stack.dir, `run-${i}.json`);
        const done = await cli(['run', spec, '--temporal-address', stack.temporal.address, '--task-queue', stack.taskQueue, '--run-id', `load-${i}`, '--json', json, '--no-progress']);
        expect(done.code, done.stderr).toBe(0);
        return readJsonReport(json);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    runs.forEach((report, i) => {
      expect(stringifyJson(report.scores, 2)).toBe(stringifyJson(references[i].scores, 2));
      expect(report.run.docs).toBe(references[i].run.docs);
      expect(report.run.conflicts).toEqual([]);
      // Every shard stored exactly once in the shared scorer.
      expect(stack.storedShards(`load-${i}`)).toEqual(Array.from({ length: report.run.shards }, (_, k) => k));
    });
    const docs = runs.reduce((sum, report) => sum + report.run.docs, 0);
    console.log(`8 concurrent runs: ${docs} documents in ${runs.reduce((sum, report) => sum + report.run.shards, 0)} shards, ${seconds.toFixed(1)} s, every run equal to its single pass`);
  });
});
