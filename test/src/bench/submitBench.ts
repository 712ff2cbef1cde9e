// npm run bench:submit — SubmitPartial calls per second against a real scorer
// process (durable SQLite, bearer token), with partials the size a real
// shard makes: a 256 KiB shard of the demo corpus (its default shardSize),
// text classification with exact ROC AUC state, with and without 20
// bootstrap replicates, many calls in flight as many shard activities make.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Metadata } from '@grpc/grpc-js';
import { AUTH_TOKEN_ENV, clientChannel, MetricStates as MetricStatesMessage, SubmitPartialRequest, SubmitPartialResponse, type PartialScore } from '@evalshard/proto';
import {
  encodeMetricStates,
  encodeScorerOptions,
  foldTextcat,
  initMetricStates,
  labelIndexOf,
  parseTextcatRecord,
  SCORER_MAIN_PATH,
  scorerDigest,
  updateTextcat,
  type ScorerOptions,
} from '@evalshard/scorer';
import { ScorerClient, SupervisedProcess } from '@evalshard/orchestrator';
import { scratchDir } from '../helpers/corpora.js';
import { DEMO_CORPUS } from '../helpers/paths.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 4_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 32);
const dir = scratchDir('evalshard-submit-bench-');
const token = 'bench-token-0123456789abcdef';

function shardPartial(options: ScorerOptions): MetricStatesMessage {
  const states = initMetricStates(options);
  const labelIndex = labelIndexOf(options.textcat!);
  const lines = readFileSync(DEMO_CORPUS).subarray(0, 256 << 10).toString('utf8').split('\n').slice(0, -1);
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (const [i, line] of lines.entries()) {
    const record = parseTextcatRecord(Buffer.from(line), DEMO_CORPUS, i);
    const spam = random();
    foldTextcat(states, record.id ?? String(i), (state) => updateTextcat(state, options.textcat!, labelIndex, record.cats, [['ham', 1 - spam], ['spam', spam]]));
  }
  return encodeMetricStates(states);
}

const scorer = new SupervisedProcess({
  name: 'scorer',
  command: process.execPath,
  // BENCH_SCORER_PROFILE=DIR: a CPU profile of the scorer, for finding where a call's time goes.
  args: (port) => [
    ...(process.env.BENCH_SCORER_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SCORER_PROFILE}`] : []),
    SCORER_MAIN_PATH, '--port', String(port), '--db', join(dir, 'scorer.sqlite'),
  ],
  env: { ...process.env, [AUTH_TOKEN_ENV]: token },
  logFile: join(dir, 'scorer.log'),
  restart: false,
});
const address = `127.0.0.1:${await scorer.start()}`;
const client = new ScorerClient(address, { token });
// The requests are encoded before the clock starts, so that the client's share of these two cores is only gRPC's.
const channel = clientChannel({ token }, {});
const raw = new Client(address, channel.credentials, channel.options);
const submitEncoded = (request: Buffer) =>
  new Promise<void>((resolve, reject) =>
    raw.makeUnaryRequest('/evalshard.v1.ScorerService/SubmitPartial', (bytes: Buffer) => bytes, (bytes: Buffer) => SubmitPartialResponse.decode(bytes), request, new Metadata(), (error) =>
      error ? reject(error) : resolve(),
    ),
  );
console.log(`bench:submit — ${CALLS.toLocaleString('en-US')} SubmitPartial calls per case, ${IN_FLIGHT} in flight, one scorer process (synchronous=FULL, WAL), token auth`);
try {
  for (const replicates of (process.env.BENCH_REPLICATES ?? '0,20').split(',').map(Number)) {
    const options: ScorerOptions = {
      textcat: { labels: ['ham', 'spam'], multiLabel: false, threshold: null, positiveLabel: 'spam', macroSummation: 'compensated' },
      ...(replicates > 0 ? { bootstrap: { replicates, seed: 0, confidence: 0.95 } } : {}),
    };
    const states = shardPartial(options);
    const bytes = MetricStatesMessage.encode(states).finish().length;
    const runId = `bench-${replicates}`;
    const digests = { model: 'bench', corpus: 'bench', scorer: scorerDigest(options) };
    await client.openRun({ runId, shardCount: CALLS, digests, scorer: encodeScorerOptions(options) });
    const partial = (shardIndex: number): PartialScore => ({ runId, shardIndex, digests, docs: 100, tokens: 0, bytes: 256 << 10, skippedCount: 0, skipped: [], states });
    const requests = Array.from({ length: CALLS }, (_, i) => Buffer.from(SubmitPartialRequest.encode({ partial: partial(i), stats: undefined }).finish()));
    let next = 0;
    const scorerCpuBefore = cpuSeconds(scorer.pid!);
    const clientCpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < CALLS) await submitEncoded(requests[next++]!);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const scorerCpu = cpuSeconds(scorer.pid!) - scorerCpuBefore;
    const clientUsage = process.cpuUsage(clientCpuBefore);
    const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
    const stored = (await client.listShards({ runId, fromShard: 0, toShard: 0 })).shards.length;
    if (stored !== CALLS) throw new Error(`the scorer stored ${stored} of ${CALLS} partials`);
    console.log(
      `  partials of ${(bytes / 1024).toFixed(1)} KiB (${replicates} bootstrap replicates): ${(CALLS / seconds).toFixed(0)} calls/s, ` +
        `${((CALLS * bytes) / seconds / 2 ** 20).toFixed(1)} MiB/s, all ${stored} stored; ` +
        `scorer CPU ${((scorerCpu / CALLS) * 1e6).toFixed(0)} µs/call (${((scorerCpu / seconds) * 100).toFixed(0)} % of a core), ` +
        `client ${((clientCpu / seconds) * 100).toFixed(0)} %`,
    );
  }
} finally {
  client.close();
  raw.close();
  await scorer.stop();
}

/** User and system CPU seconds of a process so far, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
