import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '@evalshard/scorer';

/**
 * The folders a cluster worker may read models and corpora from and write
 * predictions to (--data-root). A path counts as inside only after symlinks
 * and `..` are resolved, so a link under a root that points elsewhere is
 * outside. No roots: every path is allowed (the embedded stack).
 */
export class DataRoots {
  private readonly roots: string[];

  constructor(roots: readonly string[]) {
    this.roots = roots.map((root) => {
      try {
        return realpathSync(root);
      } catch {
        throw new Error(`--data-root ${root}: no such folder`);
      }
    });
  }

  /** Throws OUTSIDE_DATA_ROOT unless `path` resolves to a place under a root. */
  check(path: string, field: string): void {
    if (this.roots.length === 0) return;
    const real = realPathOf(resolve(path));
    if (this.roots.some((root) => isWithin(real, root))) return;
    throw new InputError(
      `${path} is outside this worker's data roots (${this.roots.join(', ')})${real === resolve(path) ? '' : `: it resolves to ${real}`}`,
      { field, file: path, code: 'OUTSIDE_DATA_ROOT' },
    );
  }
}

// The real path of the nearest existing ancestor, with the rest appended: a
// predictions folder may not exist yet, and its parent decides where it lands.
function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return resolve(realPathOf(parent), relative(parent, path));
  }
}

function isWithin(path: string, root: string): boolean {
  const rest = relative(root, path);
  return rest === '' || (!rest.startsWith(`..${sep}`) && rest !== '..' && !isAbsolute(rest));
}
