import { startGrpcServer, WorkerServiceService, type GrpcServerOptions, type RunningServer } from '@evalshard/proto';
import { ModelCache } from '../bundle/modelCache.js';
import type { RuntimeOptions } from '../bundle/modelBundle.js';
import type { DataRoots } from './dataRoots.js';
import { createWorkerService } from './workerService.js';

export interface WorkerServerOptions {
  host: string;
  port: number;
  workerId: string;
  runtime: RuntimeOptions;
  maxLoadedModels: number;
  concurrency: number;
  dataRoots: DataRoots;
  /** Benchmark-only: no inference, this many milliseconds a document. */
  simulateMsPerDoc?: number;
  /** Authentication and limits. */
  server: GrpcServerOptions;
}

export async function startWorkerServer(options: WorkerServerOptions): Promise<RunningServer> {
  const models = new ModelCache(options.runtime, options.maxLoadedModels);
  const running = await startGrpcServer(
    (server) =>
      server.addService(
        WorkerServiceService,
        createWorkerService({ workerId: options.workerId, models, concurrency: options.concurrency, dataRoots: options.dataRoots, simulateMsPerDoc: options.simulateMsPerDoc }),
      ),
    { host: options.host, port: options.port },
    options.server,
  );
  return {
    ...running,
    stop: async (graceMs) => {
      await running.stop(graceMs);
      await models.close();
    },
  };
}
