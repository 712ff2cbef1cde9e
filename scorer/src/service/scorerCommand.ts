import { parseArgs } from 'node:util';
import { SERVICE_FLAG_OPTIONS, SERVICE_FLAGS_USAGE, serveUntilSignalled, serviceServerOptions, startService } from '@evalshard/proto';
import { startScorerServer } from './startScorerServer.js';

export const SCORER_USAGE = `usage: evalshard scorer [--host 127.0.0.1] [--port 0] [--db .evalshard/scorer.sqlite]
  ${SERVICE_FLAGS_USAGE}`;

/** The scorer service process; prints one JSON line with its port when ready. */
export async function scorerCommand(argv: string[]): Promise<void> {
  await startService('scorer', async () => {
    const { values } = parseArgs({
      args: argv,
      options: {
        db: { type: 'string', default: '.evalshard/scorer.sqlite' },
        ...SERVICE_FLAG_OPTIONS,
      },
    });
    if (values.help) {
      console.log(SCORER_USAGE);
      process.exit(0);
    }
    const server = await startScorerServer({
      host: values.host,
      port: Number(values.port),
      databasePath: values.db,
      server: serviceServerOptions(values, 'scorer'),
      events: {
        onConflict: (runId, shard, stored, rejected) =>
          console.error(`run ${runId} shard ${shard}: kept ${stored.slice(0, 12)}, rejected a differing ${rejected.slice(0, 12)}`),
        onStorageFailure: (method, error) =>
          console.error(`scorer: ${method} failed, the database cannot be written: ${(error as Error).message} (${String((error as { code?: string }).code)})`),
        onBlockFoldFailed: (runId, shard, error) =>
          console.error(`run ${runId}: merging the block of shard ${shard} ahead failed (finalize merges it instead): ${String(error)}`),
      },
    });
    console.log(JSON.stringify({ event: 'listening', service: 'scorer', host: values.host, port: server.port }));
    serveUntilSignalled(server, { supervised: values.supervised });
  });
}
