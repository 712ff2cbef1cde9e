// The token classifiers (UPOS and NER bundles on their dev corpora): the
// worker over gRPC against a plain loop that reads the same documents,
// tokenizes their words with the same library, cuts the same windows, batches
// them the same way and takes each word's argmax label, side by side (rounds
// interleaved, medians). Part of `npm run bench:worker`.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { BadRecordPolicy, EvaluateShardRequest } from '@evalshard/proto';
import { inputFeeds, loadModelBundle, planWindows, rowBatcher, type TokenBatch } from '@evalshard/gpu-worker';
import { streamShard } from '@evalshard/orchestrator';
import { encodeScorerOptions, readDocs } from '@evalshard/scorer';
import type * as ort from 'onnxruntime-node';
import { startBenchWorker } from './benchWorker.js';
import { median } from './median.js';

const LIMITS = { maxDocs: 32, maxTokens: 4096 };
const BUNDLES = [
  { name: 'UPOS tagger', dir: 'examples/transformers/pos/model', corpus: 'test/data/ud-english-ewt/en_ewt-ud-dev.conllu', format: 'conllu', annotation: 'pos' },
  { name: 'NER tagger', dir: 'examples/transformers/ner/model', corpus: 'test/data/uner-english-ewt/en_ewt-ud-dev.iob2', format: 'iob', annotation: 'ents' },
] as const;

export async function tokenWorkerBench(root: string, dir: string, rounds: number, threads: number): Promise<void> {
  console.log(`\ntoken classifiers, worker over gRPC against a plain loop, dynamic batching, ${threads} intra-op thread, ${rounds} interleaved rounds:`);
  const worker = await startBenchWorker(dir, 'bench-token-worker');
  for (const spec of BUNDLES) {
    const modelDir = join(root, spec.dir);
    const corpus = join(root, spec.corpus);
    const end = statSync(corpus).size;
    const bundle = await loadModelBundle(modelDir, { executionProviders: ['cpu'], intraOpThreads: threads });
    const tokenizer = await bundle.wordTokenizer();
    const room = bundle.defaultMaxSequenceLength - tokenizer.prefix.length - tokenizer.suffix.length;

    async function plainLoop(): Promise<{ docs: number; seconds: number }> {
      const started = performance.now();
      const batcher = rowBatcher<{ firsts: number[] }>('dynamic', bundle.defaultMaxSequenceLength, LIMITS);
      const chosen = new Uint32Array(bundle.labels.length);
      const run = async (batches: Array<TokenBatch<{ firsts: number[] }>>) => {
        for (const batch of batches) {
          const feeds = inputFeeds(bundle.inputs, batch.rows.map((row) => row.ids), batch.width, tokenizer.padId);
          const out = await bundle.session.run(feeds, [bundle.logitsName]);
          const logits = out[bundle.logitsName] as ort.Tensor;
          const data = logits.data as Float32Array;
          const labels = Number(logits.dims[2]);
          batch.rows.forEach((row, r) => {
            for (const first of row.item.firsts) {
              const at = (r * batch.width + first) * labels;
              let best = 0;
              for (let label = 1; label < labels; label++) if (data[at + label]! > data[at + best]!) best = label;
              chosen[best]! += 1;
            }
          });
          for (const tensor of [...Object.values(feeds), logits]) tensor.dispose();
        }
      };
      let docs = 0;
      for await (const located of readDocs(corpus, spec.format, { start: 0, end })) {
        const { ids, firstSubwords } = await tokenizer.encode(located.doc.tokens.map((token) => token.text));
        const plan = planWindows(firstSubwords, ids.length, room);
        const firsts = plan.windows.map((): number[] => []);
        plan.owners.forEach((owner) => {
          if (owner !== null) firsts[owner.window]!.push(tokenizer.prefix.length + owner.offset);
        });
        for (const [w, window] of plan.windows.entries()) {
          if (firsts[w]!.length === 0) continue;
          await run(batcher.add({ ids: [...tokenizer.prefix, ...ids.slice(window.start, window.end), ...tokenizer.suffix], item: { firsts: firsts[w]! } }));
        }
        docs += 1;
      }
      await run(batcher.flush());
      if (docs > 0 && chosen.every((count) => count === 0)) throw new Error('the plain loop labelled no word');
      return { docs, seconds: (performance.now() - started) / 1000 };
    }

    async function overGrpc(): Promise<{ docs: number; seconds: number }> {
      const started = performance.now();
      const result = await streamShard(
        worker.client,
        EvaluateShardRequest.fromPartial({
          runId: 'bench-tokens',
          modelPath: modelDir,
          digests: { model: bundle.digest, corpus: '', scorer: '' },
          range: { path: corpus, start: 0, end },
          scorer: encodeScorerOptions({ families: [spec.annotation] }),
          batch: { ...LIMITS, maxSequenceLength: 0 },
          batching: 'dynamic',
          tokenTask: { format: spec.format, annotation: spec.annotation, scheme: 'IOB2' },
          onBadRecord: BadRecordPolicy.BAD_RECORD_POLICY_FAIL,
        }),
        { deadlineMs: 600_000 },
      );
      return { docs: result.partial!.docs, seconds: (performance.now() - started) / 1000 };
    }

    await overGrpc();
    await plainLoop();
    const seconds = { plain: [] as number[], worker: [] as number[] };
    let docs = 0;
    for (let round = 0; round < rounds; round++) {
      const plain = await plainLoop();
      const ours = await overGrpc();
      if (plain.docs !== ours.docs) throw new Error(`${spec.name}: the plain loop read ${plain.docs} documents, the worker ${ours.docs}`);
      docs = ours.docs;
      seconds.plain.push(plain.seconds);
      seconds.worker.push(ours.seconds);
    }
    const rate = (values: number[]) => (docs / median(values)).toFixed(0).padStart(6);
    console.log(`  ${spec.name.padEnd(12)} plain loop (read, tokenize, windows, infer, argmax) ${rate(seconds.plain)} docs/s`);
    console.log(`  ${spec.name.padEnd(12)} evalshard worker over gRPC (… and score)             ${rate(seconds.worker)} docs/s`);
    console.log(`  ${spec.name.padEnd(12)} ratio worker / plain loop: ${(median(seconds.plain) / median(seconds.worker)).toFixed(3)}`);
    await bundle.release();
  }
  await worker.stop();
}
