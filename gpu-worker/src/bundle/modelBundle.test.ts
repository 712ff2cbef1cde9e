import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../inference/runBatch.js';
import { DEMO_MODEL, repoPath } from '../testing/paths.js';
import { loadModelBundle, type ModelBundle } from './modelBundle.js';

interface ModelOracle {
  tokenizers: string;
  onnxruntime: string;
  cases: Array<{ text: string; ids: number[]; logits: number[] }>;
}

const oracle = JSON.parse(readFileSync(repoPath('test/fixtures/spam-model-oracle.json'), 'utf8')) as ModelOracle;
const cpu = { executionProviders: ['cpu'], intraOpThreads: 1 };
let bundle: ModelBundle;

beforeAll(async () => {
  bundle = await loadModelBundle(DEMO_MODEL, cpu);
});
afterAll(async () => {
  await bundle.release();
});

async function logitsOf(batches: number[][][]): Promise<Float32Array[]> {
  const rows: Float32Array[] = [];
  for (const batch of batches) {
    const model = { session: bundle.session, inputs: bundle.inputs, logitsName: bundle.logitsName, padId: 0 };
    const width = Math.max(...batch.map((ids) => ids.length));
    await runBatch(model, { width, rows: batch.map((ids, item) => ({ ids, item })), fillers: 0 }, (_item, logits) =>
      rows.push(Float32Array.from(logits)),
    );
  }
  return rows;
}

describe(`the demo bundle against tokenizers ${oracle.tokenizers} and onnxruntime ${oracle.onnxruntime} (Python)`, () => {
  it('tokenizes every text to the same ids', async () => {
    const encoder = await bundle.encoderFor(bundle.defaultMaxSequenceLength);
    const encoded = await encoder.encodeBatch(oracle.cases.map((c) => c.text));
    oracle.cases.forEach(({ text, ids }, i) => expect(encoded[i], text.slice(0, 60)).toEqual(ids));
  });

  it('computes the same logits bit for bit', async () => {
    const rows = await logitsOf(oracle.cases.map((c) => [c.ids]));
    rows.forEach((row, i) => expect(Array.from(row)).toEqual(oracle.cases[i]!.logits));
  });

  it('gives each document the same logits whatever batch it is padded into', async () => {
    const ids = oracle.cases.map((c) => c.ids);
    const alone = await logitsOf(ids.map((one) => [one]));
    const together = await logitsOf([ids]);
    const inSevens = await logitsOf(Array.from({ length: Math.ceil(ids.length / 7) }, (_, k) => ids.slice(k * 7, k * 7 + 7)));
    expect(together).toEqual(alone);
    expect(inSevens).toEqual(alone);
  });
});

describe('loadModelBundle refuses what a text classifier cannot use', () => {
  it('names a missing file', async () => {
    await expect(loadModelBundle(repoPath('test/fixtures/models/does-not-exist'), cpu)).rejects.toThrow(
      /does-not-exist\/model\.onnx: no such file/,
    );
  });

  it('names the inputs of a model that takes no token ids', async () => {
    await expect(loadModelBundle(repoPath('test/fixtures/models/image-inputs'), cpu)).rejects.toThrow(
      /image-inputs\/model\.onnx: inputs are \[pixel_values\]; a classifier takes input_ids/,
    );
  });

  it('names the mismatch between logits and id2label', async () => {
    await expect(loadModelBundle(repoPath('test/fixtures/models/three-logits'), cpu)).rejects.toThrow(
      /three-logits\/model\.onnx: output logits has 3 labels but config\.json's id2label names 2/,
    );
  });
});
