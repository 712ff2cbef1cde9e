import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '@evalshard/scorer';
import * as ort from 'onnxruntime-node';
import { WordTokenizer } from '../tokens/wordTokenizer.js';
import { bundleDigest } from './bundleDigest.js';
import { graphOps, rowCouplingOps } from './graphOps.js';
import { TextEncoder } from '../tokens/textEncoder.js';

export type ProblemType = 'single_label_classification' | 'multi_label_classification';

/** What the logits are: one row per document, or one row per token. */
export type ClassifierKind = 'sequence' | 'token';

export interface TensorSignature {
  name: string;
  elementType: string;
  dims: string[];
}

export interface RuntimeOptions {
  /** onnxruntime execution providers in order of preference, e.g. ['cuda', 'cpu']. */
  executionProviders: string[];
  /** Threads inside one operator; 0 lets onnxruntime choose. */
  intraOpThreads: number;
}

/** An opened Optimum-layout bundle: model.onnx, config.json, tokenizer.json. */
export interface ModelBundle {
  readonly dir: string;
  readonly digest: string;
  readonly session: ort.InferenceSession;
  /** id2label in index order. */
  readonly labels: string[];
  readonly problemType: ProblemType;
  readonly kind: ClassifierKind;
  readonly inputs: TensorSignature[];
  readonly outputs: TensorSignature[];
  /** The output holding the logits. */
  readonly logitsName: string;
  /** Operators of the graph that make a row's result depend on its batch (see graphOps). */
  readonly rowCoupling: string[];
  readonly executionProviders: string[];
  readonly defaultMaxSequenceLength: number;
  /** The text classifier's encoder for a maximum length (loaded once per length). */
  encoderFor(maxSequenceLength: number): Promise<TextEncoder>;
  /** The tokenizer for words given as they are (token classification), loaded on first use. */
  wordTokenizer(): Promise<WordTokenizer>;
  release(): Promise<void>;
}

const REQUIRED_FILES = ['model.onnx', 'config.json', 'tokenizer.json'] as const;
const TEXT_INPUTS = new Set(['input_ids', 'attention_mask', 'token_type_ids']);
const FALLBACK_MAX_LENGTH = 512;

export async function loadModelBundle(dir: string, runtime: RuntimeOptions): Promise<ModelBundle> {
  for (const name of REQUIRED_FILES) await requireFile(join(dir, name));
  const config = await readJson(join(dir, 'config.json'));
  const labels = labelsOf(config, join(dir, 'config.json'));
  const tokenizerFile = join(dir, 'tokenizer.json');
  const tokenizerJson = await readJson(tokenizerFile);
  const modelFile = join(dir, 'model.onnx');
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelFile, {
      executionProviders: runtime.executionProviders,
      intraOpNumThreads: runtime.intraOpThreads,
      graphOptimizationLevel: 'all',
      // Kernels with a faster nondeterministic variant (atomics on CUDA) pick the
      // deterministic one, so equal shapes give equal bytes run after run.
      extra: { session: { use_deterministic_compute: '1' } },
    });
  } catch (error) {
    throw new InputError(`${modelFile}: onnxruntime cannot load it (${(error as Error).message})`, {
      file: modelFile,
      code: 'BAD_MODEL',
      cause: error,
    });
  }
  const inputs = session.inputMetadata.map(signatureOf);
  const outputs = session.outputMetadata.map(signatureOf);
  const { kind, logitsName } = checkClassifier(modelFile, inputs, outputs, labels.length);
  const rowCoupling = rowCouplingOps(graphOps(await readFile(modelFile)));
  const truncation = (tokenizerJson as { truncation?: { max_length?: number } | null }).truncation;
  const defaultMaxSequenceLength =
    truncation?.max_length ?? (config.max_position_embeddings as number | undefined) ?? FALLBACK_MAX_LENGTH;
  // The tokenizer is loaded now, so a broken one fails the plan, not a shard.
  let words = kind === 'token' ? Promise.resolve(await WordTokenizer.fromFile(tokenizerFile)) : undefined;
  const encoders = new Map<number, Promise<TextEncoder>>();
  if (kind === 'sequence') {
    const encoder = TextEncoder.fromFile(tokenizerFile, defaultMaxSequenceLength);
    await encoder;
    encoders.set(defaultMaxSequenceLength, encoder);
  }
  return {
    dir,
    digest: await bundleDigest(dir),
    session,
    labels,
    problemType: config.problem_type === 'multi_label_classification' ? 'multi_label_classification' : 'single_label_classification',
    kind,
    inputs,
    outputs,
    logitsName,
    rowCoupling,
    executionProviders: runtime.executionProviders,
    defaultMaxSequenceLength,
    encoderFor(maxSequenceLength) {
      let encoder = encoders.get(maxSequenceLength);
      if (encoder === undefined) {
        encoder = TextEncoder.fromFile(tokenizerFile, maxSequenceLength);
        encoders.set(maxSequenceLength, encoder);
      }
      return encoder;
    },
    wordTokenizer: () => (words ??= WordTokenizer.fromFile(tokenizerFile)),
    release: () => session.release(),
  };
}

/**
 * Refuses a model that neither a text nor a token classifier can feed, before
 * any shard is run: token inputs [batch, sequence], and logits [batch,
 * labels] (one row a document) or [batch, sequence, labels] (one a token)
 * with as many labels as config.json names.
 */
function checkClassifier(
  modelFile: string,
  inputs: TensorSignature[],
  outputs: TensorSignature[],
  labelCount: number,
): { kind: ClassifierKind; logitsName: string } {
  const fail = (reason: string): never => {
    throw new InputError(`${modelFile}: ${reason}`, { file: modelFile, code: 'MODEL_MISMATCH' });
  };
  const names = inputs.map((input) => input.name);
  const unknown = names.filter((name) => !TEXT_INPUTS.has(name));
  if (!names.includes('input_ids') || unknown.length > 0) {
    fail(
      `inputs are [${names.join(', ')}]; a classifier takes input_ids and optionally attention_mask and token_type_ids`,
    );
  }
  for (const input of inputs) {
    if (input.elementType !== 'int64' && input.elementType !== 'int32') {
      fail(`input ${input.name} has element type ${input.elementType}; token inputs must be int64 or int32`);
    }
    if (input.dims.length !== 2) fail(`input ${input.name} has ${input.dims.length} dimensions; expected [batch, sequence]`);
  }
  const logits = outputs.find((output) => output.name === 'logits') ?? (outputs.length === 1 ? outputs[0] : undefined);
  if (logits === undefined) fail(`outputs are [${outputs.map((o) => o.name).join(', ')}]; expected logits`);
  const dims = logits!.dims.length;
  if (dims !== 2 && dims !== 3) {
    fail(`output ${logits!.name} has ${dims} dimensions; expected logits [batch, labels] or [batch, sequence, labels]`);
  }
  const width = Number(logits!.dims[dims - 1]);
  if (Number.isInteger(width) && width !== labelCount) {
    fail(`output ${logits!.name} has ${width} labels but config.json's id2label names ${labelCount}`);
  }
  return { kind: dims === 2 ? 'sequence' : 'token', logitsName: logits!.name };
}

/** Refuses a bundle whose logits do not fit the task, naming both. */
export function requireClassifier(bundle: ModelBundle, kind: ClassifierKind, task: string): void {
  if (bundle.kind === kind) return;
  const shape = bundle.kind === 'sequence' ? '[batch, labels] (a text classifier)' : '[batch, sequence, labels] (a token classifier)';
  throw new InputError(`${join(bundle.dir, 'model.onnx')}: its logits are ${shape}; task ${task} needs a ${kind} classifier`, {
    file: join(bundle.dir, 'model.onnx'),
    field: 'task',
    code: 'MODEL_MISMATCH',
  });
}

function labelsOf(config: Record<string, unknown>, file: string): string[] {
  const id2label = config.id2label;
  if (typeof id2label !== 'object' || id2label === null) {
    throw new InputError(`${file}: id2label is missing`, { file, field: 'id2label', code: 'BAD_MODEL' });
  }
  const entries = Object.entries(id2label as Record<string, unknown>);
  const labels: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const label = (id2label as Record<string, unknown>)[String(i)];
    if (typeof label !== 'string') {
      throw new InputError(`${file}: id2label must map 0..${entries.length - 1} to label names; ${i} is missing`, {
        file,
        field: 'id2label',
        code: 'BAD_MODEL',
      });
    }
    labels.push(label);
  }
  return labels;
}

function signatureOf(metadata: ort.InferenceSession.ValueMetadata): TensorSignature {
  if (!metadata.isTensor) return { name: metadata.name, elementType: 'non-tensor', dims: [] };
  return { name: metadata.name, elementType: metadata.type, dims: metadata.shape.map(String) };
}

async function requireFile(path: string): Promise<void> {
  if (!(await exists(path))) {
    throw new InputError(`${path}: no such file (a model bundle needs model.onnx, config.json and tokenizer.json)`, {
      file: path,
      code: 'MISSING_MODEL_FILE',
    });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new InputError(`${path}: not valid JSON (${(error as Error).message})`, { file: path, code: 'BAD_MODEL', cause: error });
  }
}
