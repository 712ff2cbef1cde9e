#!/usr/bin/env node
// A GPU worker process: `evalshard-gpu-worker --port 7401 --execution-providers cuda,cpu`.
import { parseArgs } from 'node:util';
import { readTlsFiles } from '@evalshard/proto';
import { defaultWorkerId } from './server/workerService.js';
import { startWorkerServer } from './server/startWorkerServer.js';

const { values } = parseArgs({
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
// The supervisor reads this line to learn the port.
console.log(JSON.stringify({ event: 'listening', service: 'gpu-worker', id: workerId, host: values.host, port: server.port }));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void server.stop(2_000).then(() => process.exit(0));
  });
}
