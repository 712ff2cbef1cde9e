import { readFile } from 'node:fs/promises';
import { InputError } from '@evalshard/scorer';
import { parseDocument } from 'yaml';
import { z } from 'zod';

/** `evalshard score --config FILE`: the reference scorers' option names. */
export const scoreConfigSchema = z.strictObject({
  scorers: z.array(z.string().min(1)).min(1).optional(),
  format: z.enum(['jsonl', 'conllu', 'iob']).optional(),
  cats: z
    .strictObject({
      labels: z.array(z.string().min(1)).min(1).optional(),
      multi_label: z.boolean().optional(),
      threshold: z.number().min(0).max(1).optional(),
      positive_label: z.string().min(1).optional(),
    })
    .optional(),
  deps: z.strictObject({ missing_indices: z.enum(['reference', 'per_example']).optional() }).optional(),
  spans: z.record(z.string(), z.strictObject({ allow_overlap: z.boolean().optional() })).optional(),
  macro_summation: z.enum(['compensated', 'plain']).optional(),
  bootstrap: z
    .strictObject({
      replicates: z.number().int().min(1).max(100_000),
      seed: z.number().int().min(0).optional(),
      confidence: z.number().gt(0).lt(1).optional(),
    })
    .optional(),
  seqeval: z
    .strictObject({
      mode: z.enum(['default', 'strict']).optional(),
      scheme: z.string().optional(),
      zero_division: z.union([z.literal(0), z.literal(1)]).optional(),
    })
    .optional(),
});

export type ScoreConfig = z.output<typeof scoreConfigSchema>;

export async function loadScoreConfig(path: string): Promise<ScoreConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError(`${path}: cannot read the scorer config`, { file: path, code: 'BAD_CONFIG' });
  }
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new InputError(`${path}: not valid YAML or JSON: ${document.errors[0]!.message}`, { file: path, code: 'BAD_CONFIG' });
  }
  const parsed = scoreConfigSchema.safeParse(document.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    const detail = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message;
    throw new InputError(`${path}: field "${field}": ${detail}`, { file: path, field, code: 'BAD_CONFIG' });
  }
  return parsed.data;
}
