import { InterceptingCall, type ChannelCredentials, type ChannelOptions, type ClientOptions, type Interceptor } from '@grpc/grpc-js';
import { clientCredentials } from '../grpcChannel.js';
import type { ServiceSecurity } from './serviceSecurity.js';

/** Credentials and options for a client of an evalshard service: TLS if asked, the bearer token on every call. */
export function clientChannel(security: ServiceSecurity | undefined, options: ChannelOptions): { credentials: ChannelCredentials; options: ClientOptions } {
  const token = security?.token;
  return {
    credentials: clientCredentials(security?.tls),
    options: token === undefined ? { ...options } : { ...options, interceptors: [bearerToken(token)] },
  };
}

// Metadata, not call credentials: grpc-js attaches call credentials only to TLS channels, and the embedded stack talks plain TCP on loopback.
function bearerToken(token: string): Interceptor {
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set('authorization', `Bearer ${token}`);
        next(metadata, listener);
      },
    });
}
