import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata } from '@grpc/grpc-js';
import { BadRecordPolicy, clientCredentials, EvaluateShardRequest, WorkerServiceClient } from '@evalshard/proto';
import { streamShard } from '@evalshard/orchestrator';
import { encodeScorerOptions } from '@evalshard/scorer';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/corpora.js';
import { DEMO_CORPUS, repoPath } from '../helpers/paths.js';
import { startService, stopServices } from '../helpers/serviceProcess.js';

afterAll(stopServices);

const MODEL = repoPath('examples/transformers/spam/model');
const DOCS = 400;

function healthLatency(client: WorkerServiceClient): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    client.health({}, new Metadata(), { deadline: Date.now() + 30_000 }, (error) => (error ? reject(error) : resolve(performance.now() - started))),
  );
}

// onnxruntime-node runs a model call on the thread that calls it: on the thread serving gRPC, a
// long call would hold every health check, progress write and keep-alive ping until it returned.
describe('a GPU worker in the middle of a long model call', () => {
  it('answers health checks and keeps its shard stream alive meanwhile', async () => {
    const dir = scratchDir();
    const corpus = join(dir, 'spam-400.jsonl');
    writeFileSync(corpus, readFileSync(DEMO_CORPUS, 'utf8').split('\n').slice(0, DOCS).join('\n').concat('\n'));
    const worker = await startService(['gpu-worker', '--port', '0', '--intra-op-threads', '1', '--insecure']);
    const client = new WorkerServiceClient(`127.0.0.1:${worker.port}`, clientCredentials());
    await healthLatency(client);

    const request = EvaluateShardRequest.fromPartial({
      runId: 'responsive',
      modelPath: MODEL,
      range: { path: corpus, start: 0, end: statSync(corpus).size },
      scorer: encodeScorerOptions({
        textcat: { labels: ['ham', 'spam'], multiLabel: false, threshold: null, positiveLabel: 'spam', macroSummation: 'compensated' },
      }),
      // Every document in one model call.
      batch: { maxDocs: DOCS, maxTokens: DOCS * 256, maxSequenceLength: 0 },
      batching: 'dynamic',
      onBadRecord: BadRecordPolicy.BAD_RECORD_POLICY_FAIL,
    });
    const latencies: number[] = [];
    let done = false;
    const polling = (async () => {
      while (!done) {
        latencies.push(await healthLatency(client));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    // A worker silent for 1.5 s counts as hung: its once-a-second alive pings must keep coming through the call.
    const result = await streamShard(client, request, { deadlineMs: 120_000, stallMs: 1_500 }).finally(() => {
      done = true;
    });
    await polling;
    client.close();

    expect(result.partial?.docs).toBe(DOCS);
    const stats = result.stats!;
    console.log(
      `one model call of ${stats.inferenceMs} ms (batches: ${stats.batches}); ${latencies.length} health checks meanwhile, ` +
        `slowest ${Math.max(...latencies).toFixed(0)} ms`,
    );
    // The test means something only if one call held a thread for longer than the bounds below.
    expect(stats.batches).toBe(1);
    expect(stats.inferenceMs).toBeGreaterThan(1_500);
    expect(latencies.length).toBeGreaterThan(stats.inferenceMs / 400);
    expect(Math.max(...latencies)).toBeLessThan(400);
  });
});
