import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '@evalshard/orchestrator';
import { scratchDir } from '../helpers/corpora.js';
import { DEMO_CORPUS } from '../helpers/paths.js';
import { expectSameScores } from '../helpers/sameScores.js';
import { demoSpec, distributedRun, singlePass, startTestStack, type TestStack } from '../helpers/testStack.js';

const HUGE_BYTES = 50 * 1024 * 1024;

// A 50 MB JSONL record among ordinary ones: beyond maxRecordBytes (16 MiB by
// default) it is a bad record with its file and byte offset, never read into
// memory, handled the same way by one pass and by a sharded run.
describe('a record larger than maxRecordBytes', () => {
  let stack: TestStack;
  let corpus: string;
  let hugeOffset: number;

  beforeAll(async () => {
    stack = await startTestStack(2);
    const lines = readFileSync(DEMO_CORPUS, 'utf8').split('\n').filter(Boolean).slice(0, 200);
    corpus = join(scratchDir(), 'with-huge.jsonl');
    const fd = openSync(corpus, 'w');
    const head = lines.slice(0, 100).join('\n') + '\n';
    writeSync(fd, head);
    hugeOffset = Buffer.byteLength(head);
    // Written in pieces: the test itself must not hold 50 MB strings either.
    const prefix = '{"text": "';
    writeSync(fd, prefix);
    const piece = 'spam and ham '.repeat(80_000);
    let written = prefix.length;
    while (written < HUGE_BYTES) written += writeSync(fd, piece);
    writeSync(fd, '", "cats": {"ham": 0, "spam": 1}}\n');
    writeSync(fd, lines.slice(100).join('\n') + '\n');
    closeSync(fd);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('is skipped with onBadRecord: skip, the same way single-pass and at 7 shards', async () => {
    const spec = await demoSpec({ corpus: [corpus], onBadRecord: 'skip', shards: 7 });
    const single = await singlePass(spec);
    const distributed = await distributedRun(stack, spec);
    expectSameScores(distributed.scores, single.scores);
    expect(single.run.docs).toBe(200);
    expect(distributed.run.docs).toBe(200);
    for (const report of [single, distributed]) {
      expect(report.run.skipped.count).toBe(1);
      expect(report.run.skipped.records[0]).toMatchObject({ file: corpus, byteOffset: hugeOffset });
      expect(report.run.skipped.records[0]!.reason).toMatch(/record of \d+ bytes is longer than maxRecordBytes \(16777216\)/);
    }
  });

  it('fails the run with its file and byte offset with onBadRecord: fail, both ways', async () => {
    const spec = await demoSpec({ corpus: [corpus], shards: 7, retry: { maximumAttempts: 3 } });
    const expected = new RegExp(`${corpus.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: byte ${hugeOffset}: record of \\d+ bytes is longer than maxRecordBytes`);
    await expect(singlePass(spec)).rejects.toThrow(expected);
    const failure = await distributedRun(stack, spec).catch((error: unknown) => error);
    expect(describeFailure(failure).message).toMatch(expected);
  });

  it('a spec may lower the limit; the error names the field to change', async () => {
    const spec = await demoSpec({ corpus: [DEMO_CORPUS], maxRecordBytes: '2KiB', onBadRecord: 'skip' });
    const single = await singlePass(spec);
    expect(single.run.skipped.count).toBeGreaterThan(0);
    expect(single.run.skipped.records[0]!.reason).toContain('longer than maxRecordBytes (2048)');
    const distributed = await distributedRun(stack, { ...spec, sharding: { shards: 5, shardSize: null } });
    expectSameScores(distributed.scores, single.scores);
    expect(distributed.run.skipped.count).toBe(single.run.skipped.count);
  });
});
