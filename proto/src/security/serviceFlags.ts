import type { GrpcServerOptions } from '../grpcChannel.js';
import { maxMessageBytes } from '../grpcChannel.js';
import { readServiceSecurity } from './serviceSecurity.js';

/** The address, security and limit flags every evalshard service takes, for node:util parseArgs. */
export const SERVICE_FLAG_OPTIONS = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '0' },
  supervised: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-ca': { type: 'string' },
  'auth-token-file': { type: 'string' },
  insecure: { type: 'boolean', default: false },
  'max-message-mb': { type: 'string' },
} as const;

export const SERVICE_FLAGS_USAGE = `[--auth-token-file FILE] [--tls-cert FILE --tls-key FILE [--tls-ca FILE]]
  [--insecure] [--max-message-mb 64]
  Callers must authenticate: with the bearer token (--auth-token-file, or EVALSHARD_AUTH_TOKEN),
  with a client certificate from the CA (--tls-ca, mutual TLS), or both. --insecure turns that off.`;

interface ServiceFlagValues {
  'tls-cert'?: string | undefined;
  'tls-key'?: string | undefined;
  'tls-ca'?: string | undefined;
  'auth-token-file'?: string | undefined;
  insecure?: boolean | undefined;
  'max-message-mb'?: string | undefined;
}

/** What the flags ask of the gRPC server; refused calls are logged to stderr, without payload. */
export function serviceServerOptions(values: ServiceFlagValues, service: string): GrpcServerOptions {
  return {
    security: readServiceSecurity({
      tlsCert: values['tls-cert'],
      tlsKey: values['tls-key'],
      tlsCa: values['tls-ca'],
      authTokenFile: values['auth-token-file'],
    }),
    insecure: values.insecure ?? false,
    maxMessageBytes: maxMessageBytes(values['max-message-mb']),
    onRefused: (call) => console.error(`${service}: refused ${call.method} from ${call.peer}: ${call.reason}`),
  };
}

/** Runs a service's start-up; a bad flag or file ends the process with exit code 2 and one line. */
export async function startService(service: string, start: () => Promise<void>): Promise<void> {
  try {
    await start();
  } catch (error) {
    console.error(`evalshard ${service}: ${(error as Error).message}`);
    process.exit(2);
  }
}
