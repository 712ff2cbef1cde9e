import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '@evalshard/scorer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLE_FILES, resolveModel } from './resolveModel.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'resolve-model-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

// Fixed times in seconds, far from "now", so that a test never depends on when it runs.
const T0 = 1_700_000_000;

/** A bundle folder whose files carry the given mtimes (seconds), in BUNDLE_FILES order; `omit` leaves one out. */
function bundle(dir: string, times: number[] = [T0, T0, T0], omit?: string): string {
  mkdirSync(dir, { recursive: true });
  BUNDLE_FILES.forEach((name, i) => {
    if (name === omit) return;
    const path = join(dir, name);
    writeFileSync(path, name);
    utimesSync(path, times[i]!, times[i]!);
  });
  return dir;
}

async function inputError(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('resolveModel: a bundle folder', () => {
  it('resolves to itself, chosen from 1', async () => {
    const dir = bundle(join(root, 'model'));
    await expect(resolveModel(dir)).resolves.toEqual({ path: dir, chosenFrom: 1 });
  });

  it.each(BUNDLE_FILES)('refuses a bundle without %s, naming that file', async (missing) => {
    const dir = bundle(join(root, 'model'), undefined, missing);
    const error = await inputError(resolveModel(dir));
    expect(error.field).toBe('model');
    expect(error.message).toContain(join(dir, missing));
    expect(error.file).toBe(join(dir, missing));
  });
});

describe('resolveModel: a folder of bundles', () => {
  it('picks the bundle whose latest file is newest, not the one newer on average', async () => {
    // ckpt-a's latest file (T0+50) beats ckpt-b's (T0+40) though ckpt-b's files are all newer than ckpt-a's others.
    bundle(join(root, 'ckpt-a'), [T0, T0 + 50, T0]);
    bundle(join(root, 'ckpt-b'), [T0 + 40, T0 + 30, T0 + 30]);
    bundle(join(root, 'ckpt-c'), [T0 + 10, T0 + 10, T0 + 10]);
    await expect(resolveModel(root)).resolves.toEqual({ path: join(root, 'ckpt-a'), chosenFrom: 3 });
  });

  it('breaks equal times by the name later in code-point order', async () => {
    // "Z" (U+005A) sorts before "a" (U+0061) by code point but after it in a locale-aware order.
    bundle(join(root, 'a-ckpt'));
    bundle(join(root, 'Z-ckpt'));
    bundle(join(root, 'B-ckpt'));
    await expect(resolveModel(root)).resolves.toEqual({ path: join(root, 'a-ckpt'), chosenFrom: 3 });
  });

  it('skips incomplete bundles, however new, and does not count them', async () => {
    bundle(join(root, 'old'), [T0, T0, T0]);
    bundle(join(root, 'copying'), [T0 + 100, T0 + 100, T0 + 100], 'tokenizer.json');
    bundle(join(root, 'mid'), [T0 + 5, T0 + 5, T0 + 5]);
    await expect(resolveModel(root)).resolves.toEqual({ path: join(root, 'mid'), chosenFrom: 2 });
  });

  it('ignores hidden folders even when they are the newest complete bundle', async () => {
    bundle(join(root, 'ckpt-1'), [T0, T0, T0]);
    bundle(join(root, '.ckpt-2.partial'), [T0 + 100, T0 + 100, T0 + 100]);
    await expect(resolveModel(root)).resolves.toEqual({ path: join(root, 'ckpt-1'), chosenFrom: 1 });
  });

  it('ignores plain files beside the bundles', async () => {
    bundle(join(root, 'ckpt-1'));
    writeFileSync(join(root, 'notes.txt'), 'x');
    await expect(resolveModel(root)).resolves.toEqual({ path: join(root, 'ckpt-1'), chosenFrom: 1 });
  });

  it('refuses a folder with no complete bundle', async () => {
    bundle(join(root, 'ckpt-1'), undefined, 'model.onnx');
    mkdirSync(join(root, 'empty'));
    const error = await inputError(resolveModel(root));
    expect(error.field).toBe('model');
    expect(error.message).toContain(root);
  });

  it('refuses an empty folder', async () => {
    const error = await inputError(resolveModel(root));
    expect(error.field).toBe('model');
  });
});

describe('resolveModel: a glob', () => {
  it('picks the newest complete match and counts only complete matches', async () => {
    bundle(join(root, 'ckpt-1'), [T0, T0, T0]);
    bundle(join(root, 'ckpt-2'), [T0 + 20, T0 + 20, T0 + 20]);
    bundle(join(root, 'ckpt-3'), [T0 + 99, T0 + 99, T0 + 99], 'config.json');
    // Newer but not matched by the pattern.
    bundle(join(root, 'other'), [T0 + 500, T0 + 500, T0 + 500]);
    const resolved = await resolveModel(`${root}/ckpt-*`);
    // tinyglobby returns directories with a trailing slash; the folder is what matters.
    expect(resolve(resolved.path)).toBe(join(root, 'ckpt-2'));
    expect(resolved.chosenFrom).toBe(2);
  });

  it('breaks equal times among matches by the later name', async () => {
    bundle(join(root, 'ckpt-b'));
    bundle(join(root, 'ckpt-a'));
    bundle(join(root, 'ckpt-B'));
    const resolved = await resolveModel(`${root}/ckpt-?`);
    expect(resolve(resolved.path)).toBe(join(root, 'ckpt-b'));
    expect(resolved.chosenFrom).toBe(3);
  });

  it('does not match hidden folders', async () => {
    bundle(join(root, 'ckpt-1'));
    bundle(join(root, '.ckpt-2'), [T0 + 100, T0 + 100, T0 + 100]);
    expect(resolve((await resolveModel(`${root}/*`)).path)).toBe(join(root, 'ckpt-1'));
  });

  it('refuses a glob that matches nothing', async () => {
    const error = await inputError(resolveModel(`${root}/nothing-*`));
    expect(error.field).toBe('model');
  });
});

describe('resolveModel: a path that does not exist', () => {
  it('is an input error on the model field', async () => {
    const missing = join(root, 'no-such-folder');
    const error = await inputError(resolveModel(missing));
    expect(error.field).toBe('model');
    expect(error.message).toContain(missing);
  });
});

describe('resolveModel: paths a glob would misread', () => {
  it('takes an existing path with glob characters as written, a bundle or a folder of them', async () => {
    const folder = join(root, 'models (v2)');
    const only = bundle(join(folder, 'ckpt'));
    expect((await resolveModel(only)).path).toBe(only);
    expect((await resolveModel(folder)).path).toBe(only);
  });

  it('returns a glob match without a trailing slash', async () => {
    const newest = bundle(join(root, 'ckpt-2'), [T0 + 5, T0 + 5, T0 + 5]);
    bundle(join(root, 'ckpt-1'));
    expect((await resolveModel(join(root, 'ckpt-*'))).path).toBe(newest);
  });
});
