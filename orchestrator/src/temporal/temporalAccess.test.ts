import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '@evalshard/scorer';
import { temporalAccessOf } from './temporalAccess.js';

const dir = mkdtempSync(join(tmpdir(), 'temporal-access-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('temporalAccessOf', () => {
  it('asks for nothing without flags or environment', () => {
    expect(temporalAccessOf({}, {})).toEqual({});
  });

  it('reads an API key from its file or the environment, and an API key implies TLS', () => {
    expect(temporalAccessOf({ temporalApiKeyFile: file('key', 'secret-key\n') }, {})).toEqual({ apiKey: 'secret-key', tls: {} });
    expect(temporalAccessOf({}, { EVALSHARD_TEMPORAL_API_KEY: 'from-env' })).toEqual({ apiKey: 'from-env', tls: {} });
  });

  it('builds the TLS settings from the certificate flags', () => {
    const access = temporalAccessOf(
      { temporalTlsCert: file('c.pem', 'CERT'), temporalTlsKey: file('k.pem', 'KEY'), temporalTlsCa: file('ca.pem', 'CA'), temporalTlsServerName: 'temporal.internal' },
      {},
    );
    expect(access.tls?.serverNameOverride).toBe('temporal.internal');
    expect(Buffer.from(access.tls!.serverRootCACertificate!).toString()).toBe('CA');
    expect(Buffer.from(access.tls!.clientCertPair!.crt).toString()).toBe('CERT');
    expect(Buffer.from(access.tls!.clientCertPair!.key).toString()).toBe('KEY');
    expect(temporalAccessOf({ temporalTls: true }, {})).toEqual({ tls: {} });
  });

  it('names the flag of a missing file or a certificate without its key', () => {
    expect(() => temporalAccessOf({ temporalTlsCa: join(dir, 'missing.pem') }, {})).toThrow(/--temporal-tls-ca .*missing\.pem: cannot read it \(ENOENT\)/);
    try {
      temporalAccessOf({ temporalTlsCert: file('only.pem', 'CERT') }, {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).field).toBe('--temporal-tls-key');
    }
  });
});
