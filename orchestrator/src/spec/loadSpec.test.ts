import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '@evalshard/scorer';
import { loadSpec } from './loadSpec.js';

const dir = mkdtempSync(join(tmpdir(), 'load-spec-'));

async function refusal(text: string): Promise<InputError> {
  const path = join(dir, 'spec.yaml');
  writeFileSync(path, text);
  try {
    await loadSpec(path);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('the spec loaded');
}

describe('loadSpec on broken YAML', () => {
  it('refuses an alias without its anchor as bad YAML, naming the file (found by npm run fuzz)', async () => {
    const error = await refusal('model: *a\ncorpus: x.jsonl\ntask: textcat\n');
    expect(error.code).toBe('BAD_SPEC');
    expect(error.file).toMatch(/spec\.yaml$/);
    expect(error.message).toMatch(/not valid YAML: Unresolved alias/);
  });

  it('names the field of a value the schema refuses', async () => {
    const error = await refusal('model: m\ncorpus: x.jsonl\ntask: textcat\nworkers: -2\n');
    expect(error.field).toBe('workers');
  });
});
