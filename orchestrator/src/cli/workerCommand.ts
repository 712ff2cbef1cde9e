import { readTlsFiles } from '@evalshard/proto';
import { startTemporalWorker } from '../temporalWorker.js';

export interface WorkerCommandOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  gpuWorkers: string[];
  scorer: string;
  maxConcurrentShards?: number;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
}

/**
 * `evalshard worker`: a Temporal worker process for a cluster. It runs the
 * workflows and the shard activities, calling the listed GPU workers and the
 * scorer; run as many as you like against the same task queue.
 */
export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  const running = await startTemporalWorker({
    temporalAddress: options.temporalAddress,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workerAddresses: options.gpuWorkers,
    scorerAddress: options.scorer,
    maxConcurrentShards: options.maxConcurrentShards,
    tls: readTlsFiles({ cert: options.tlsCert, key: options.tlsKey, ca: options.tlsCa }),
  });
  process.stderr.write(
    `evalshard worker polling ${options.taskQueue} on ${options.temporalAddress} ` +
      `(${options.gpuWorkers.length} GPU workers, scorer ${options.scorer})\n`,
  );
  const stop = () => void running.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await running.done;
  return 0;
}
