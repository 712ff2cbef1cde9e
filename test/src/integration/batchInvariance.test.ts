import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import {
  loadModelBundle,
  planWindows,
  rowBatcher,
  runBatch,
  type BatchingMode,
  type ModelBundle,
  type TokenBatch,
} from '@evalshard/gpu-worker';
import { loadSpec } from '@evalshard/orchestrator';
import { readDocs } from '@evalshard/scorer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/corpora.js';
import { repoPath } from '../helpers/paths.js';
import { expectSameScores } from '../helpers/sameScores.js';
import { distributedRun, singlePass, startTestStack, testExecutionProviders, type TestStack } from '../helpers/testStack.js';

const run = promisify(execFile);
const RUNTIME = { executionProviders: testExecutionProviders(), intraOpThreads: 1 };
const LIMITS = { maxDocs: 8, maxTokens: 1024 };

/** The first windows of a corpus's documents, as model rows (special tokens included). */
async function windowRows(bundle: ModelBundle, corpus: string, format: 'conllu' | 'iob' | 'jsonl', count: number): Promise<number[][]> {
  if (format === 'jsonl') {
    // A text classifier: each record's text, encoded and truncated as the worker does.
    const encoder = await bundle.encoderFor(bundle.defaultMaxSequenceLength);
    const lines = readFileSync(corpus, 'utf8').split('\n').filter((line) => line.trim() !== '').slice(0, count);
    return encoder.encodeBatch(lines.map((line) => (JSON.parse(line) as { text: string }).text));
  }
  const tokenizer = await bundle.wordTokenizer();
  const room = bundle.defaultMaxSequenceLength - tokenizer.prefix.length - tokenizer.suffix.length;
  const rows: number[][] = [];
  for await (const { doc } of readDocs(corpus, format, { start: 0, end: statSync(corpus).size })) {
    const { ids, firstSubwords } = await tokenizer.encode(doc.tokens.map((token) => token.text));
    for (const { start, end } of planWindows(firstSubwords, ids.length, room).windows) {
      if (end > start) rows.push([...tokenizer.prefix, ...ids.slice(start, end), ...tokenizer.suffix]);
    }
    if (rows.length >= count) break;
  }
  return rows.slice(0, count);
}

/** Each row's logits, as bytes, when the rows arrive in `order` and are batched by `mode`. */
async function logitsBytes(bundle: ModelBundle, rows: number[][], order: number[], mode: BatchingMode): Promise<string[]> {
  const model = { session: bundle.session, inputs: bundle.inputs, logitsName: bundle.logitsName, padId: 0 };
  const batcher = rowBatcher<number>(mode, bundle.defaultMaxSequenceLength, LIMITS);
  const out: string[] = new Array<string>(rows.length);
  const runAll = async (batches: Array<TokenBatch<number>>) => {
    for (const batch of batches) {
      await runBatch(model, batch, (item, logits, labels) => {
        // The row's own positions (a token classifier's padding is not part of its result).
        const own = logits.length === labels ? logits : logits.subarray(0, rows[item]!.length * labels);
        out[item] = Buffer.from(own.buffer, own.byteOffset, own.byteLength).toString('hex');
      });
    }
  };
  for (const item of order) await runAll(batcher.add({ ids: rows[item]!, item }));
  await runAll(batcher.flush());
  return out;
}

const BUNDLES = [
  { name: 'UPOS', dir: 'examples/transformers/pos/model', corpus: 'test/data/ud-english-ewt/en_ewt-ud-dev.conllu', format: 'conllu' },
  { name: 'NER', dir: 'examples/transformers/ner/model', corpus: 'test/data/uner-english-ewt/en_ewt-ud-dev.iob2', format: 'iob' },
  { name: 'spam classifier', dir: 'examples/transformers/spam/model', corpus: 'examples/spamassassin/test.jsonl', format: 'jsonl' },
] as const;

describe.each(BUNDLES)('$name bundle: a document’s logits in exact mode', ({ dir, corpus, format }) => {
  let bundle: ModelBundle;
  let rows: number[][];
  let alone: string[];
  beforeAll(async () => {
    bundle = await loadModelBundle(repoPath(dir), RUNTIME);
    rows = await windowRows(bundle, repoPath(corpus), format, 48);
    // Each row in a call of its own shape, its fillers copies of itself.
    alone = [];
    for (let item = 0; item < rows.length; item++) alone.push((await logitsBytes(bundle, [rows[item]!], [0], 'fixed'))[0]!);
  });
  afterAll(async () => {
    await bundle?.release();
  });

  it('are the same bytes in any batch composition and position', async () => {
    expect(bundle.rowCoupling).toEqual([]);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(rows.map((_, i) => i), { minLength: rows.length }), async (order) => {
        expect(await logitsBytes(bundle, rows, order, 'fixed')).toEqual(alone);
      }),
      { numRuns: 12 },
    );
  });
});

describe('a dynamically quantized (int8) copy of the NER bundle', () => {
  let dir: string;
  let bundle: ModelBundle;
  let stack: TestStack;
  beforeAll(async () => {
    dir = join(scratchDir(), 'ner-int8');
    mkdirSync(dir);
    const source = repoPath('examples/transformers/ner/model');
    for (const file of ['config.json', 'tokenizer.json']) copyFileSync(join(source, file), join(dir, file));
    await run('python3', [
      '-c',
      'import sys\nfrom onnxruntime.quantization import quantize_dynamic, QuantType\nquantize_dynamic(sys.argv[1], sys.argv[2], weight_type=QuantType.QInt8)',
      join(source, 'model.onnx'),
      join(dir, 'model.onnx'),
    ]);
    bundle = await loadModelBundle(dir, RUNTIME);
    stack = await startTestStack(2);
  });
  afterAll(async () => {
    await bundle?.release();
    await stack?.stop();
  });

  it('is found to couple rows, runs one document per call in exact mode, and does differ when batched', async () => {
    expect(bundle.rowCoupling).toEqual(['DynamicQuantizeLinear']);
    const rows = await windowRows(bundle, repoPath('test/data/uner-english-ewt/en_ewt-ud-dev.iob2'), 'iob', 48);
    const order = rows.map((_, i) => i);
    const single = await logitsBytes(bundle, rows, order, 'single');
    const reversed = await logitsBytes(bundle, rows, [...order].reverse(), 'single');
    expect(reversed).toEqual(single);
    // Batched, a row's scale comes from its neighbours too: the check can fail.
    const batched = await logitsBytes(bundle, rows, order, 'fixed');
    expect(batched.filter((bytes, i) => bytes !== single[i]).length).toBeGreaterThan(0);
  });

  it('gives the single-pass scores at 1 and 7 shards, and says which batching ran', async () => {
    const specOf = async (shards?: number) => {
      const spec = await loadSpec(repoPath('examples/uner-ner.yaml'), { shards });
      return { ...spec, model: dir, runtime: { ...spec.runtime, executionProviders: testExecutionProviders() } };
    };
    const reference = await singlePass(await specOf());
    expect(reference.run.batching).toBe('single');
    for (const shards of [1, 7]) {
      const report = await distributedRun(stack, await specOf(shards));
      expect(report.run.batching).toBe('single');
      expectSameScores(report.scores, reference.scores);
    }
  });
});
