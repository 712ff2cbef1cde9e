#!/usr/bin/env node
// The scorer service process: `evalshard-scorer --port 7300 --db scorer.sqlite`.
import { parseArgs } from 'node:util';
import { readTlsFiles } from '@evalshard/proto';
import { startScorerServer } from './service/startScorerServer.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    db: { type: 'string', default: '.evalshard/scorer.sqlite' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-ca': { type: 'string' },
  },
});

const server = await startScorerServer({
  host: values.host,
  port: Number(values.port),
  databasePath: values.db,
  tls: readTlsFiles({ cert: values['tls-cert'], key: values['tls-key'], ca: values['tls-ca'] }),
  events: {
    onConflict: (runId, shard, stored, rejected) =>
      console.error(`run ${runId} shard ${shard}: kept ${stored.slice(0, 12)}, rejected conflicting ${rejected.slice(0, 12)}`),
  },
});
// The supervisor reads this line to learn the port.
console.log(JSON.stringify({ event: 'listening', service: 'scorer', host: values.host, port: server.port }));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void server.stop(2_000).then(() => process.exit(0));
  });
}
