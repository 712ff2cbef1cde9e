import { startGrpcServer, WorkerServiceService, type GrpcServerOptions, type RunningServer } from '@evalshard/proto';
import { ShardEngine } from '../engine/shardEngine.js';
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
  const engine = ShardEngine.start({
    workerId: options.workerId,
    runtime: options.runtime,
    maxLoadedModels: options.maxLoadedModels,
    simulateMsPerDoc: options.simulateMsPerDoc,
  });
  let running: RunningServer;
  try {
    running = await startGrpcServer(
      (server) =>
        server.addService(
          WorkerServiceService,
          createWorkerService({ workerId: options.workerId, engine, concurrency: options.concurrency, dataRoots: options.dataRoots }),
        ),
      { host: options.host, port: options.port },
      options.server,
    );
  } catch (error) {
    await engine.close();
    throw error;
  }
  return {
    ...running,
    stop: async (graceMs) => {
      await running.stop(graceMs);
      await engine.close();
    },
  };
}
