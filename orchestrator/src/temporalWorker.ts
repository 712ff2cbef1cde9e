import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import type { TlsFiles } from '@evalshard/proto';
import { createActivities } from './activities/createActivities.js';
import { ScorerClient } from './grpc/scorerClient.js';
import { WorkerPool } from './grpc/workerPool.js';

export const DEFAULT_TASK_QUEUE = 'evalshard';
const WORKFLOW_BUNDLE = fileURLToPath(new URL('./workflow-bundle.js', import.meta.url));
const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.js', import.meta.url));

export interface TemporalWorkerOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /** GPU worker addresses (host:port) the activities call. */
  workerAddresses: string[];
  scorerAddress: string;
  tls?: TlsFiles;
  /** Shard activities at once in this process; defaults to the number of GPU workers. */
  maxConcurrentShards?: number;
}

export interface RunningTemporalWorker {
  worker: Worker;
  /** Settles when the worker has shut down. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

let runtimeInstalled = false;

/** Quiet Temporal's own logging to warnings; call before anything Temporal. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
    // The command line decides what an interrupt stops, and in which order.
    shutdownSignals: [],
  });
}

/** A Temporal worker that runs evalshard's workflows and activities. */
export async function startTemporalWorker(options: TemporalWorkerOptions): Promise<RunningTemporalWorker> {
  installQuietRuntime();
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const workers = new WorkerPool(options.workerAddresses, options.tls);
  const scorer = new ScorerClient(options.scorerAddress, options.tls);
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    // Bundled once at build time; a source checkout without a build bundles here.
    ...(existsSync(WORKFLOW_BUNDLE) ? { workflowBundle: { codePath: WORKFLOW_BUNDLE } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ workers, scorer }),
    maxConcurrentActivityTaskExecutions: Math.max(4, (options.maxConcurrentShards ?? workers.size) + 2),
  });
  const done = worker.run().finally(async () => {
    workers.close();
    scorer.close();
    await connection.close();
  });
  return {
    worker,
    done,
    shutdown: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
