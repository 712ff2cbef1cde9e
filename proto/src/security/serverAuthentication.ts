import { createHash, timingSafeEqual } from 'node:crypto';
import {
  experimental,
  ServerCredentials,
  ServerInterceptingCall,
  status,
  type ServerInterceptor,
} from '@grpc/grpc-js';
import { isMutualTls, type ServiceSecurity } from './serviceSecurity.js';

/** A call a service turned away; never carries the call's payload or credentials. */
export interface RefusedCall {
  method: string;
  peer: string;
  reason: string;
}

/**
 * Server credentials for the security. With a CA, the server asks for a
 * client certificate but does not end the handshake without one: the
 * authenticating interceptor refuses such calls with UNAUTHENTICATED, which
 * a client can tell apart from a service that is down.
 */
export function serverCredentialsFor(security: ServiceSecurity): ServerCredentials {
  const tls = security.tls;
  if (tls?.cert === undefined || tls.key === undefined) return ServerCredentials.createInsecure();
  if (!isMutualTls(security)) return ServerCredentials.createSsl(null, [{ cert_chain: tls.cert, private_key: tls.key }], false);
  const identity = staticCertificates({ identity: { certificate: tls.cert, privateKey: tls.key } });
  // grpc-js names the first parameter after the CA, but it is the identity provider.
  return experimental.createCertificateProviderServerCredentials(identity, staticCertificates({ ca: tls.ca! }), false);
}

/**
 * Refuses, with UNAUTHENTICATED and before any request message is read, a
 * call without the bearer token or, under mutual TLS, without a client
 * certificate that chains to the CA.
 */
export function authenticatingInterceptor(security: ServiceSecurity, onRefused: (call: RefusedCall) => void): ServerInterceptor {
  const expected = security.token === undefined ? undefined : digest(`Bearer ${security.token}`);
  const mutualTls = isMutualTls(security);
  return (method, call) =>
    new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            let reason: string | undefined;
            if (mutualTls && call.getAuthContext().sslPeerCertificate === undefined) {
              reason = 'no client certificate signed by the CA the service trusts';
            } else if (expected !== undefined) {
              const given = metadata.get('authorization')[0];
              if (typeof given !== 'string') reason = 'no bearer token';
              else if (!timingSafeEqual(digest(given), expected)) reason = 'wrong bearer token';
            }
            if (reason === undefined) {
              nextMetadata(metadata);
              return;
            }
            onRefused({ method: method.path, peer: call.getPeer(), reason });
            call.sendStatus({ code: status.UNAUTHENTICATED, details: `evalshard: ${reason}` });
          },
        }),
    });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

// Certificates held in memory, handed to grpc-js's certificate-provider credentials. They are
// announced on the next tick, as a provider that reads files would: grpc-js registers its
// watcher only after adding the listeners, and an announcement before that is lost.
function staticCertificates(held: {
  ca?: Buffer;
  identity?: { certificate: Buffer; privateKey: Buffer };
}): experimental.CertificateProvider {
  return {
    addCaCertificateListener: (listener) => setImmediate(() => listener(held.ca === undefined ? null : { caCertificate: held.ca })),
    removeCaCertificateListener: () => undefined,
    addIdentityCertificateListener: (listener) => setImmediate(() => listener(held.identity ?? null)),
    removeIdentityCertificateListener: () => undefined,
  };
}
