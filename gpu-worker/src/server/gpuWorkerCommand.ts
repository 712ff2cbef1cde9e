import { parseArgs } from 'node:util';
import { boundHeapGrowth, SERVICE_FLAG_OPTIONS, SERVICE_FLAGS_USAGE, serveUntilSignalled, serviceServerOptions, startService } from '@evalshard/proto';
import { DataRoots } from './dataRoots.js';
import { GPU_WORKER_NODE_FLAGS } from './workerLaunch.js';
import { SIMULATE_ENV } from '../engine/simulatedRange.js';
import { defaultWorkerId } from './workerService.js';
import { startWorkerServer } from './startWorkerServer.js';

export const GPU_WORKER_USAGE = `usage: evalshard gpu-worker [--host 127.0.0.1] [--port 0] [--id NAME]
  [--execution-providers cuda,cpu] [--intra-op-threads N] [--max-loaded-models 1] [--concurrency 1]
  [--data-root DIR]...   models, corpora and prediction folders must lie under one of these (symlinks resolved)
  ${SERVICE_FLAGS_USAGE}`;

/** A GPU worker process; prints one JSON line with its port when ready. */
export async function gpuWorkerCommand(argv: string[]): Promise<void> {
  boundHeapGrowth(GPU_WORKER_NODE_FLAGS);
  await startService('gpu-worker', async () => {
    const { values } = parseArgs({
      args: argv,
      options: {
        id: { type: 'string' },
        'execution-providers': { type: 'string', default: process.env.EVALSHARD_EXECUTION_PROVIDERS ?? 'cpu' },
        'intra-op-threads': { type: 'string', default: '0' },
        'max-loaded-models': { type: 'string', default: '1' },
        concurrency: { type: 'string', default: '1' },
        'data-root': { type: 'string', multiple: true, default: [] },
        ...SERVICE_FLAG_OPTIONS,
      },
    });
    if (values.help) {
      console.log(GPU_WORKER_USAGE);
      process.exit(0);
    }
    const workerId = values.id ?? defaultWorkerId();
    const simulated = process.env[SIMULATE_ENV];
    const simulateMsPerDoc = simulated === undefined || simulated === '' ? undefined : Number(simulated);
    if (simulateMsPerDoc !== undefined) {
      if (!(simulateMsPerDoc >= 0)) throw new Error(`${SIMULATE_ENV}: expected milliseconds, got "${simulated}"`);
      console.error(`gpu-worker ${workerId}: SIMULATING the model (${simulateMsPerDoc} ms a document, no scores): ${SIMULATE_ENV} is for benchmarks only`);
    }
    const server = await startWorkerServer({
      host: values.host,
      port: Number(values.port),
      workerId,
      runtime: {
        executionProviders: values['execution-providers'].split(',').map((name) => name.trim()).filter(Boolean),
        intraOpThreads: Number(values['intra-op-threads']),
      },
      maxLoadedModels: Number(values['max-loaded-models']),
      concurrency: Number(values.concurrency),
      dataRoots: new DataRoots(values['data-root']),
      simulateMsPerDoc,
      server: serviceServerOptions(values, 'gpu-worker'),
    });
    console.log(JSON.stringify({ event: 'listening', service: 'gpu-worker', id: workerId, host: values.host, port: server.port }));
    serveUntilSignalled(server, { supervised: values.supervised });
  });
}
