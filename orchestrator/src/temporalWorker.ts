import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { boundHeapGrowth, type ServiceSecurity } from '@evalshard/proto';
import type { TemporalAccess } from './temporal/temporalAccess.js';
import { createActivities } from './activities/createActivities.js';
import { ScorerClient } from './grpc/scorerClient.js';
import { WorkerPool } from './grpc/workerPool.js';

export { DEFAULT_TASK_QUEUE } from './defaultTaskQueue.js';
const WORKFLOW_BUNDLE = fileURLToPath(new URL('./workflow-bundle.js', import.meta.url));
const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.js', import.meta.url));

export interface TemporalWorkerOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /** GPU worker addresses (host:port) the activities call. */
  workerAddresses: string[];
  scorerAddress: string;
  /** TLS or an API key for the Temporal service. */
  temporalAccess?: TemporalAccess;
  /** How the activities authenticate to the GPU workers and the scorer. */
  security?: ServiceSecurity;
  /** Shards evaluating at once through this process (each may have one prefetched behind it); defaults to the number of GPU workers. */
  maxConcurrentShards?: number;
}

export interface RunningTemporalWorker {
  worker: Worker;
  /** Settles when the worker has shut down. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

let runtimeInstalled = false;

/**
 * Temporal's own logging at warnings and above, to stderr or to `logFile`
 * (the command line keeps its terminal for progress). Call before anything
 * Temporal; later calls change nothing.
 */
export function installQuietRuntime(options: { logFile?: string } = {}): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const { logFile } = options;
  if (logFile !== undefined) mkdirSync(dirname(logFile), { recursive: true });
  const logger =
    logFile === undefined
      ? new DefaultLogger('WARN')
      : new DefaultLogger('WARN', (entry) =>
          appendFileSync(
            logFile,
            `${new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString()} ${entry.level} ${entry.message} ${safeJson(entry.meta)}\n`,
          ),
        );
  Runtime.install({
    logger,
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
    // The command line decides what an interrupt stops, and in which order.
    shutdownSignals: [],
  });
}

/** A Temporal worker that runs evalshard's workflows and activities. */
export async function startTemporalWorker(options: TemporalWorkerOptions): Promise<RunningTemporalWorker> {
  installQuietRuntime();
  // A long run must not grow the heap; a launcher that passed the flags already has them.
  boundHeapGrowth();
  const connection = await NativeConnection.connect({ address: options.temporalAddress, ...options.temporalAccess });
  const workers = new WorkerPool(options.workerAddresses, options.security);
  const scorer = new ScorerClient(options.scorerAddress, options.security);
  const slots = activitySlots(options.maxConcurrentShards ?? workers.size);
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    // Bundled once at build time; a source checkout without a build bundles here.
    ...(existsSync(WORKFLOW_BUNDLE) ? { workflowBundle: { codePath: WORKFLOW_BUNDLE } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ workers, scorer }),
    maxConcurrentActivityTaskExecutions: slots,
    // A run's first workflow task schedules a whole window of shards: handed to this worker with
    // its completion, they start at once instead of one poll at a time.
    maxEagerActivityReservationsPerWorkflowTask: slots,
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

/**
 * Each shard evaluating may have one prefetched shard waiting behind it (the
 * default prefetch), and a finished shard holds its slot until the server has
 * its result while its successor may already have been handed here eagerly.
 */
function activitySlots(shards: number): number {
  return Math.max(4, 2 * shards + Math.max(2, Math.ceil(shards / 4)));
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item: unknown) => (item instanceof Error ? { message: item.message, stack: item.stack } : item));
  } catch {
    return String(value);
  }
}
