import { Metadata } from '@grpc/grpc-js';
import { clientChannel, WorkerServiceClient, type HealthResponse } from '@evalshard/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repeatedDemoCorpus, scratchDir } from '../helpers/corpora.js';
import { demoSpec, distributedRun, singlePass, startTestStack, type TestStack } from '../helpers/testStack.js';
import { expectSameScores } from '../helpers/sameScores.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack(2);
});
afterAll(async () => {
  await stack?.stop();
});

function health(address: string): Promise<HealthResponse> {
  const channel = clientChannel(stack.services.security, {});
  const client = new WorkerServiceClient(address, channel.credentials, channel.options);
  return new Promise((resolve, reject) =>
    client.health({}, new Metadata(), { deadline: Date.now() + 5_000 }, (error, response) => {
      client.close();
      if (error) reject(error);
      else resolve(response);
    }),
  );
}

describe('a GPU worker killed with SIGKILL in the middle of a run', () => {
  it('is restarted and retried around, and the scores still equal one pass', async () => {
    const corpus = repeatedDemoCorpus(scratchDir(), 5);
    const spec = await demoSpec({ corpus, shards: 24, batch: { maxDocs: 8, maxTokens: 4096 } });
    const victim = stack.services.workers[0]!;
    let killedWhileBusy: number | undefined;
    let checking = false;
    const report = await distributedRun(stack, spec, {
      onProgress: (snapshot) => {
        if (killedWhileBusy !== undefined || checking || snapshot.docs < 1_000) return;
        checking = true;
        void health(stack.services.workerAddresses[0]!)
          .then((state) => {
            if (state.activeShards > 0 && killedWhileBusy === undefined) {
              killedWhileBusy = state.activeShards;
              process.kill(victim.pid!, 'SIGKILL');
            }
          })
          .finally(() => {
            checking = false;
          });
      },
    });
    expect(killedWhileBusy).toBeGreaterThan(0);
    expect(victim.restarts).toBeGreaterThanOrEqual(1);
    expect(report.run.retries).toBeGreaterThanOrEqual(1);
    const reference = await singlePass(spec);
    expectSameScores(report.scores, reference.scores);
    expect(report.run.docs).toBe(reference.run.docs);
    expect(report.run.conflicts).toEqual([]);
  });
});
