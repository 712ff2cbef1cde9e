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

  it.each(['-1', '257', '1.5'])('refuses prefetch: %s, naming the field', async (value) => {
    const error = await refusal(`model: m\ncorpus: x.jsonl\ntask: textcat\nprefetch: ${value}\n`);
    expect(error.field).toBe('prefetch');
  });
});

describe('loadSpec prefetch', () => {
  const load = async (text: string, overrides = {}) => {
    const path = join(dir, 'prefetch.yaml');
    writeFileSync(join(dir, 'c.jsonl'), '{"text": "a", "cats": {"x": 1}}\n');
    writeFileSync(path, `model: m\ncorpus: c.jsonl\ntask: textcat\n${text}`);
    return loadSpec(path, overrides);
  };

  it('keeps as many shards waiting as there are workers unless told otherwise', async () => {
    expect((await load('')).prefetch).toBe(2);
    expect((await load('workers: 5\n')).prefetch).toBe(5);
    expect((await load('workers: 5\n', { workers: 3 })).prefetch).toBe(3);
    expect((await load('workers: 5\nprefetch: 0\n')).prefetch).toBe(0);
    expect((await load('prefetch: 7\n', { workers: 3 })).prefetch).toBe(7);
    expect((await load('prefetch: 7\n', { prefetch: 1 })).prefetch).toBe(1);
  });
});
