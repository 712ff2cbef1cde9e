import { join } from 'node:path';
import { AUTH_TOKEN_ENV } from '@evalshard/proto';
import { gpuWorkerArgv, gpuWorkerEnv } from '@evalshard/gpu-worker';
import { SCORER_MAIN_PATH } from '@evalshard/scorer';
import type { Client } from '@temporalio/client';
import { installQuietRuntime, startTemporalDevServer, SupervisedProcess, workflowIdFor } from '@evalshard/orchestrator';

export const BENCH_TOKEN = 'bench-token-0123456789abcdef';

export interface BenchCluster {
  temporalAddress: string;
  scorerAddress: string;
  /** GPU worker processes on this machine; `env` e.g. simulates the model. */
  startGpuWorkers(ids: number[], options: { concurrency: number; env?: Record<string, string> }): Promise<{ addresses: string[]; stop(): Promise<void> }>;
}

/**
 * What the orchestration benchmarks run against: a Temporal dev server, a
 * scorer and GPU workers as processes, with token authentication; each
 * started part adds its stop to `cleanup`.
 */
export async function startBenchCluster(dir: string, cleanup: Array<() => Promise<unknown>>): Promise<BenchCluster> {
  installQuietRuntime({ logFile: join(dir, 'temporal-worker.log') });
  const temporal = await startTemporalDevServer({ dbFile: join(dir, 'temporal.sqlite'), logFile: join(dir, 'temporal.log') });
  cleanup.push(() => temporal.stop());
  const env = { ...process.env, [AUTH_TOKEN_ENV]: BENCH_TOKEN };
  const scorer = new SupervisedProcess({
    name: 'scorer', command: process.execPath, env, logFile: join(dir, 'scorer.log'), restart: false,
    args: (port) => [SCORER_MAIN_PATH, '--port', String(port), '--db', join(dir, 'scorer.sqlite')],
  });
  const scorerAddress = `127.0.0.1:${await scorer.start()}`;
  cleanup.push(() => scorer.stop());
  return {
    temporalAddress: temporal.address,
    scorerAddress,
    async startGpuWorkers(ids, options) {
      const workers = ids.map(
        (i) =>
          new SupervisedProcess({
            name: `gpu-worker-${i}`, command: process.execPath, env: gpuWorkerEnv({ ...env, ...options.env }), logFile: join(dir, `gpu-worker-${i}.log`), restart: false,
            args: (port) => gpuWorkerArgv(['--port', String(port), '--concurrency', String(options.concurrency), '--intra-op-threads', '1']),
          }),
      );
      const addresses = (await Promise.all(workers.map((worker) => worker.start()))).map((port) => `127.0.0.1:${port}`);
      const stop = async () => void (await Promise.all(workers.map((worker) => worker.stop())));
      cleanup.push(stop);
      return { addresses, stop };
    },
  };
}

/** Events in the longest history among a run's workflow and its child windows. */
export async function largestHistory(client: Client, runId: string): Promise<number> {
  const parent = workflowIdFor(runId);
  let largest = 0;
  for await (const execution of client.workflow.list({ query: `WorkflowId = "${parent}" OR WorkflowId STARTS_WITH "${parent}/"` })) {
    largest = Math.max(largest, execution.historyLength ?? 0);
  }
  return largest;
}
