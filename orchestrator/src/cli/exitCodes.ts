import { InputError } from '@evalshard/scorer';

export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_REGRESSED = 3;
export const EXIT_INTERRUPTED = 130;

/** Another run holds the embedded stack's state directory: the command line must change. */
export function isBusyStateDir(error: unknown): boolean {
  return error instanceof InputError && error.code === 'STATE_DIR_BUSY';
}
