import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { describeFailure } from '@evalshard/orchestrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cliProcess.js';
import { corpusWithBrokenLines, scratchDir } from '../helpers/corpora.js';
import { DEMO_MODEL, repoPath } from '../helpers/paths.js';
import { demoSpec, distributedRun, singlePass, startTestStack, type TestStack } from '../helpers/testStack.js';
import { activityAttempts } from '../helpers/workflowHistory.js';
import { expectSameScores } from '../helpers/sameScores.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(2);
});
afterAll(async () => {
  await stack?.stop();
});

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('error:'));
}

describe('bad input gets one clear message, a non-zero exit and no retries', () => {
  it('names a wrong spec field', async () => {
    const dir = scratchDir();
    const spec = join(dir, 'spec.yaml');
    writeFileSync(
      spec,
      `model: ${DEMO_MODEL}\ncorpus: ${repoPath('examples/spamassassin/test.jsonl')}\ntask: textcat\nbatch:\n  maxDoc: 8\n`,
    );
    const result = await cli(['run', spec, '--single-pass']);
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual([
      `error: ${spec}: field "batch.maxDoc": unknown key (did you mean "maxDocs"?); allowed: maxDocs, maxTokens, maxSequenceLength`,
    ]);
  });

  it('names a wrongly typed field', async () => {
    const dir = scratchDir();
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ model: DEMO_MODEL, corpus: 'x.jsonl', task: 'textcat', workers: 'two' }));
    const result = await cli(['run', spec]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/field "workers": Invalid input: expected number, received string/);
  });

  it('names a missing model file before starting anything', async () => {
    const dir = scratchDir();
    cpSync(DEMO_MODEL, join(dir, 'model'), { recursive: true });
    rmSync(join(dir, 'model', 'tokenizer.json'));
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, `model: model\ncorpus: ${repoPath('examples/spamassassin/test.jsonl')}\ntask: textcat\n`);
    const result = await cli(['run', spec, '--state-dir', join(dir, 'state')]);
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual([
      `error: model: ${join(dir, 'model', 'tokenizer.json')}: no such file (a model bundle needs model.onnx, config.json, tokenizer.json)`,
    ]);
    expect(result.stderr).not.toMatch(/starting the embedded stack/);
  });

  it('names the file and byte offset of a broken corpus line, and the run stops without retrying', async () => {
    const dir = scratchDir();
    const broken = corpusWithBrokenLines(dir, [700]);
    const runId = `broken-${Date.now()}`;
    const result = await cli([
      'run', repoPath('examples/spamassassin.yaml'), '--corpus', broken.path, '--shards', '4', '--run-id', runId,
      '--temporal-address', stack.temporalAddress, '--task-queue', stack.taskQueue, '--no-progress',
    ]);
    expect(result.code).toBe(1);
    const lines = errorLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^error: shard \\d on worker [^:]+:\\d+: ${broken.path}: byte ${broken.brokenOffsets[0]}: invalid JSON`),
    );
    const attempts = await activityAttempts(stack.client, runId);
    expect(attempts.maxAttempt).toBe(1);
  });

  it('skips and lists broken records with onBadRecord: skip', async () => {
    const dir = scratchDir();
    const broken = corpusWithBrokenLines(dir, [3, 500, 1001]);
    const spec = await demoSpec({ corpus: broken.path, onBadRecord: 'skip', maxListedSkips: 2, shards: 6 });
    const report = await distributedRun(stack, spec);
    expect(report.run.skipped.count).toBe(3);
    expect(report.run.skipped.records.map((record) => [record.file, record.byteOffset])).toEqual([
      [broken.path, broken.brokenOffsets[0]],
      [broken.path, broken.brokenOffsets[1]],
    ]);
    expect(report.run.docs).toBe(1207);
    const reference = await singlePass(spec);
    expect(reference.run.skipped.count).toBe(3);
    expectSameScores(report.scores, reference.scores);
  });

  it('fails a model whose inputs do not match before fan-out', async () => {
    const spec = await demoSpec({ model: repoPath('test/fixtures/models/image-inputs'), labels: undefined, scorer: {} });
    const runId = `image-${Date.now()}`;
    const failure = await distributedRun(stack, spec, { runId }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const message = describeFailure(failure).message;
    expect(message).toMatch(/image-inputs\/model\.onnx: inputs are \[pixel_values\]; a classifier takes input_ids/);
    const attempts = await activityAttempts(stack.client, runId);
    // Planned once and never retried, nothing fanned out; the history recorded the start and the failure.
    expect(attempts.scheduled).toEqual({ recordRun: 2, planRun: 1 });
    expect(attempts.maxAttempt).toBe(1);
  });
});
