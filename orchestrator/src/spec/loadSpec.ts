import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { DEFAULT_MAX_RECORD_BYTES, InputError } from '@evalshard/scorer';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { expandPathPattern } from './pathPattern.js';
import type { ResolvedSpec } from './resolvedSpec.js';
import { KNOWN_SPEC_KEYS, sizeSchema, specSchema, type ParsedSpec } from './specSchema.js';

/** Command-line values that replace the spec's. */
export interface SpecOverrides {
  /** Resolved against the working directory, not the spec's folder. */
  corpus?: string[];
  shards?: number;
  shardSize?: string;
  workers?: number;
  prefetch?: number;
  /** Resolved against the working directory. */
  savePredictions?: string;
  bootstrap?: number;
  seed?: number;
}

export async function loadSpec(specPath: string, overrides: SpecOverrides = {}, cwd = process.cwd()): Promise<ResolvedSpec> {
  const absolute = resolve(cwd, specPath);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new InputError(`${specPath}: cannot read the spec (${(error as NodeJS.ErrnoException).code ?? error})`, {
      file: specPath,
      code: 'BAD_SPEC',
    });
  }
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new InputError(`${specPath}: not valid YAML or JSON: ${document.errors[0]!.message}`, {
      file: specPath,
      code: 'BAD_SPEC',
    });
  }
  let raw: unknown;
  try {
    raw = document.toJS() as unknown;
  } catch (error) {
    // An alias to an anchor that is not there, or aliases that expand without end.
    throw new InputError(`${specPath}: not valid YAML: ${(error as Error).message}`, { file: specPath, code: 'BAD_SPEC' });
  }
  return resolveSpec(raw, { specPath, baseDir: dirname(absolute), overrides, cwd });
}

export async function resolveSpec(
  raw: unknown,
  context: { specPath: string | null; baseDir: string; overrides?: SpecOverrides; cwd?: string },
): Promise<ResolvedSpec> {
  const label = context.specPath ?? 'spec';
  const parsed = specSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new InputError(parsed.error.issues.map((issue) => `${label}: ${describeIssue(issue, raw)}`).join('\n'), {
      file: context.specPath ?? undefined,
      field: fieldOf(first),
      code: 'BAD_SPEC',
    });
  }
  const spec: ParsedSpec = parsed.data;
  const overrides = context.overrides ?? {};
  const cwd = context.cwd ?? process.cwd();
  const corpusPatterns =
    overrides.corpus !== undefined
      ? overrides.corpus.map((path) => resolve(cwd, path))
      : (Array.isArray(spec.corpus) ? spec.corpus : [spec.corpus]).map((path) => resolve(context.baseDir, path));
  const corpus = await expandCorpus(corpusPatterns, overrides.corpus !== undefined ? '--corpus' : 'corpus', label);
  let sharding = { shards: spec.shards ?? null, shardSize: spec.shardSize ?? null };
  if (overrides.shards !== undefined) sharding = { shards: overrides.shards, shardSize: null };
  if (overrides.shardSize !== undefined) {
    const size = sizeSchema.safeParse(overrides.shardSize);
    if (!size.success) throw new InputError(`--shard-size: ${size.error.issues[0]!.message}`, { field: 'shardSize' });
    sharding = { shards: null, shardSize: size.data };
  }
  const workers = overrides.workers ?? spec.workers;
  return {
    specPath: context.specPath === null ? null : resolve(cwd, context.specPath),
    model: isAbsolute(spec.model) ? spec.model : resolve(context.baseDir, spec.model),
    corpus,
    task: spec.task,
    tokens:
      spec.tokens === undefined
        ? null
        : {
            annotation: spec.tokens.annotation,
            scheme: spec.tokens.scheme,
            format: spec.tokens.format ?? null,
            scorers: spec.tokens.scorers ?? null,
            seqeval: {
              mode: spec.tokens.seqeval.mode,
              scheme: spec.tokens.seqeval.scheme ?? null,
              zeroDivision: spec.tokens.seqeval.zeroDivision,
            },
          },
    exact: spec.exact,
    savePredictions: overrides.savePredictions === undefined ? null : resolve(cwd, overrides.savePredictions),
    labels: spec.labels ?? null,
    scorer: {
      multiLabel: spec.scorer.multiLabel ?? null,
      threshold: spec.scorer.threshold ?? null,
      positiveLabel: spec.scorer.positiveLabel ?? null,
      macroSummation: spec.scorer.macroSummation,
    },
    bootstrap:
      overrides.bootstrap !== undefined || spec.bootstrap !== undefined
        ? {
            replicates: overrides.bootstrap ?? spec.bootstrap!.replicates,
            seed: overrides.seed ?? spec.bootstrap?.seed ?? 0,
          }
        : null,
    sharding,
    batch: {
      maxDocs: spec.batch.maxDocs,
      maxTokens: spec.batch.maxTokens,
      maxSequenceLength: spec.batch.maxSequenceLength ?? 0,
    },
    workers,
    prefetch: overrides.prefetch ?? spec.prefetch ?? workers,
    onBadRecord: spec.onBadRecord,
    maxListedSkips: spec.maxListedSkips,
    maxRecordBytes: spec.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    corpusDigest: spec.corpusDigest,
    runtime: spec.runtime,
    timeouts: { shardMs: spec.timeouts.shard, heartbeatMs: spec.timeouts.heartbeat },
    retry: {
      maximumAttempts: spec.retry.maximumAttempts,
      initialIntervalMs: spec.retry.initialInterval,
      maximumIntervalMs: spec.retry.maximumInterval,
    },
  };
}

async function expandCorpus(patterns: string[], field: string, label: string): Promise<string[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    const expanded = await expandPathPattern(pattern, 'files');
    if (expanded.pattern) {
      const matches = expanded.paths.sort();
      if (matches.length === 0) {
        throw new InputError(`${label}: ${field}: the pattern ${pattern} matches no file`, { field, code: 'BAD_SPEC' });
      }
      files.push(...matches);
      continue;
    }
    let isFile = false;
    try {
      isFile = (await stat(pattern)).isFile();
    } catch {
      throw new InputError(`${label}: ${field}: ${pattern}: no such file`, { field, file: pattern, code: 'BAD_SPEC' });
    }
    if (!isFile) throw new InputError(`${label}: ${field}: ${pattern} is not a file`, { field, file: pattern, code: 'BAD_SPEC' });
    files.push(pattern);
  }
  const duplicate = files.find((file, i) => files.indexOf(file) !== i);
  if (duplicate !== undefined) {
    throw new InputError(`${label}: ${field}: ${duplicate} is listed twice; its documents would count twice`, {
      field,
      code: 'BAD_SPEC',
    });
  }
  return files;
}

function fieldOf(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join('.');
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const field = fieldOf(issue);
  if (issue.code === 'unrecognized_keys') {
    const known = KNOWN_SPEC_KEYS[field] ?? [];
    return issue.keys
      .map((key) => {
        const path = field === '' ? key : `${field}.${key}`;
        const suggestion = closest(key, known);
        return `field "${path}": unknown key${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}; allowed: ${known.join(', ')}`;
      })
      .join('\n');
  }
  if (field === '') return issue.message;
  if (issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined) return `field "${field}": required`;
  return `field "${field}": ${issue.message}`;
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
