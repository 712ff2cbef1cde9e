import { InputError } from '@evalshard/scorer';
import type { GateSpec } from '../runTypes.js';
import { parseGates } from './parseGate.js';

/** The gate flags of `run` and `schedule create/update`. */
export interface GateFlags {
  failIf?: string[];
  maxDrop?: string[];
  baseline?: string;
  alpha?: number;
}

/** The gates the flags ask for (null: none), checked now so that a typo fails before anything starts. */
export function gateSpecOf(flags: GateFlags): GateSpec | null {
  const failIf = flags.failIf ?? [];
  const maxDrop = flags.maxDrop ?? [];
  if (failIf.length === 0 && maxDrop.length === 0) {
    if (flags.baseline !== undefined || flags.alpha !== undefined) {
      throw new InputError('--baseline and --alpha qualify --max-drop; give --max-drop KEY=DROP', { field: '--max-drop' });
    }
    return null;
  }
  if (flags.alpha !== undefined && !(flags.alpha > 0 && flags.alpha < 1)) {
    throw new InputError(`--alpha: ${flags.alpha} is not a significance level between 0 and 1`, { field: '--alpha' });
  }
  const spec: GateSpec = { failIf, maxDrop, baseline: flags.baseline ?? 'last-success', alpha: flags.alpha ?? null };
  parseGates(spec);
  return spec;
}
