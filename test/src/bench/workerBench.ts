// npm run bench:worker — the worker's documents per second against a plain
// onnxruntime-node loop over the same model and the same batches, measured
// side by side in one run (rounds interleaved, medians reported), since
// absolute times on a shared machine mean little.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ShardStats, WorkerServiceClient } from '@evalshard/proto';
import { inputFeeds, loadModelBundle, rowBatcher, type TokenBatch } from '@evalshard/gpu-worker';
import { parseTextcatRecord } from '@evalshard/scorer';
import { evaluateWholeCorpus, startBenchWorker } from './benchWorker.js';
import * as ort from 'onnxruntime-node';
import { exactBatchingBench } from './exactBatchingBench.js';
import { tokenWorkerBench } from './tokenWorkerBench.js';
import { median } from './median.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const LIMITS = { maxDocs: 32, maxTokens: 8192 };
const THREADS = 1;
const TOKENIZE_CHUNK = 64;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'evalshard-bench-'));

/**
 * One text classifier: the worker over gRPC against a plain loop over the
 * same model and batches, and optionally how the worker scales from one
 * tokenizer thread to two.
 */
async function textcatWorkerBench(label: string, modelDir: string, repeat: number, scalingToo: boolean): Promise<void> {
  const corpus = join(dir, `corpus-${repeat}.jsonl`);
  writeFileSync(corpus, readFileSync(join(root, 'examples/spamassassin/test.jsonl'), 'utf8').repeat(repeat));
  const corpusBytes = statSync(corpus).size;

  const bundle = await loadModelBundle(modelDir, { executionProviders: ['cpu'], intraOpThreads: THREADS });
  const encoder = await bundle.encoderFor(bundle.defaultMaxSequenceLength);
  const texts = readFileSync(corpus, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => parseTextcatRecord(Buffer.from(line), corpus, i).text);

  // The batches the worker forms (dynamic batching), built once for the plain loop.
  const dynamicBatcher = () => rowBatcher<number>('dynamic', bundle.defaultMaxSequenceLength, LIMITS);
  const batches: Array<TokenBatch<number>> = [];
  const batcher = dynamicBatcher();
  const allIds = await encoder.encodeBatch(texts);
  allIds.forEach((ids, item) => batches.push(...batcher.add({ ids, item })));
  batches.push(...batcher.flush());

  // The worker's own feed building (int64 written as int32 halves): the loops differ in what the worker adds around the model.
  const tensorsOf = (batch: TokenBatch<number>): Record<string, ort.Tensor> =>
    inputFeeds(
      bundle.inputs,
      batch.rows.map((row) => row.ids),
      batch.width,
      encoder.padId,
    );

  async function plainLoop(): Promise<number> {
    const started = performance.now();
    for (const batch of batches) {
      const feeds = tensorsOf(batch);
      const out = await bundle.session.run(feeds);
      for (const tensor of [...Object.values(feeds), ...Object.values(out)]) (tensor as ort.Tensor).dispose();
    }
    return texts.length / ((performance.now() - started) / 1000);
  }

  // A plain script over the corpus: read the file, parse each line, tokenize with the worker's library
  // (a chunk at a time), batch as the worker does, run the model.
  async function plainLoopWithTokenization(): Promise<number> {
    const started = performance.now();
    const local = dynamicBatcher();
    const run = async (closed: Array<TokenBatch<number>>) => {
      for (const batch of closed) {
        const feeds = tensorsOf(batch);
        const out = await bundle.session.run(feeds);
        for (const tensor of [...Object.values(feeds), ...Object.values(out)]) (tensor as ort.Tensor).dispose();
      }
    };
    const lines = readFileSync(corpus, 'utf8').split('\n').filter((line) => line.trim() !== '');
    for (let from = 0; from < lines.length; from += TOKENIZE_CHUNK) {
      const chunk = lines.slice(from, from + TOKENIZE_CHUNK).map((line) => (JSON.parse(line) as { text: string }).text);
      const ids = await encoder.encodeBatch(chunk);
      for (const [k, one] of ids.entries()) await run(local.add({ ids: one, item: from + k }));
    }
    await run(local.flush());
    return lines.length / ((performance.now() - started) / 1000);
  }

  const worker = await startBenchWorker(dir, 'bench-gpu-worker');

  let lastWorkerRun: { stats: ShardStats; tokens: number; seconds: number } | undefined;

  async function workerOverGrpc(on: WorkerServiceClient = worker.client): Promise<number> {
    const started = performance.now();
    // Dynamic batching: the plain loop it is compared with batches dynamically too.
    const result = await evaluateWholeCorpus(on, {
      runId: 'bench',
      modelDir,
      modelDigest: bundle.digest,
      labels: bundle.labels,
      corpus,
      batch: LIMITS,
      batching: 'dynamic',
      deadlineMs: 600_000,
    });
    if (result.partial?.docs !== texts.length) throw new Error(`worker saw ${result.partial?.docs} docs, expected ${texts.length}`);
    const seconds = (performance.now() - started) / 1000;
    lastWorkerRun = { stats: result.stats!, tokens: result.partial.tokens, seconds };
    return texts.length / seconds;
  }

  const variants: Array<[string, () => Promise<number>]> = [
    ['plain onnxruntime-node loop (pre-tokenized batches)', plainLoop],
    ['plain loop: read, parse, tokenize (same library), same batches', plainLoopWithTokenization],
    ['evalshard worker over gRPC (read, parse, tokenize, infer, score)', () => workerOverGrpc()],
  ];
  await workerOverGrpc(); // loads the model in the worker and warms both sides
  await plainLoop();
  const samples = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, measure] of variants) samples.get(name)!.push(await measure());
  }

  console.log(
    `${label}: ${texts.length} docs (demo corpus ×${repeat}, ${(corpusBytes / 1e6).toFixed(1)} MB), ` +
      `${batches.length} batches of ≤${LIMITS.maxDocs} docs / ≤${LIMITS.maxTokens} padded tokens, ` +
      `CPU execution provider, ${THREADS} intra-op thread each, ${ROUNDS} interleaved rounds`,
  );
  const width = Math.max(...variants.map(([name]) => name.length));
  for (const [name] of variants) {
    const values = samples.get(name)!;
    console.log(`  ${name.padEnd(width)}  ${median(values).toFixed(0).padStart(8)} docs/s   (rounds: ${values.map((v) => v.toFixed(0)).join(', ')})`);
  }
  const workerRate = median(samples.get(variants[2]![0])!);
  console.log(`  ratio worker / plain loop:                   ${(workerRate / median(samples.get(variants[0]![0])!)).toFixed(3)}`);
  console.log(`  ratio worker / plain loop + tokenization:    ${(workerRate / median(samples.get(variants[1]![0])!)).toFixed(3)}`);
  if (lastWorkerRun !== undefined) {
    const { stats, tokens, seconds } = lastWorkerRun;
    const share = (ms: number) => `${((100 * ms) / stats.wallMs).toFixed(0)} %`;
    console.log(
      `  worker, last round: ${(tokens / seconds).toFixed(0)} tokens/s; of its ${stats.wallMs} ms: tokenizing ${share(stats.tokenizeMs)} ` +
        `(on the tokenizer's threads, overlapping inference), inference ${share(stats.inferenceMs)}, scoring ${share(stats.scoreMs)}`,
    );
  }

  if (scalingToo) {
    // Scaling with the tokenizer's threads: the same worker run with one and with two (RAYON_NUM_THREADS).
    const scaling: Array<[number, number]> = [];
    for (const threads of [1, 2]) {
      const scaled = await startBenchWorker(dir, `bench-gpu-worker-${threads}`, { ...process.env, RAYON_NUM_THREADS: String(threads) });
      await workerOverGrpc(scaled.client);
      const rates: number[] = [];
      for (let round = 0; round < ROUNDS; round++) rates.push(await workerOverGrpc(scaled.client));
      scaling.push([threads, median(rates)]);
      await scaled.stop();
    }
    console.log(
      `  worker with 1 tokenizer thread: ${scaling[0]![1].toFixed(0)} docs/s; with 2: ${scaling[1]![1].toFixed(0)} docs/s ` +
        `(×${(scaling[1]![1] / scaling[0]![1]).toFixed(2)})`,
    );
  }
  await worker.stop();
  await bundle.release();
}

console.log(`bench:worker — CPU execution provider, ${THREADS} intra-op thread each, ${ROUNDS} interleaved rounds, medians`);
await textcatWorkerBench('demo model (bag of word pieces)', join(root, 'examples/spamassassin/model'), Number(process.env.BENCH_REPEAT ?? 4), true);
await textcatWorkerBench('BERT-style spam classifier (examples/transformers/spam)', join(root, 'examples/transformers/spam/model'), 1, false);
await tokenWorkerBench(root, dir, ROUNDS, THREADS);
await exactBatchingBench(root, ROUNDS, THREADS);
rmSync(dir, { recursive: true, force: true });
