// The price of exactness: the POS and NER bundles on their dev corpora in
// one process, fixed-shape batching (exact) against dynamic batching on the
// same documents, rounds interleaved, medians reported. Part of
// `npm run bench:worker`.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateTokenRange, loadModelBundle, type BatchingMode, type RangeTotals } from '@evalshard/gpu-worker';
import { initMetricStates } from '@evalshard/scorer';
import { median } from './median.js';

const LIMITS = { maxDocs: 32, maxTokens: 4096, maxSequenceLength: 0 };
const BUNDLES = [
  { name: 'UPOS tagger', dir: 'examples/transformers/pos/model', corpus: 'test/data/ud-english-ewt/en_ewt-ud-dev.conllu', format: 'conllu', annotation: 'pos' },
  { name: 'NER tagger', dir: 'examples/transformers/ner/model', corpus: 'test/data/uner-english-ewt/en_ewt-ud-dev.iob2', format: 'iob', annotation: 'ents' },
] as const;

export async function exactBatchingBench(root: string, rounds: number, threads: number): Promise<void> {
  console.log(`\nexact (fixed shapes) against dynamic batching, in one process, ${threads} intra-op thread, ${rounds} interleaved rounds:`);
  for (const spec of BUNDLES) {
    const bundle = await loadModelBundle(join(root, spec.dir), { executionProviders: ['cpu'], intraOpThreads: threads });
    const corpus = join(root, spec.corpus);
    const measure = async (batching: BatchingMode): Promise<{ seconds: number; totals: RangeTotals }> => {
      const started = performance.now();
      const totals = await evaluateTokenRange({
        bundle,
        path: corpus,
        start: 0,
        end: statSync(corpus).size,
        task: { format: spec.format, annotation: spec.annotation, scheme: 'IOB2', batching },
        states: initMetricStates({ families: [spec.annotation] }),
        batch: LIMITS,
      });
      return { seconds: (performance.now() - started) / 1000, totals };
    };
    await measure('fixed');
    const seconds: Record<'fixed' | 'dynamic', number[]> = { fixed: [], dynamic: [] };
    const last: Partial<Record<'fixed' | 'dynamic', RangeTotals>> = {};
    for (let round = 0; round < rounds; round++) {
      for (const batching of ['fixed', 'dynamic'] as const) {
        const { seconds: s, totals } = await measure(batching);
        seconds[batching].push(s);
        last[batching] = totals;
      }
    }
    const { docs, tokens } = last.fixed!;
    for (const batching of ['fixed', 'dynamic'] as const) {
      const totals = last[batching]!;
      const padded = 1 - totals.rowTokens / totals.positions;
      const s = median(seconds[batching]);
      console.log(
        `  ${spec.name.padEnd(12)} ${batching.padEnd(8)} ${(docs / s).toFixed(0).padStart(6)} docs/s ${(tokens / s).toFixed(0).padStart(8)} tokens/s  ` +
          `${totals.batches} calls, ${(padded * 100).toFixed(1)} % of positions padding`,
      );
    }
    console.log(`  ${spec.name.padEnd(12)} ratio exact / dynamic (docs/s): ${(median(seconds.dynamic) / median(seconds.fixed)).toFixed(3)}`);
    await bundle.release();
  }
}
