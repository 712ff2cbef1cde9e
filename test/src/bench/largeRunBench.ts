// npm run bench:large-run — one run of many one-document shards on this
// machine's embedded-style cluster (dev server, scorer, two GPU workers with
// the real demo model, the Temporal worker in this process), against the
// single pass (in a child process, so that it does not count here): wall
// time, the largest workflow history of the run, and the peak RSS of this
// process, which is the orchestrator: the client and the Temporal worker with
// its workflows and activities (compare BENCH_SHARDS=1000 with 100000).
// BENCH_RESUME=1 interrupts the run halfway and resumes it by id, and prints
// how long the resumed run took to count the shards stored before.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { BOUNDED_HEAP_NODE_FLAGS } from '@evalshard/proto';
import { parseJson, stringifyJson } from '@evalshard/scorer';
import { distributedReport, resolveSpec, runEvaluation, runSinglePass, startTemporalWorker, workflowIdFor } from '@evalshard/orchestrator';
import { scratchDir } from '../helpers/corpora.js';
import { DEMO_CORPUS, DEMO_MODEL } from '../helpers/paths.js';
import { BENCH_TOKEN, largestHistory, startBenchCluster } from './benchCluster.js';

if (process.argv[2] === '--single-pass') {
  // The child: the reference result for the spec in argv[3], written to argv[4].
  const input = JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as { raw: Parameters<typeof resolveSpec>[0]; baseDir: string };
  const report = await runSinglePass(await resolveSpec(input.raw, { specPath: null, baseDir: input.baseDir }), 'large-single');
  writeFileSync(process.argv[4]!, stringifyJson({ scores: report.scores, docs: report.run.docs }));
  process.exit(0);
}

const SHARDS = Number(process.env.BENCH_SHARDS ?? 100_000);
const SLOTS = Number(process.env.BENCH_SLOTS ?? 8);
const RESUME = process.env.BENCH_RESUME === '1';
const dir = scratchDir('evalshard-large-run-');
const cleanup: Array<() => Promise<unknown>> = [];

console.log(`bench:large-run — ${SHARDS.toLocaleString('en-US')} shards of one document each, ${SLOTS} slots${RESUME ? ', interrupted halfway and resumed' : ''}`);
// The orchestrator as the systemd unit starts it; without the flags it sets what it can at run time.
// package.json passes them; a missing one (changed in BOUNDED_HEAP_NODE_FLAGS only) is said, not hidden.
const givenFlags = BOUNDED_HEAP_NODE_FLAGS.filter((flag) => process.execArgv.includes(flag));
const missingFlags = BOUNDED_HEAP_NODE_FLAGS.filter((flag) => !givenFlags.includes(flag));
console.log(
  `  this process is the orchestrator (client and Temporal worker), started with ${givenFlags.join(' ') || 'no heap flags'}` +
    (missingFlags.length > 0 ? `; WITHOUT ${missingFlags.join(' ')}, which the systemd unit passes: its peak RSS is not the deployed one` : ''),
);
try {
  // Short documents from the demo corpus, one a line.
  const records = readFileSync(DEMO_CORPUS, 'utf8').split('\n').filter(Boolean).map((line) => {
    const record = JSON.parse(line) as { text: string; cats: Record<string, number> };
    return JSON.stringify({ text: record.text.slice(0, 200), cats: record.cats });
  });
  const corpus = join(dir, 'corpus.jsonl');
  writeFileSync(corpus, Array.from({ length: SHARDS }, (_, i) => records[i % records.length]).join('\n').concat('\n'));
  const raw = { model: DEMO_MODEL, corpus, task: 'textcat', labels: ['ham', 'spam'], scorer: { positiveLabel: 'spam' }, workers: SLOTS, shards: SHARDS, batch: { maxDocs: 1, maxTokens: 4096 } };
  const spec = await resolveSpec(raw, { specPath: null, baseDir: dir });
  console.log('  the single pass, in a child process …');
  writeFileSync(join(dir, 'single-input.json'), JSON.stringify({ raw, baseDir: dir }));
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--single-pass', join(dir, 'single-input.json'), join(dir, 'single.json')], { stdio: 'inherit' });
  const single = parseJson(readFileSync(join(dir, 'single.json'), 'utf8')) as { scores: unknown; docs: number };

  const cluster = await startBenchCluster(dir, cleanup);
  const { addresses: workerAddresses } = await cluster.startGpuWorkers([1, 2], { concurrency: SLOTS });
  const taskQueue = 'large-run';
  const orchestrator = await startTemporalWorker({ temporalAddress: cluster.temporalAddress, namespace: 'default', taskQueue, workerAddresses, scorerAddress: cluster.scorerAddress, security: { token: BENCH_TOKEN }, maxConcurrentShards: SLOTS });
  cleanup.push(() => orchestrator.shutdown());
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  cleanup.push(() => connection.close());
  const client = new Client({ connection });

  const started = performance.now();
  let lastReport = 0;
  // After an interruption: how many shards were stored, and when the resumed run had counted them.
  let storedBefore = Infinity;
  let countedAt: number | undefined;
  const evaluate = () =>
    runEvaluation({
      client, taskQueue, runId: 'large', spec,
      onProgress: (snapshot) => {
        const now = performance.now();
        if (countedAt === undefined && snapshot.shardsDone >= storedBefore) countedAt = now;
        if (now - lastReport < 30_000) return;
        lastReport = now;
        console.log(`  … ${snapshot.shardsDone.toLocaleString('en-US')} of ${SHARDS.toLocaleString('en-US')} shards after ${((now - started) / 1000).toFixed(0)} s`);
      },
    });
  if (RESUME) {
    // Halfway, the run's workflow is terminated (a lost orchestrator); the same run id resumes it.
    const halfway = evaluate().catch(() => undefined);
    const handle = client.workflow.getHandle(workflowIdFor('large'));
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const progress = await handle.query<{ completed: { shards: number } }>('progress').catch(() => undefined);
      if ((progress?.completed.shards ?? 0) >= SHARDS / 2) {
        storedBefore = progress!.completed.shards;
        break;
      }
    }
    await handle.terminate('bench: interrupted halfway');
    await halfway;
    console.log(`  interrupted after ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  const resumedAt = performance.now();
  const result = await evaluate();
  const seconds = (performance.now() - started) / 1000;
  const report = distributedReport(result, spec, workflowIdFor('large'), new Date(), Math.round(seconds * 1000));
  const largest = await largestHistory(client, 'large');
  const equal = stringifyJson(report.scores) === stringifyJson(single.scores) && report.run.docs === single.docs;
  console.log(`  ${report.run.shards.toLocaleString('en-US')} shards, ${report.run.docs.toLocaleString('en-US')} documents in ${seconds.toFixed(0)} s: ${equal ? 'equal to' : 'DIFFERENT FROM'} the single pass`);
  if (RESUME) {
    console.log(
      `  resumed: ${report.run.resumedShards.toLocaleString('en-US')} shards already stored were skipped; the resumed run took ${((performance.now() - resumedAt) / 1000).toFixed(0)} s, ` +
        `and had counted the ${storedBefore.toLocaleString('en-US')} shards stored before the interruption after ${countedAt === undefined ? '(never seen)' : `${((countedAt - resumedAt) / 1000).toFixed(1)} s`} (goal: under a minute)`,
    );
  }
  console.log(`  largest history of any execution in the run: ${largest.toLocaleString('en-US')} events; the orchestrator's (this process's) peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  if (!equal) process.exitCode = 1;
} finally {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
}
