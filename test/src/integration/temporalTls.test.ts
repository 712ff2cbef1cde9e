import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cli } from '../helpers/cliProcess.js';
import { scratchDir } from '../helpers/corpora.js';
import { CLI, DEMO_SPEC, repoPath } from '../helpers/paths.js';
import { readJsonReport, expectSameScores } from '../helpers/sameScores.js';
import { startService, stopServices } from '../helpers/serviceProcess.js';
import { demoSpec, singlePass } from '../helpers/testStack.js';

// A Temporal service that wants mutual TLS, as a managed one does: the test's
// dev server behind a TLS terminator that requires a client certificate from
// the CA of infra/cluster/make-certs.sh. `evalshard worker` and `run` reach
// it with the --temporal-tls-* options.

let proxy: Server;
let address: string;
let dir: string;
let tlsFlags: string[];

beforeAll(async () => {
  dir = scratchDir();
  const certs = join(dir, 'tls');
  await promisify(execFile)(repoPath('infra/cluster/make-certs.sh'), [certs]);
  const [host, port] = inject('temporalAddress').split(':') as [string, string];
  proxy = createServer(
    {
      cert: readFileSync(join(certs, 'server.crt')),
      key: readFileSync(join(certs, 'server.key')),
      ca: readFileSync(join(certs, 'ca.crt')),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket) => {
      const upstream = connect(Number(port), host);
      socket.pipe(upstream).on('error', () => socket.destroy());
      upstream.pipe(socket).on('error', () => upstream.destroy());
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    },
  );
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(proxy.address() as { port: number }).port}`;
  tlsFlags = [
    '--temporal-tls-cert', join(certs, 'client.crt'), '--temporal-tls-key', join(certs, 'client.key'),
    '--temporal-tls-ca', join(certs, 'ca.crt'), '--temporal-tls-server-name', 'localhost',
  ];
});

afterAll(() => {
  stopServices();
  proxy?.close();
});

describe('a Temporal service that requires mutual TLS', () => {
  it('evalshard worker and run reach it with --temporal-tls-*, and the scores equal the single pass', async () => {
    const taskQueue = `tls-${randomUUID()}`;
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${randomUUID()}${randomUUID()}\n`);
    const auth = ['--auth-token-file', tokenFile];
    const scorer = `127.0.0.1:${(await startService(['scorer', '--db', join(dir, 'scorer.sqlite'), ...auth])).port}`;
    const worker = `127.0.0.1:${(await startService(['gpu-worker', '--intra-op-threads', '1', ...auth])).port}`;
    await startService(['worker', '--temporal-address', address, ...tlsFlags, '--task-queue', taskQueue, '--gpu-workers', worker, '--scorer', scorer, ...auth], /polling/);
    const json = join(dir, 'report.json');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [CLI, 'run', DEMO_SPEC, '--temporal-address', address, ...tlsFlags, '--task-queue', taskQueue, '--workers', '1', '--json', json, '--no-progress'],
      { timeout: 120_000 },
    );
    expect(stdout).toMatch(/\(distributed\): 1210 docs/);
    expectSameScores(readJsonReport(json).scores, (await singlePass(await demoSpec({ workers: 1 }))).scores);
    // The control commands reach it the same way.
    const listed = await cli(['schedule', 'list', '--temporal-address', address, ...tlsFlags, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
  });

  it('is refused without a client certificate, and a missing certificate file is named', async () => {
    const plain = await cli(['schedule', 'list', '--temporal-address', address, '--temporal-tls', '--temporal-tls-ca', tlsFlags[5]!, '--temporal-tls-server-name', 'localhost']);
    expect(plain.code).not.toBe(0);
    const missing = await cli(['schedule', 'list', '--temporal-address', address, '--temporal-tls-ca', join(dir, 'nope.pem')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--temporal-tls-ca .*nope\.pem: cannot read it \(ENOENT\)/);
  });
});
