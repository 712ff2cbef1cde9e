import { startGrpcServer, ScorerServiceService, type RunningServer, type TlsFiles } from '@evalshard/proto';
import { PartialStore } from './partialStore.js';
import { createScorerService, type ScorerServiceEvents } from './scorerService.js';

export interface ScorerServerOptions {
  host: string;
  port: number;
  databasePath: string;
  tls?: TlsFiles;
  events?: ScorerServiceEvents;
}

export interface RunningScorerServer extends RunningServer {
  readonly store: PartialStore;
}

export async function startScorerServer(options: ScorerServerOptions): Promise<RunningScorerServer> {
  const store = new PartialStore(options.databasePath);
  const running = await startGrpcServer(
    (server) => server.addService(ScorerServiceService, createScorerService(store, options.events)),
    { host: options.host, port: options.port },
    options.tls,
  );
  return {
    ...running,
    store,
    stop: async (graceMs) => {
      await running.stop(graceMs);
      store.close();
    },
  };
}
