import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '@evalshard/scorer';

const BUNDLE_FILES = ['model.onnx', 'config.json', 'tokenizer.json'];

/** Fails before anything starts when the bundle folder lacks a file. */
export async function checkModelFiles(dir: string): Promise<void> {
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
