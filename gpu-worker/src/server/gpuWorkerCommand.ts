import { parseArgs } from 'node:util';
import { readTlsFiles, serveUntilSignalled } from '@evalshard/proto';
import { defaultWorkerId } from './workerService.js';
import { startWorkerServer } from './startWorkerServer.js';

export const GPU_WORKER_USAGE = `usage: evalshard gpu-worker [--host 127.0.0.1] [--port 0] [--id NAME]
                           [--execution-providers cuda,cpu] [--intra-op-threads N]
                           [--max-loaded-models 1] [--concurrency 1]
                           [--tls-cert FILE --tls-key FILE [--tls-ca FILE]]`;

/** A GPU worker process; prints one JSON line with its port when ready. */
export async function gpuWorkerCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      id: { type: 'string' },
      'execution-providers': { type: 'string', default: process.env.EVALSHARD_EXECUTION_PROVIDERS ?? 'cpu' },
      'intra-op-threads': { type: 'string', default: '0' },
      'max-loaded-models': { type: 'string', default: '1' },
      concurrency: { type: 'string', default: '1' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-ca': { type: 'string' },
      supervised: { type: 'boolean', default: false },
    },
  });
  const workerId = values.id ?? defaultWorkerId();
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
    tls: readTlsFiles({ cert: values['tls-cert'], key: values['tls-key'], ca: values['tls-ca'] }),
  });
  console.log(JSON.stringify({ event: 'listening', service: 'gpu-worker', id: workerId, host: values.host, port: server.port }));
  serveUntilSignalled(server, { supervised: values.supervised });
}
