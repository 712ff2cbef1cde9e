import { statSync } from 'node:fs';
import { join } from 'node:path';
import { BadRecordPolicy, clientCredentials, WorkerServiceClient, type ShardResult } from '@evalshard/proto';
import { gpuWorkerArgv, gpuWorkerEnv } from '@evalshard/gpu-worker';
import { encodeScorerOptions } from '@evalshard/scorer';
import { streamShard, SupervisedProcess } from '@evalshard/orchestrator';

export interface BenchWorker {
  client: WorkerServiceClient;
  pid: number;
  stop(): Promise<void>;
}

/** A GPU worker process for a benchmark, one inference thread; `env` e.g. caps its tokenizer threads. */
export async function startBenchWorker(dir: string, name: string, env: NodeJS.ProcessEnv = process.env): Promise<BenchWorker> {
  const worker = new SupervisedProcess({
    name,
    command: process.execPath,
    args: (port) => gpuWorkerArgv(['--port', String(port), '--intra-op-threads', '1', '--insecure']),
    env: gpuWorkerEnv(env),
    logFile: join(dir, `${name}.log`),
    restart: false,
  });
  const client = new WorkerServiceClient(`127.0.0.1:${await worker.start()}`, clientCredentials());
  return {
    client,
    pid: worker.pid!,
    async stop() {
      client.close();
      await worker.stop();
    },
  };
}

/** One shard holding a whole text-classification corpus (demo labels), evaluated over gRPC. */
export function evaluateWholeCorpus(
  client: WorkerServiceClient,
  shard: {
    runId: string;
    modelDir: string;
    modelDigest: string;
    labels: string[];
    corpus: string;
    batch: { maxDocs: number; maxTokens: number };
    batching: 'fixed' | 'dynamic';
    deadlineMs: number;
  },
): Promise<ShardResult> {
  return streamShard(
    client,
    {
      runId: shard.runId,
      shardIndex: 0,
      modelPath: shard.modelDir,
      digests: { model: shard.modelDigest, corpus: '', scorer: '' },
      range: { path: shard.corpus, start: 0, end: statSync(shard.corpus).size },
      scorer: encodeScorerOptions({
        textcat: { labels: shard.labels, multiLabel: false, threshold: null, positiveLabel: 'spam', macroSummation: 'compensated' },
      }),
      batch: { ...shard.batch, maxSequenceLength: 0 },
      onBadRecord: BadRecordPolicy.BAD_RECORD_POLICY_FAIL,
      maxListedSkips: 0,
      batching: shard.batching,
      tokenTask: undefined,
      savePredictions: '',
      maxRecordBytes: 0,
    },
    { deadlineMs: shard.deadlineMs },
  );
}
