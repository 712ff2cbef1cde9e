import { credentials, Server, type ChannelCredentials, type ChannelOptions } from '@grpc/grpc-js';
import { authenticatingInterceptor, serverCredentialsFor, type RefusedCall } from './security/serverAuthentication.js';
import { authenticatesCallers, type ServiceSecurity } from './security/serviceSecurity.js';

/** Every process's message limit, unless --max-message-mb says otherwise; one setting for the whole deployment. */
export const MAX_MESSAGE_ENV = 'EVALSHARD_MAX_MESSAGE_MB';

/**
 * The largest gRPC message a process sends or accepts. Partials of shards
 * with many distinct category scores and bootstrap replicates run to
 * megabytes, past gRPC's 4 MiB default; 64 MiB leaves room for those and
 * still refuses, from the length prefix and before buffering, a message
 * that would only exhaust memory.
 */
export function maxMessageBytes(megabytes: string | undefined = process.env[MAX_MESSAGE_ENV]): number {
  if (megabytes === undefined || megabytes === '') return 64 * 1024 * 1024;
  const value = Number(megabytes);
  if (!Number.isInteger(value) || value < 1 || value > 2047) {
    throw new Error(`${MAX_MESSAGE_ENV} / --max-message-mb: expected whole megabytes between 1 and 2047, got "${megabytes}"`);
  }
  return value * 1024 * 1024;
}

/**
 * Options both ends use. Keep-alives notice a peer that died mid-stream (a
 * SIGKILLed worker) within seconds.
 */
export const GRPC_CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.max_receive_message_length': maxMessageBytes(),
  'grpc.max_send_message_length': maxMessageBytes(),
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.max_pings_without_data': 0,
  'grpc.enable_retries': 0,
};

export const GRPC_SERVER_OPTIONS: ChannelOptions = {
  ...GRPC_CHANNEL_OPTIONS,
  'grpc.http2.min_ping_interval_without_data_ms': 5_000,
  'grpc.http2.min_time_between_pings_ms': 5_000,
};

export interface TlsFiles {
  /** PEM CA bundle that peers' certificates must chain to. */
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export function clientCredentials(tls?: TlsFiles): ChannelCredentials {
  if (tls === undefined) return credentials.createInsecure();
  return credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null);
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** Graceful shutdown, forced after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface GrpcServerOptions {
  security?: ServiceSecurity;
  /** Serve without authenticating callers; only for a network where every peer is trusted. */
  insecure?: boolean;
  maxMessageBytes?: number;
  /** A refused call, for the service's log. */
  onRefused?: (call: RefusedCall) => void;
}

/**
 * A gRPC server that, unless told it is on a trusted network, refuses to
 * start without a way to authenticate its callers and refuses every call
 * that does not authenticate.
 */
export async function startGrpcServer(
  register: (server: Server) => void,
  address: { host: string; port: number },
  options: GrpcServerOptions = {},
): Promise<RunningServer> {
  const security = options.security ?? {};
  if (!options.insecure && !authenticatesCallers(security)) {
    throw new Error(
      'refusing to serve without authentication: give --auth-token-file FILE (or set EVALSHARD_AUTH_TOKEN), ' +
        'or --tls-cert, --tls-key and --tls-ca for mutual TLS; --insecure serves anyone who can connect',
    );
  }
  const limit = options.maxMessageBytes ?? maxMessageBytes();
  const server = new Server({
    ...GRPC_SERVER_OPTIONS,
    'grpc.max_receive_message_length': limit,
    'grpc.max_send_message_length': limit,
    interceptors: authenticatesCallers(security) ? [authenticatingInterceptor(security, options.onRefused ?? (() => undefined))] : [],
  });
  register(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${address.host}:${address.port}`, serverCredentialsFor(security), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    );
  });
  return {
    server,
    port,
    stop: (graceMs = 5_000) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
