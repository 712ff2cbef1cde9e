// npm run bench:orchestration — what the orchestrator costs apart from the
// model, on this machine:
//  - planning 1,000 sparse files of 100 MB (100 GB) with corpusDigest: stat;
//  - efficiency = ideal wall time (simulated work ÷ slots) ÷ the run's
//    evaluate time, at 8, 32 and 64 slots with 1-second shards, and at 64
//    slots with the run split into overlapping child workflows. Slots are
//    what the GPU workers evaluate at once (8 in each worker process);
//    the run's default prefetch keeps as many shards again waiting in their
//    queues, so a slot that frees starts its next shard without a round trip
//    through Temporal;
//  - shard activities per second with near-empty shards;
//  - the largest workflow history of each run.
// The GPU workers simulate the model (EVALSHARD_BENCH_SIMULATE_MS_PER_DOC):
// the thing measured is Temporal, the activities, gRPC and the scorer.
import { closeSync, ftruncateSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import {
  capShardsAtRecords,
  fingerprintCorpus,
  layoutShards,
  loadSpec,
  resolveSpec,
  runEvaluation,
  shardCount,
  startTemporalWorker,
  workflowIdFor,
} from '@evalshard/orchestrator';
import { scratchDir } from '../helpers/corpora.js';
import { DEMO_MODEL } from '../helpers/paths.js';
import { BENCH_TOKEN, largestHistory, startBenchCluster } from './benchCluster.js';

const FILES = Number(process.env.BENCH_FILES ?? 1_000);
const FILE_BYTES = Number(process.env.BENCH_FILE_BYTES ?? 100_000_000);
const SHARD_SECONDS = Number(process.env.BENCH_SHARD_SECONDS ?? 1);
const SHARDS_PER_SLOT = Number(process.env.BENCH_SHARDS_PER_SLOT ?? 8);
const EMPTY_SHARDS = Number(process.env.BENCH_EMPTY_SHARDS ?? 2_000);
const DOCS_PER_SHARD = 10;
/** Shards one simulated GPU worker process evaluates at once: a worker per GPU, a few shards on each. */
const SLOTS_PER_GPU_WORKER = 8;
const dir = scratchDir('evalshard-orchestration-bench-');

console.log('bench:orchestration — the orchestrator alone: planning, the fan-out with a simulated model, histories');
const cleanup: Array<() => Promise<unknown>> = [];
try {
  await planning();
  const cluster = await startBenchCluster(dir, cleanup);
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  cleanup.push(() => connection.close());
  const client = new Client({ connection });
  const simulatedSpec = async (name: string, shards: number, slots: number) => {
    const corpus = join(dir, `${name}.jsonl`);
    const record = '{"text": "a simulated document", "cats": {"ham": 1, "spam": 0}}\n';
    writeFileSync(corpus, record.repeat(shards * DOCS_PER_SHARD));
    return resolveSpec(
      { model: DEMO_MODEL, corpus, task: 'textcat', labels: ['ham', 'spam'], workers: slots, shards, corpusDigest: 'stat' },
      { specPath: null, baseDir: dir },
    );
  };

  let nextWorkerId = 1;
  /**
   * GPU workers that evaluate `slots` shards at once between them,
   * SLOTS_PER_GPU_WORKER each, and a Temporal worker calling them. Deployed
   * workers run for hours: a first run of one shard a slot compiles their
   * code before the measured run.
   */
  const startSlots = async (slots: number, msPerDoc: number) => {
    const processes = Math.ceil(slots / SLOTS_PER_GPU_WORKER);
    if (slots % processes !== 0) throw new Error(`${slots} slots do not split evenly over ${processes} GPU workers`);
    const gpuWorkers = await cluster.startGpuWorkers(Array.from({ length: processes }, () => nextWorkerId++), {
      concurrency: slots / processes,
      env: { EVALSHARD_BENCH_SIMULATE_MS_PER_DOC: String(msPerDoc) },
    });
    const taskQueue = `bench-orchestration-${nextWorkerId}`;
    const orchestrator = await startTemporalWorker({
      temporalAddress: cluster.temporalAddress, namespace: 'default', taskQueue, workerAddresses: gpuWorkers.addresses, scorerAddress: cluster.scorerAddress, security: { token: BENCH_TOKEN }, maxConcurrentShards: slots,
    });
    cleanup.push(() => orchestrator.shutdown());
    const warmUp = `warm-up-${taskQueue}`;
    await runEvaluation({ client, taskQueue, runId: warmUp, spec: await simulatedSpec(warmUp, slots, slots) });
    return { taskQueue, stop: async () => void (await Promise.all([orchestrator.shutdown(), gpuWorkers.stop()])) };
  };

  const run = async (name: string, shards: number, slots: number, shardsPerChild?: number) => {
    const spec = await simulatedSpec(name, shards, slots);
    const stack = await startSlots(slots, (SHARD_SECONDS * 1000) / DOCS_PER_SHARD);
    try {
      const result = await runEvaluation({ client, taskQueue: stack.taskQueue, runId: name, spec, shardsPerChild });
      return { evaluateSeconds: result.timings.evaluateMs / 1000, shards: result.plan.shardCount, prefetch: spec.prefetch ?? 0, largestHistory: await largestHistory(client, name) };
    } finally {
      await stack.stop();
    }
  };

  const efficiencyCases = (process.env.BENCH_EFFICIENCY ?? '8,32,64,64/128').split(',').filter(Boolean).map((item) => item.split('/').map(Number) as [number, number?]);
  console.log(
    `  efficiency with ${SHARD_SECONDS}-second shards (${DOCS_PER_SHARD} documents each), ${SHARDS_PER_SLOT} shards a slot; ` +
      `a slot is a shard the GPU workers evaluate at once (${SLOTS_PER_GPU_WORKER} in each worker process; started for each case and warmed by a run of one shard a slot):`,
  );
  for (const [slots, shardsPerChild] of efficiencyCases) {
    const name = `efficiency-${slots}${shardsPerChild ? `-children-${shardsPerChild}` : ''}`;
    const done = await run(name, slots * SHARDS_PER_SLOT, slots, shardsPerChild);
    const ideal = (done.shards * SHARD_SECONDS) / slots;
    console.log(
      `    ${String(slots).padStart(2)} slots${shardsPerChild ? `, child windows of ${shardsPerChild} shards` : ''}, prefetch ${done.prefetch}: ${done.shards} shards, ` +
        `ideal ${ideal.toFixed(1)} s, evaluated in ${done.evaluateSeconds.toFixed(1)} s: efficiency ${(ideal / done.evaluateSeconds).toFixed(3)}; ` +
        `largest history ${done.largestHistory} events`,
    );
    if (!shardsPerChild) console.log(`      where a shard's time goes (median, p90, max): ${await shardLatencies(client, workflowIdFor(name))}`);
  }
  // Near-empty shards: no simulated time, one document each; what is left is orchestration.
  const fast = await startSlots(32, 0);
  cleanup.push(() => fast.stop());
  const corpus = join(dir, 'empty.jsonl');
  writeFileSync(corpus, '{"text": "x", "cats": {"ham": 1, "spam": 0}}\n'.repeat(EMPTY_SHARDS));
  const spec = await resolveSpec(
    { model: DEMO_MODEL, corpus, task: 'textcat', labels: ['ham', 'spam'], workers: 32, shards: EMPTY_SHARDS, corpusDigest: 'stat' },
    { specPath: null, baseDir: dir },
  );
  const started = performance.now();
  const result = await runEvaluation({ client, taskQueue: fast.taskQueue, runId: 'near-empty', spec });
  const wall = (performance.now() - started) / 1000;
  console.log(
    `  near-empty shards (1 document, no simulated time), 32 slots, prefetch ${spec.prefetch ?? 0}: ${result.plan.shardCount} shards, ` +
      `${(result.plan.shardCount / (result.timings.evaluateMs / 1000)).toFixed(0)} shard activities/s while evaluating ` +
      `(${wall.toFixed(1)} s for the whole run); largest history ${await largestHistory(client, 'near-empty')} events`,
  );
  console.log(`    where a shard's time goes (median, p90, max): ${await shardLatencies(client, workflowIdFor('near-empty'))}`);
} finally {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}

async function planning(): Promise<void> {
  const corpus = join(dir, 'sparse');
  mkdirSync(corpus);
  for (let i = 0; i < FILES; i++) {
    const fd = openSync(join(corpus, `part-${String(i).padStart(5, '0')}.jsonl`), 'w');
    ftruncateSync(fd, FILE_BYTES);
    closeSync(fd);
  }
  const spec = join(dir, 'sparse.yaml');
  writeFileSync(spec, `model: ${DEMO_MODEL}\ncorpus: ${corpus}/*.jsonl\ntask: textcat\nlabels: [ham, spam]\ncorpusDigest: stat\nworkers: 8\n`);
  const started = performance.now();
  const resolved = await loadSpec(spec);
  const fingerprint = await fingerprintCorpus(resolved.corpus, resolved.corpusDigest);
  const layout = await capShardsAtRecords(layoutShards(fingerprint.files.map(({ path, size }) => ({ path, size })), resolved.sharding, resolved.workers));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `  planning ${FILES.toLocaleString('en-US')} sparse files of ${(FILE_BYTES / 1e6).toFixed(0)} MB (${((FILES * FILE_BYTES) / 1e9).toFixed(0)} GB), corpusDigest: stat: ` +
      `${seconds.toFixed(3)} s for spec, glob, fingerprints and ${shardCount(layout).toLocaleString('en-US')} shards (goal: under 2 s)`,
  );
  rmSync(corpus, { recursive: true, force: true });
}

/**
 * Median, p90 and max of a shard activity's queue time (scheduled → started),
 * its time in the activity (started → completed: a prefetched shard's wait in
 * the GPU worker's queue included) and the time until the workflow schedules
 * the next.
 */
async function shardLatencies(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const millis = (time: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(time?.seconds ?? 0) * 1000 + (time?.nanos ?? 0) / 1e6;
  const scheduledAt = new Map<string, number>();
  const startedAt = new Map<string, number>();
  const queued: number[] = [];
  const ran: number[] = [];
  const completions: number[] = [];
  const schedules: number[] = [];
  for (const event of history.events ?? []) {
    const at = millis(event.eventTime);
    if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'evaluateShard') {
      scheduledAt.set(String(event.eventId), at);
      schedules.push(at);
    }
    const started = event.activityTaskStartedEventAttributes;
    if (started && scheduledAt.has(String(started.scheduledEventId))) {
      startedAt.set(String(started.scheduledEventId), at);
      queued.push(at - scheduledAt.get(String(started.scheduledEventId))!);
    }
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed && startedAt.has(String(completed.scheduledEventId))) {
      ran.push(at - startedAt.get(String(completed.scheduledEventId))!);
      completions.push(at);
    }
  }
  // For each completion, how long until the workflow scheduled another shard.
  const refill = completions.map((at) => (schedules.find((time) => time >= at) ?? at) - at).filter((gap, i) => i < completions.length - 32);
  const spread = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0).toFixed(0);
    return `${at(0.5)} ms (p90 ${at(0.9)}, max ${at(1)})`;
  };
  return `queued ${spread(queued)}, in the activity ${spread(ran)}, completion to next scheduled ${spread(refill)}`;
}
