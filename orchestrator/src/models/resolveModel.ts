import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { expandPathPattern } from '../spec/pathPattern.js';
import { compareCodePoints, InputError } from '@evalshard/scorer';

export const BUNDLE_FILES = ['model.onnx', 'config.json', 'tokenizer.json'] as const;

export interface ResolvedModel {
  /** The bundle folder a run evaluates. */
  path: string;
  /** How it was chosen: the spec named it, or the newest of N bundles. */
  chosenFrom: number;
}

/**
 * The bundle a run evaluates: `model` names a bundle, a folder of bundles
 * (checkpoints) or a glob of bundle folders. Of several, the newest complete
 * one: all bundle files present, newest by its files' latest modification,
 * ties broken by name. A checkpoint still being copied lacks a file or is
 * newer than its siblings only once complete, so copy bundles in and rename
 * them into place last (README).
 */
export async function resolveModel(model: string): Promise<ResolvedModel> {
  const expanded = await expandPathPattern(model, 'directories');
  const pattern = expanded.pattern;
  if (!pattern && (await looksLikeBundle(model))) {
    await requireBundleFiles(model);
    return { path: model, chosenFrom: 1 };
  }
  const candidates = pattern
    ? expanded.paths.sort(compareCodePoints)
    : await subfolders(model);
  let newest: { path: string; time: number } | undefined;
  let complete = 0;
  for (const path of candidates) {
    const time = await bundleTime(path);
    if (time === undefined) continue;
    complete += 1;
    if (newest === undefined || time > newest.time || (time === newest.time && compareCodePoints(basename(path), basename(newest.path)) > 0)) {
      newest = { path, time };
    }
  }
  if (newest === undefined) {
    throw new InputError(
      `model: ${model}: no complete model bundle there (a bundle is a folder with ${BUNDLE_FILES.join(', ')}; ` +
        `model may name one, a folder of them, or a glob)`,
      { field: 'model', file: model, code: 'MISSING_MODEL_FILE' },
    );
  }
  return { path: newest.path, chosenFrom: complete };
}

// A folder holding any bundle file is meant as one bundle, not a folder of them.
async function looksLikeBundle(dir: string): Promise<boolean> {
  for (const name of BUNDLE_FILES) if (await stat(join(dir, name)).catch(() => undefined)) return true;
  return false;
}

async function requireBundleFiles(dir: string): Promise<void> {
  for (const name of BUNDLE_FILES) {
    const path = join(dir, name);
    const isFile = await stat(path).then(
      (info) => info.isFile(),
      () => false,
    );
    if (!isFile) {
      throw new InputError(`model: ${path}: no such file (a model bundle needs ${BUNDLE_FILES.join(', ')})`, {
        field: 'model',
        file: path,
        code: 'MISSING_MODEL_FILE',
      });
    }
  }
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`model: ${dir}: ${error.code === 'ENOENT' ? 'no such folder' : `cannot read it (${error.code})`}`, {
      field: 'model',
      file: dir,
      code: 'MISSING_MODEL_FILE',
    });
  });
  return entries
    // A hidden folder is a checkpoint still being written (README: write aside, rename into place).
    .filter((entry) => (entry.isDirectory() || entry.isSymbolicLink()) && !entry.name.startsWith('.'))
    .map((entry) => join(dir, entry.name))
    .sort(compareCodePoints);
}

// The latest modification of a complete bundle's files; undefined when one is missing.
async function bundleTime(dir: string): Promise<number | undefined> {
  let latest = 0;
  for (const name of BUNDLE_FILES) {
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info === undefined || !info.isFile()) return undefined;
    latest = Math.max(latest, info.mtimeMs);
  }
  return latest;
}
