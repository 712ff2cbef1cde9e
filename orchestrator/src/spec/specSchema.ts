import { z } from 'zod';

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  kib: 1024,
  mb: 1e6,
  mib: 1024 ** 2,
  gb: 1e9,
  gib: 1024 ** 3,
};
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Bytes: a number, or a string such as "256KiB" or "64 MB". */
export const sizeSchema = z.union([z.number().int().positive(), z.string()]).transform((value, context) => {
  if (typeof value === 'number') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i.exec(value);
  if (match === null) {
    context.addIssue({ code: 'custom', message: `"${value}" is not a size (use bytes or e.g. "256KiB", "64MB")` });
    return z.NEVER;
  }
  return Math.max(1, Math.round(Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()]!));
});

/** Milliseconds: a number, or a string such as "30s", "10m", "1h". */
export const durationSchema = z.union([z.number().int().positive(), z.string()]).transform((value, context) => {
  if (typeof value === 'number') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(value);
  if (match === null) {
    context.addIssue({ code: 'custom', message: `"${value}" is not a duration (use e.g. "500ms", "30s", "10m", "1h")` });
    return z.NEVER;
  }
  return Math.round(Number(match[1]) * DURATION_UNITS[match[2]!]!);
});

const positiveInt = z.number().int().positive();

const scorerSchema = z.strictObject({
  multiLabel: z.boolean().optional(),
  threshold: z.number().min(0).max(1).optional(),
  positiveLabel: z.string().min(1).optional(),
  macroSummation: z.enum(['compensated', 'plain']).default('compensated'),
});
const batchSchema = z.strictObject({
  maxDocs: positiveInt.default(32),
  maxTokens: positiveInt.default(8192),
  maxSequenceLength: positiveInt.optional(),
});
const runtimeSchema = z.strictObject({
  executionProviders: z.array(z.string().min(1)).min(1).default(['cpu']),
  intraOpThreads: z.number().int().min(0).default(0),
});
const seqevalSchema = z.strictObject({
  mode: z.enum(['default', 'strict']).default('default'),
  scheme: z.enum(['IOB1', 'IOE1', 'IOB2', 'IOE2', 'IOBES', 'BILOU']).optional(),
  zeroDivision: z.union([z.literal(0), z.literal(1)]).default(0),
});
/** A token classifier: what its labels are and how its corpus is written. */
const tokensSchema = z.strictObject({
  annotation: z.enum(['pos', 'tag', 'ents']),
  scheme: z.enum(['IOB2', 'BILOU', 'IOBES', 'plain']).default('IOB2'),
  format: z.enum(['jsonl', 'conllu', 'iob']).optional(),
  scorers: z.array(z.string().min(1)).min(1).optional(),
  seqeval: seqevalSchema.default({ mode: 'default', zeroDivision: 0 }),
});
/** Poisson bootstrap replicates: percentile intervals, and the paired comparison of runs. */
const bootstrapSchema = z.strictObject({
  replicates: positiveInt.max(10_000),
  seed: z.number().int().default(0),
});
const timeoutsSchema = z.strictObject({
  shard: durationSchema.default(3_600_000),
  heartbeat: durationSchema.default(30_000),
});
const retrySchema = z.strictObject({
  maximumAttempts: positiveInt.max(100).default(5),
  initialInterval: durationSchema.default(1_000),
  maximumInterval: durationSchema.default(30_000),
});

/** An evaluation spec as written in YAML or JSON. Unknown keys are errors. */
export const specSchema = z
  .strictObject({
    /** Model bundle folder (model.onnx, config.json, tokenizer.json). */
    model: z.string().min(1),
    /** A path, a list of paths, or a glob; relative to the spec's folder. */
    corpus: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    task: z.enum(['textcat', 'token-classification']),
    /** token-classification only. */
    tokens: tokensSchema.optional(),
    /** Fixed-shape batching, so a document's logits do not depend on its batch; false: dynamic batching. */
    exact: z.boolean().default(true),
    /** Labels to score, in order; default: the model's id2label order. */
    labels: z.array(z.string().min(1)).min(1).optional(),
    scorer: scorerSchema.default({ macroSummation: 'compensated' }),
    bootstrap: bootstrapSchema.optional(),
    shards: positiveInt.optional(),
    shardSize: sizeSchema.optional(),
    batch: batchSchema.default({ maxDocs: 32, maxTokens: 8192 }),
    workers: positiveInt.max(256).default(2),
    /** Shards sent ahead to wait in the GPU workers' queues, beyond `workers`; default: as many as `workers`. */
    prefetch: z.number().int().min(0).max(256).optional(),
    onBadRecord: z.enum(['fail', 'skip']).default('fail'),
    maxListedSkips: z.number().int().min(0).max(10_000).default(20),
    /** A longer corpus record (JSONL line) is a bad record, never read into memory. */
    maxRecordBytes: sizeSchema.optional(),
    corpusDigest: z.enum(['content', 'stat']).default('content'),
    runtime: runtimeSchema.default({ executionProviders: ['cpu'], intraOpThreads: 0 }),
    timeouts: timeoutsSchema.default({ shard: 3_600_000, heartbeat: 30_000 }),
    retry: retrySchema.default({ maximumAttempts: 5, initialInterval: 1_000, maximumInterval: 30_000 }),
  })
  .superRefine((spec, context) => {
    if (spec.task === 'token-classification' && spec.tokens === undefined) {
      context.addIssue({ code: 'custom', path: ['tokens'], message: 'required for task token-classification (annotation: pos, tag or ents)' });
    }
    if (spec.task === 'textcat' && spec.tokens !== undefined) {
      context.addIssue({ code: 'custom', path: ['tokens'], message: 'is for task token-classification' });
    }
    if (spec.shards !== undefined && spec.shardSize !== undefined) {
      context.addIssue({ code: 'custom', path: ['shardSize'], message: 'give either shards or shardSize, not both' });
    }
    if (spec.batch.maxSequenceLength !== undefined && spec.batch.maxSequenceLength > spec.batch.maxTokens) {
      context.addIssue({
        code: 'custom',
        path: ['batch', 'maxSequenceLength'],
        message: `is larger than batch.maxTokens (${spec.batch.maxTokens}): one document would not fit a batch`,
      });
    }
  });

/** The keys each object of the spec accepts, by dotted path ("" is the top). */
export const KNOWN_SPEC_KEYS: Record<string, string[]> = {
  '': Object.keys(specSchema.shape),
  scorer: Object.keys(scorerSchema.shape),
  tokens: Object.keys(tokensSchema.shape),
  'tokens.seqeval': Object.keys(seqevalSchema.shape),
  batch: Object.keys(batchSchema.shape),
  runtime: Object.keys(runtimeSchema.shape),
  timeouts: Object.keys(timeoutsSchema.shape),
  retry: Object.keys(retrySchema.shape),
  bootstrap: Object.keys(bootstrapSchema.shape),
};

export type SpecInput = z.input<typeof specSchema>;
export type ParsedSpec = z.output<typeof specSchema>;
