import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { readServiceSecurity, type SecurityFlags } from '@evalshard/proto';
import { InputError } from '@evalshard/scorer';
import { temporalAccessOf, type TemporalAccessFlags } from '../temporal/temporalAccess.js';
import { DEFAULT_TASK_QUEUE } from '../defaultTaskQueue.js';
import { ScorerClient } from '../grpc/scorerClient.js';
import { readStackInfo } from '../stack/stackFile.js';

/** Where the control commands (schedule, runs, show, status, cancel, compare) find the deployment. */
export interface ControlOptions extends SecurityFlags, TemporalAccessFlags {
  stateDir: string;
  temporalAddress?: string;
  namespace: string;
  taskQueue?: string;
  scorer?: string;
  temporalUi?: string;
}

export interface Control {
  namespace: string;
  taskQueue: string;
  uiUrl: string | null;
  scorer(): ScorerClient;
  temporal(): Promise<Client>;
  close(): Promise<void>;
}

/**
 * The flags name a cluster (--temporal-address, --scorer); otherwise the
 * `evalshard up` running in the state directory serves. Connections open
 * on first use, so a command that needs only history needs only the scorer.
 */
export function connectControl(options: ControlOptions): Control {
  const up = readStackInfo(options.stateDir);
  const temporalAddress = options.temporalAddress ?? process.env.EVALSHARD_TEMPORAL_ADDRESS ?? up?.temporalAddress;
  const scorerAddress = options.scorer ?? process.env.EVALSHARD_SCORER_ADDRESS ?? up?.scorerAddress;
  const missing = (what: string, flag: string) =>
    new InputError(
      `no ${what}: no evalshard up is running in ${resolve(options.stateDir)} (start one with \`evalshard up\`, ` +
        `or name the state directory with --state-dir), and ${flag} was not given for a cluster`,
      { field: flag, code: 'NO_STACK' },
    );
  // The stack's own token when the scorer is the stack's; a cluster's from the flags or the environment.
  const scorerIsUp = options.scorer === undefined && process.env.EVALSHARD_SCORER_ADDRESS === undefined && up !== undefined;
  const security = scorerIsUp ? { token: up.authToken } : readServiceSecurity(options);
  const temporalIsUp = options.temporalAddress === undefined && process.env.EVALSHARD_TEMPORAL_ADDRESS === undefined;
  const temporalAccess = temporalIsUp ? {} : temporalAccessOf(options);
  let scorer: ScorerClient | undefined;
  let connection: Promise<Connection> | undefined;
  return {
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? up?.taskQueue ?? DEFAULT_TASK_QUEUE,
    uiUrl: options.temporalUi ?? process.env.EVALSHARD_TEMPORAL_UI ?? up?.uiUrl ?? null,
    scorer() {
      if (scorerAddress === undefined) throw missing('scorer service', '--scorer');
      scorer ??= new ScorerClient(scorerAddress, security);
      return scorer;
    },
    async temporal() {
      if (temporalAddress === undefined) throw missing('Temporal server', '--temporal-address');
      connection ??= Connection.connect({ address: temporalAddress, connectTimeout: 10_000, ...temporalAccess });
      return new Client({ connection: await connection, namespace: options.namespace });
    },
    async close() {
      scorer?.close();
      if (connection !== undefined) await (await connection.catch(() => undefined))?.close();
    },
  };
}
