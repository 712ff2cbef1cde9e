import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { InputError } from '@evalshard/scorer';

/** A managed Temporal service's API key, when no --temporal-api-key-file names one. */
export const TEMPORAL_API_KEY_ENV = 'EVALSHARD_TEMPORAL_API_KEY';

/** How a process reaches a Temporal service that wants TLS, a client certificate or an API key. */
export interface TemporalAccess {
  tls?: TLSConfig;
  apiKey?: string;
}

export interface TemporalAccessFlags {
  temporalTls?: boolean | undefined;
  temporalTlsCert?: string | undefined;
  temporalTlsKey?: string | undefined;
  temporalTlsCa?: string | undefined;
  temporalTlsServerName?: string | undefined;
  temporalApiKeyFile?: string | undefined;
}

/** The access the flags describe; an API key alone implies TLS, as managed services require. */
export function temporalAccessOf(flags: TemporalAccessFlags, env: NodeJS.ProcessEnv = process.env): TemporalAccess {
  const access: TemporalAccess = {};
  const apiKey = flags.temporalApiKeyFile === undefined ? env[TEMPORAL_API_KEY_ENV] : readSecret(flags.temporalApiKeyFile, '--temporal-api-key-file');
  if (apiKey !== undefined && apiKey !== '') access.apiKey = apiKey;
  if ((flags.temporalTlsCert === undefined) !== (flags.temporalTlsKey === undefined)) {
    throw new InputError('--temporal-tls-cert and --temporal-tls-key go together', {
      field: flags.temporalTlsCert === undefined ? '--temporal-tls-cert' : '--temporal-tls-key',
      code: 'BAD_FLAGS',
    });
  }
  const wantsTls =
    flags.temporalTls === true ||
    access.apiKey !== undefined ||
    [flags.temporalTlsCert, flags.temporalTlsCa, flags.temporalTlsServerName].some((value) => value !== undefined);
  if (!wantsTls) return access;
  const tls: TLSConfig = {};
  if (flags.temporalTlsServerName !== undefined) tls.serverNameOverride = flags.temporalTlsServerName;
  if (flags.temporalTlsCa !== undefined) tls.serverRootCACertificate = readPem(flags.temporalTlsCa, '--temporal-tls-ca');
  if (flags.temporalTlsCert !== undefined && flags.temporalTlsKey !== undefined) {
    tls.clientCertPair = { crt: readPem(flags.temporalTlsCert, '--temporal-tls-cert'), key: readPem(flags.temporalTlsKey, '--temporal-tls-key') };
  }
  access.tls = tls;
  return access;
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new InputError(`${flag} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { field: flag, file: path, code: 'BAD_FLAGS' });
  }
}

function readSecret(path: string, flag: string): string {
  return readPem(path, flag).toString('utf8').split('\n')[0]!.trim();
}
