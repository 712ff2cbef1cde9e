import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { BadRecordPolicy, clientChannel, SubmitOutcome, WorkerServiceClient, type PartialScore } from '@evalshard/proto';
import { encodeScorerOptions, SCORER_MAIN_PATH, stringifyJson } from '@evalshard/scorer';
import { ScorerClient, shardRange, streamShard, SupervisedProcess } from '@evalshard/orchestrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/corpora.js';
import { demoSpec, distributedRun, startTestStack, type TestStack } from '../helpers/testStack.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(2);
});
afterAll(async () => {
  await stack?.stop();
});

describe('the same partial submitted twice', () => {
  it('is counted once, in a real scorer process, and a differing one is kept out', async () => {
    const dir = scratchDir();
    const scorerProcess = new SupervisedProcess({
      name: 'scorer',
      command: process.execPath,
      args: (port) => [SCORER_MAIN_PATH, '--port', String(port), '--db', join(dir, 'scorer.sqlite')],
      env: { ...process.env, EVALSHARD_AUTH_TOKEN: stack.services.security.token },
      logFile: join(dir, 'scorer.log'),
      restart: false,
    });
    const scorer = new ScorerClient(`127.0.0.1:${await scorerProcess.start()}`, stack.services.security);
    try {
      const run = await distributedRun(stack, await demoSpec({ shards: 3 }));
      // The run's own partial for shard 1, recomputed by a worker: same digest.
      const spec = await demoSpec({ shards: 3 });
      const scorerOptions = { textcat: { labels: ['ham', 'spam'], multiLabel: false, threshold: null, positiveLabel: 'spam', macroSummation: 'compensated' as const } };
      const digests = { model: run.run.model.digest, corpus: run.run.corpus.digest, scorer: run.run.scorer.digest };
      const channel = clientChannel(stack.services.security, {});
      const worker = new WorkerServiceClient(stack.services.workerAddresses[0]!, channel.credentials, channel.options);
      const layout = { files: [{ path: spec.corpus[0]!, size: run.run.corpus.bytes }], shardsPerFile: [3] };
      const partialOf = async (runId: string, shardIndex: number): Promise<PartialScore> =>
        (
          await streamShard(
            worker,
            {
              runId,
              shardIndex,
              modelPath: spec.model,
              digests,
              range: shardRange(layout, shardIndex),
              scorer: encodeScorerOptions(scorerOptions),
              batch: { maxDocs: 16, maxTokens: 4096, maxSequenceLength: 0 },
              onBadRecord: BadRecordPolicy.BAD_RECORD_POLICY_FAIL,
              batching: 'fixed',
              savePredictions: '',
              maxRecordBytes: 0,
              maxListedSkips: 0,
            },
            { deadlineMs: 60_000 },
          )
        ).partial!;

      const runId = `dup-${randomUUID()}`;
      await scorer.openRun({ runId, shardCount: 3, digests, scorer: encodeScorerOptions(scorerOptions) });
      const partials = [await partialOf(runId, 0), await partialOf(runId, 1), await partialOf(runId, 2)];
      const first = await scorer.submitPartial({ partial: partials[1]! });
      const again = await scorer.submitPartial({ partial: await partialOf(runId, 1) });
      expect(first.outcome).toBe(SubmitOutcome.SUBMIT_OUTCOME_STORED);
      expect(again.outcome).toBe(SubmitOutcome.SUBMIT_OUTCOME_DUPLICATE);
      expect(again.digest).toBe(first.digest);
      await expect(scorer.finalizeRun({ runId, maxListedSkips: 0 })).rejects.toThrow(/missing 2 of 3 shards: 0, 2/);
      await scorer.submitPartial({ partial: partials[0]! });
      await scorer.submitPartial({ partial: partials[2]! });
      await scorer.submitPartial({ partial: partials[2]! });

      // Shard 0's content under shard 2's index: a different digest for a stored shard.
      const impostor = await scorer.submitPartial({ partial: { ...partials[0]!, shardIndex: 2 } });
      expect(impostor.outcome).toBe(SubmitOutcome.SUBMIT_OUTCOME_CONFLICT);

      const final = await scorer.finalizeRun({ runId, maxListedSkips: 0 });
      expect(final.docs).toBe(run.run.docs);
      expect(final.scoresJson).toBe(stringifyJson(run.scores));
      expect(final.conflicts).toEqual([
        { shardIndex: 2, storedDigest: expect.any(String), rejectedDigest: impostor.digest },
      ]);
      worker.close();
    } finally {
      scorer.close();
      await scorerProcess.stop();
    }
  });
});
