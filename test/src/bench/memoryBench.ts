// npm run bench:memory — peak resident memory of the worker and the command
// line, measured side by side in one run: a GPU worker evaluating one shard
// of 1,000,000 short documents against one of 10,000 of the same documents
// (memory must not grow with the shard), and a corpus holding one 50 MB
// record evaluated single-pass and distributed (the same result both ways,
// well under 500 MB). Corpora are generated here, never committed.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelBundle } from '@evalshard/gpu-worker';
import { evaluateWholeCorpus, startBenchWorker } from './benchWorker.js';

const LARGE = Number(process.env.BENCH_LARGE_DOCS ?? 1_000_000);
const SMALL = Math.max(1, Math.round(LARGE / 100));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const modelDir = join(root, 'examples/spamassassin/model');
const demo = readFileSync(join(root, 'examples/spamassassin/test.jsonl'), 'utf8').split('\n').filter(Boolean);
const dir = mkdtempSync(join(tmpdir(), 'evalshard-bench-memory-'));

/** Peak resident set (VmHWM) of a live process, in bytes; 0 once it is gone. */
function peakRss(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}

function descendants(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(name), ...descendants(Number(name)));
    } catch {
      // gone
    }
  }
  return children;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

// Short documents cut from the demo corpus (its first 160 characters), so a million of them is quick to evaluate.
function shortCorpus(count: number): string {
  const path = join(dir, `short-${count}.jsonl`);
  const fd = openSync(path, 'w');
  const lines = demo.map((line) => {
    const record = JSON.parse(line) as { text: string; cats: Record<string, number> };
    return JSON.stringify({ text: record.text.slice(0, 160), cats: record.cats });
  });
  let buffer: string[] = [];
  for (let i = 0; i < count; i++) {
    buffer.push(lines[i % lines.length]!);
    if (buffer.length === 10_000) {
      writeSync(fd, buffer.join('\n') + '\n');
      buffer = [];
    }
  }
  if (buffer.length > 0) writeSync(fd, buffer.join('\n') + '\n');
  closeSync(fd);
  return path;
}

async function workerPeakOnShard(corpus: string): Promise<{ rss: number; docs: number; seconds: number }> {
  const worker = await startBenchWorker(dir, 'bench-gpu-worker');
  const bundle = await loadModelBundle(modelDir, { executionProviders: ['cpu'], intraOpThreads: 1 });
  const started = performance.now();
  const result = await evaluateWholeCorpus(worker.client, {
    runId: 'bench-memory',
    modelDir,
    modelDigest: bundle.digest,
    labels: bundle.labels,
    corpus,
    batch: { maxDocs: 32, maxTokens: 8192 },
    batching: 'fixed',
    deadlineMs: 3_600_000,
  });
  const seconds = (performance.now() - started) / 1000;
  const rss = peakRss(worker.pid);
  await bundle.release();
  await worker.stop();
  return { rss, docs: result.partial?.docs ?? 0, seconds };
}

// `evalshard run …` as a user starts it; the peak of the command and of every process it started.
async function cliPeak(args: string[]): Promise<{ code: number | null; peak: number; workerPeak: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(root, 'bin/evalshard.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const peaks = new Map<number, number>();
  const poll = setInterval(() => {
    for (const pid of [child.pid!, ...descendants(child.pid!)]) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, peakRss(pid)));
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(poll);
  const own = peaks.get(child.pid!) ?? 0;
  peaks.delete(child.pid!);
  return { code, peak: own, workerPeak: Math.max(0, ...peaks.values()), stdout, stderr };
}

function hugeCorpus(): string {
  const path = join(dir, 'with-huge.jsonl');
  const fd = openSync(path, 'w');
  writeSync(fd, demo.slice(0, 300).join('\n') + '\n');
  writeSync(fd, '{"text": "');
  const piece = 'free money and hello world '.repeat(40_000);
  for (let written = 0; written < 50 * 1024 * 1024; ) written += writeSync(fd, piece);
  writeSync(fd, '", "cats": {"ham": 0, "spam": 1}}\n');
  writeSync(fd, demo.slice(300, 600).join('\n') + '\n');
  closeSync(fd);
  return path;
}

console.log(`bench:memory — peak resident memory (VmHWM), measured side by side in one run`);
const small = await workerPeakOnShard(shortCorpus(SMALL));
const large = await workerPeakOnShard(shortCorpus(LARGE));
console.log(`  one GPU worker, one shard of short documents (demo model, fixed shapes):`);
console.log(`    ${SMALL.toLocaleString('en-US').padStart(9)} documents   peak ${mib(small.rss).padStart(8)}   ${(small.docs / small.seconds).toFixed(0)} docs/s`);
console.log(`    ${LARGE.toLocaleString('en-US').padStart(9)} documents   peak ${mib(large.rss).padStart(8)}   ${(large.docs / large.seconds).toFixed(0)} docs/s`);
console.log(`    ratio large / small        ${(large.rss / small.rss).toFixed(3)} (goal ≤ 1.05)`);

const corpus = hugeCorpus();
const spec = join(dir, 'huge.yaml');
writeFileSync(
  spec,
  `model: ${modelDir}\ncorpus: ${corpus}\ntask: textcat\nlabels: [ham, spam]\nscorer: { positiveLabel: spam }\nonBadRecord: skip\nworkers: 2\n`,
);
const single = await cliPeak(['run', spec, '--single-pass', '--json', join(dir, 'single.json'), '--no-progress']);
const distributed = await cliPeak([
  'run', spec, '--shards', '4', '--state-dir', join(dir, 'state'), '--json', join(dir, 'distributed.json'), '--no-progress',
]);
const scores = (file: string) => {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { scores: unknown; run: { skipped: unknown; docs: number } };
  return JSON.stringify({ scores: report.scores, skipped: report.run.skipped, docs: report.run.docs });
};
const same = single.code === 0 && distributed.code === 0 && scores('single.json') === scores('distributed.json');
console.log(`  a corpus of 600 demo documents and one 50 MB record (maxRecordBytes 16 MiB, onBadRecord: skip):`);
console.log(`    single pass   exit ${single.code}   peak ${mib(single.peak)}`);
console.log(`    4 shards      exit ${distributed.code}   command peak ${mib(distributed.peak)}, largest service peak ${mib(distributed.workerPeak)}`);
console.log(`    same scores and skipped records both ways: ${same ? 'yes' : 'NO'}; all under 500 MiB: ${Math.max(single.peak, distributed.peak, distributed.workerPeak) < 500 * 1024 * 1024 ? 'yes' : 'NO'}`);
if (!same) console.log(single.stderr, distributed.stderr);
rmSync(dir, { recursive: true, force: true });
