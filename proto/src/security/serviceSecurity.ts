import { readFileSync } from 'node:fs';
import type { TlsFiles } from '../grpcChannel.js';
import { readTlsFiles } from '../tlsFiles.js';

/** The bearer token every evalshard process of a deployment shares, when no --auth-token-file names one. */
export const AUTH_TOKEN_ENV = 'EVALSHARD_AUTH_TOKEN';

/**
 * How a process proves itself to evalshard's services (as a client) and how
 * a service checks its callers: mutual TLS (a CA the peers' certificates
 * chain to), a shared bearer token, or both.
 */
export interface ServiceSecurity {
  tls?: TlsFiles;
  token?: string;
}

export interface SecurityFlags {
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  tlsCa?: string | undefined;
  authTokenFile?: string | undefined;
}

/** The security a command line asks for; the token from --auth-token-file, else from the environment. */
export function readServiceSecurity(flags: SecurityFlags, env: NodeJS.ProcessEnv = process.env): ServiceSecurity {
  const security: ServiceSecurity = {};
  const tls = readTlsFiles({ cert: flags.tlsCert, key: flags.tlsKey, ca: flags.tlsCa });
  if (tls !== undefined) security.tls = tls;
  const token = flags.authTokenFile === undefined ? env[AUTH_TOKEN_ENV] : readTokenFile(flags.authTokenFile);
  if (token !== undefined && token !== '') security.token = token;
  return security;
}

/** A token file's first line, without surrounding whitespace. */
export function readTokenFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`--auth-token-file ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const token = text.split('\n')[0]!.trim();
  if (token.length < 16) throw new Error(`--auth-token-file ${path}: the token must be at least 16 characters (make one with: openssl rand -hex 32)`);
  return token;
}

/** Whether a service with this security authenticates its callers. */
export function authenticatesCallers(security: ServiceSecurity): boolean {
  return security.token !== undefined || isMutualTls(security);
}

export function isMutualTls(security: ServiceSecurity): boolean {
  return security.tls?.ca !== undefined && security.tls.cert !== undefined && security.tls.key !== undefined;
}
