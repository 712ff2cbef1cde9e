import { InputError } from '@evalshard/scorer';
import { describeFailure } from '../cli/describeFailure.js';

/** Prints why a control command failed; exit 2 for what the command line must change, else 1. */
export function controlFailure(error: unknown): number {
  process.stderr.write(`error: ${describeFailure(error).message}\n`);
  if (process.env.EVALSHARD_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  return error instanceof InputError ? 2 : 1;
}
