import { readServiceSecurity } from '@evalshard/proto';
import { temporalAccessOf, type TemporalAccessFlags } from '../temporal/temporalAccess.js';
import { startTemporalWorker } from '../temporalWorker.js';
import { probeServices } from './probeServices.js';

export interface WorkerCommandOptions extends TemporalAccessFlags {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  gpuWorkers: string[];
  scorer: string;
  maxConcurrentShards?: number;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  authTokenFile?: string;
}

/**
 * `evalshard worker`: a Temporal worker process for a cluster. It runs the
 * workflows and the shard activities, calling the listed GPU workers and the
 * scorer; run as many as you like against the same task queue.
 */
export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  const security = readServiceSecurity({ tlsCert: options.tlsCert, tlsKey: options.tlsKey, tlsCa: options.tlsCa, authTokenFile: options.authTokenFile });
  for (const service of await probeServices(options.scorer, options.gpuWorkers, security)) {
    process.stderr.write(`evalshard worker: ${service} does not answer yet; shards wait for it\n`);
  }
  const running = await startTemporalWorker({
    temporalAddress: options.temporalAddress,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workerAddresses: options.gpuWorkers,
    scorerAddress: options.scorer,
    maxConcurrentShards: options.maxConcurrentShards,
    security,
    temporalAccess: temporalAccessOf(options),
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
