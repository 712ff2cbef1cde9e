import { startGrpcServer, ScorerServiceService, type GrpcServerOptions, type RunningServer } from '@evalshard/proto';
import { RunHistory } from '../history/runHistory.js';
import { PartialStore } from './partialStore.js';
import { createScorerService, type ScorerServiceEvents } from './scorerService.js';

export interface ScorerServerOptions {
  host: string;
  port: number;
  databasePath: string;
  /** Authentication and limits. */
  server: GrpcServerOptions;
  events?: ScorerServiceEvents;
}

export interface RunningScorerServer extends RunningServer {
  readonly store: PartialStore;
  readonly history: RunHistory;
}

export async function startScorerServer(options: ScorerServerOptions): Promise<RunningScorerServer> {
  const store = new PartialStore(options.databasePath);
  const history = new RunHistory(options.databasePath);
  const running = await startGrpcServer(
    (server) => server.addService(ScorerServiceService, createScorerService(store, history, options.events)),
    { host: options.host, port: options.port },
    options.server,
  );
  return {
    ...running,
    store,
    history,
    stop: async (graceMs) => {
      await running.stop(graceMs);
      store.close();
      history.close();
    },
  };
}
