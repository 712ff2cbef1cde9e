import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentials, Metadata, status, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import {
  clientChannel,
  DescribeModelRequest,
  EvaluateShardRequest,
  ListRunsRequest,
  ScorerServiceClient,
  SubmitPartialRequest,
  WorkerServiceClient,
  type ServiceSecurity,
} from '@evalshard/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cli } from '../helpers/cliProcess.js';
import { scratchDir } from '../helpers/corpora.js';
import { DEMO_CORPUS, DEMO_MODEL, repoPath } from '../helpers/paths.js';
import { residentBytes, startService, stopServices } from '../helpers/serviceProcess.js';

afterAll(stopServices);

const TOKEN = 'a-test-token-of-the-cluster-0123456789';
let dir: string;
let tokenFile: string;
let certs: string;

beforeAll(() => {
  dir = scratchDir();
  tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, `${TOKEN}\n`);
  // The README's way to make certificates; a second CA plays an outsider.
  certs = join(dir, 'tls');
  execFileSync(repoPath('infra/cluster/make-certs.sh'), [certs]);
  execFileSync(repoPath('infra/cluster/make-certs.sh'), [join(dir, 'other')]);
});

type Outcome = { code: number; details: string } | 'served';

function outcome(error: ServiceError | null): Outcome {
  return error === null ? 'served' : { code: error.code, details: error.details };
}

function callScorer(port: number, channel: { credentials: ChannelCredentials; options: object }): Promise<Outcome> {
  const client = new ScorerServiceClient(`127.0.0.1:${port}`, channel.credentials, channel.options);
  return new Promise((resolve) =>
    client.listRuns(ListRunsRequest.fromPartial({}), new Metadata(), { deadline: Date.now() + 10_000 }, (error) => {
      client.close();
      resolve(outcome(error));
    }),
  );
}

function callWorker(port: number, channel: { credentials: ChannelCredentials; options: object }): Promise<Outcome> {
  const client = new WorkerServiceClient(`127.0.0.1:${port}`, channel.credentials, channel.options);
  return new Promise((resolve) =>
    client.health({}, new Metadata(), { deadline: Date.now() + 10_000 }, (error) => {
      client.close();
      resolve(outcome(error));
    }),
  );
}

const unauthenticated = (reason: RegExp) => ({ code: status.UNAUTHENTICATED, details: expect.stringMatching(reason) });
const tls = (folder: string, withClientCertificate: boolean): ServiceSecurity => ({
  tls: {
    ca: Buffer.from(execFileSync('cat', [join(certs, 'ca.crt')])),
    ...(withClientCertificate
      ? { cert: Buffer.from(execFileSync('cat', [join(folder, 'client.crt')])), key: Buffer.from(execFileSync('cat', [join(folder, 'client.key')])) }
      : {}),
  },
});

describe('cluster services without a way to authenticate callers', () => {
  it.each(['scorer', 'gpu-worker'])('evalshard %s refuses to start, exit 2, and says what to give', async (service) => {
    const env = { ...process.env, EVALSHARD_AUTH_TOKEN: '' };
    const failed = await startService([service, '--db', join(dir, 'refused.sqlite')].slice(0, service === 'scorer' ? 3 : 1), /"listening"/, env).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(failed).toMatch(/exited with 2 before it was ready: .*refusing to serve without authentication: give --auth-token-file/);
  });
});

describe('a bearer token (--auth-token-file)', () => {
  it.each(['scorer', 'gpu-worker'])('evalshard %s refuses calls without it or with a wrong one, logged without payload', async (service) => {
    const args = service === 'scorer' ? ['scorer', '--db', join(dir, 'token.sqlite')] : ['gpu-worker', '--intra-op-threads', '1'];
    const running = await startService([...args, '--auth-token-file', tokenFile], /"listening"/, { ...process.env, EVALSHARD_AUTH_TOKEN: '' });
    const call = service === 'scorer' ? callScorer : callWorker;
    const plain = { credentials: credentials.createInsecure(), options: {} };
    expect(await call(running.port, plain)).toEqual(unauthenticated(/no bearer token/));
    expect(await call(running.port, clientChannel({ token: `${TOKEN}x` }, {}))).toEqual(unauthenticated(/wrong bearer token/));
    expect(await call(running.port, clientChannel({ token: TOKEN }, {}))).toBe('served');
    const refusals = running.stderr.filter((line) => line.includes('refused'));
    expect(refusals).toHaveLength(2);
    expect(refusals.join('\n')).not.toContain(TOKEN);
  });
});

describe('mutual TLS (certificates from infra/cluster/make-certs.sh)', () => {
  it.each(['scorer', 'gpu-worker'])('evalshard %s refuses a caller without a client certificate or with one of another CA', async (service) => {
    const args = service === 'scorer' ? ['scorer', '--db', join(dir, 'tls.sqlite')] : ['gpu-worker', '--intra-op-threads', '1'];
    const files = ['--tls-cert', join(certs, 'server.crt'), '--tls-key', join(certs, 'server.key'), '--tls-ca', join(certs, 'ca.crt')];
    const running = await startService([...args, ...files], /"listening"/, { ...process.env, EVALSHARD_AUTH_TOKEN: '' });
    const call = service === 'scorer' ? callScorer : callWorker;
    expect(await call(running.port, clientChannel(tls(certs, false), {}))).toEqual(unauthenticated(/no client certificate/));
    expect(await call(running.port, clientChannel(tls(join(dir, 'other'), true), {}))).toEqual(unauthenticated(/no client certificate/));
    expect(await call(running.port, clientChannel(tls(certs, true), {}))).toBe('served');
  });
});

describe('message size limits', () => {
  it('a 300 MB SubmitPartial is refused with RESOURCE_EXHAUSTED and the scorer grows by less than 50 MB', async () => {
    const running = await startService(['scorer', '--db', join(dir, 'limits.sqlite'), '--auth-token-file', tokenFile]);
    const channel = clientChannel({ token: TOKEN }, { 'grpc.max_send_message_length': -1 });
    const client = new ScorerServiceClient(`127.0.0.1:${running.port}`, channel.credentials, channel.options);
    expect(await callScorer(running.port, clientChannel({ token: TOKEN }, {}))).toBe('served');
    const before = residentBytes(running.child.pid!);
    const request = SubmitPartialRequest.fromPartial({ partial: { runId: 'r'.repeat(300_000_000) } });
    const started = performance.now();
    const result = await new Promise<Outcome>((resolve) =>
      client.submitPartial(request, new Metadata(), { deadline: Date.now() + 60_000 }, (error) => resolve(outcome(error))),
    );
    const seconds = (performance.now() - started) / 1000;
    client.close();
    const grown = residentBytes(running.child.pid!) - before;
    console.log(`300 MB SubmitPartial: ${JSON.stringify(result).slice(0, 120)} after ${seconds.toFixed(2)} s; scorer RSS +${(grown / 2 ** 20).toFixed(1)} MiB`);
    expect(result).toEqual({ code: status.RESOURCE_EXHAUSTED, details: expect.stringMatching(/larger than max/) });
    expect(grown).toBeLessThan(50 * 2 ** 20);
    // Still serving.
    expect(await callScorer(running.port, clientChannel({ token: TOKEN }, {}))).toBe('served');
  });
});

describe('a GPU worker confined to --data-root', () => {
  it('refuses model and corpus paths outside it, through .. or a symlink, and serves those inside', async () => {
    const root = join(dir, 'data');
    mkdirSync(root);
    symlinkSync(repoPath('examples'), join(root, 'linked-out'));
    const running = await startService(
      ['gpu-worker', '--intra-op-threads', '1', '--data-root', root, '--data-root', repoPath('examples/spamassassin')],
      /"listening"/,
      { ...process.env, EVALSHARD_AUTH_TOKEN: TOKEN },
    );
    const channel = clientChannel({ token: TOKEN }, {});
    const client = new WorkerServiceClient(`127.0.0.1:${running.port}`, channel.credentials, channel.options);
    const describeModel = (modelPath: string) =>
      new Promise<Outcome>((resolve) =>
        client.describeModel(DescribeModelRequest.fromPartial({ modelPath }), new Metadata(), { deadline: Date.now() + 30_000 }, (error) => resolve(outcome(error))),
      );
    const outside = (path: RegExp) => ({ code: status.PERMISSION_DENIED, details: expect.stringMatching(path) });
    expect(await describeModel(DEMO_MODEL)).toBe('served');
    expect(await describeModel(repoPath('examples/transformers'))).toEqual(outside(/is outside this worker's data roots/));
    expect(await describeModel(join(root, '..', '..'))).toEqual(outside(/is outside this worker's data roots/));
    expect(await describeModel(join(root, 'linked-out', 'spamassassin', 'model'))).toBe('served');
    expect(await describeModel(join(root, 'linked-out', 'transformers'))).toEqual(outside(/resolves to .*examples\/transformers/));
    // A corpus outside, with a model inside: refused before anything is read.
    const corpusOutside = await new Promise<Outcome>((resolve) => {
      const stream = client.evaluateShard(
        EvaluateShardRequest.fromPartial({ runId: 'r', modelPath: DEMO_MODEL, range: { path: '/etc/hostname', start: 0, end: 10 } }),
        new Metadata(),
        { deadline: Date.now() + 30_000 },
      );
      stream.on('data', () => undefined);
      stream.on('error', (error: ServiceError) => resolve(outcome(error)));
      stream.on('end', () => resolve('served'));
    });
    expect(corpusOutside).toEqual(outside(/\/etc\/hostname is outside/));
    expect(DEMO_CORPUS.startsWith(repoPath('examples/spamassassin'))).toBe(true);
    client.close();
  });
});

describe('evalshard worker with credentials the services refuse', () => {
  it('exits 2 at start, naming the service and the flag, rather than failing every shard later', async () => {
    const scorer = await startService(['scorer', '--db', join(dir, 'probe.sqlite'), '--auth-token-file', tokenFile], /"listening"/, { ...process.env, EVALSHARD_AUTH_TOKEN: '' });
    const wrongToken = join(dir, 'wrong-token');
    writeFileSync(wrongToken, 'not-the-cluster-token-0123456789\n');
    const started = await cli(
      ['worker', '--temporal-address', inject('temporalAddress'), '--gpu-workers', '127.0.0.1:1', '--scorer', `127.0.0.1:${scorer.port}`, '--auth-token-file', wrongToken],
      { ...process.env, EVALSHARD_AUTH_TOKEN: '' },
    );
    expect(started.code).toBe(2);
    expect(started.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${scorer.port} refused this worker's credentials \\(evalshard: wrong bearer token\\): give the cluster's --auth-token-file`));
  });
});
