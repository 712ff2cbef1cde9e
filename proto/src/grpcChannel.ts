import { credentials, Server, ServerCredentials, type ChannelCredentials, type ChannelOptions } from '@grpc/grpc-js';

/**
 * Options both ends use. Partials of shards with many distinct category
 * scores run to megabytes, past gRPC's 4 MiB default; keep-alives notice a
 * peer that died mid-stream (a SIGKILLed worker) within seconds.
 */
export const GRPC_CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.max_receive_message_length': 512 * 1024 * 1024,
  'grpc.max_send_message_length': 512 * 1024 * 1024,
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

export function serverCredentials(tls?: TlsFiles): ServerCredentials {
  if (tls?.cert === undefined || tls.key === undefined) return ServerCredentials.createInsecure();
  // With a CA the server asks for and checks client certificates (mutual TLS).
  return ServerCredentials.createSsl(tls.ca ?? null, [{ cert_chain: tls.cert, private_key: tls.key }], tls.ca !== undefined);
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** Graceful shutdown, forced after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export async function startGrpcServer(
  register: (server: Server) => void,
  address: { host: string; port: number },
  tls?: TlsFiles,
): Promise<RunningServer> {
  const server = new Server(GRPC_SERVER_OPTIONS);
  register(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${address.host}:${address.port}`, serverCredentials(tls), (error, boundPort) =>
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
