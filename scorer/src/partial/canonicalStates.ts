import type { MetricStates as MetricStatesMessage } from '@evalshard/proto';
import { InputError } from '../errors.js';
import { decodeMetricStates, encodeMetricStates, type MetricStates } from '../metricStates.js';
import type { ScorerOptions } from '../scorerOptions.js';

/**
 * Decodes a partial's states, refusing any that evalshard would not have
 * written: a state encodes canonically (map-like fields sorted, no
 * duplicates, AUC scores ascending), so one that does not come back
 * unchanged from decoding and encoding again was damaged or forged, and
 * storing it would merge something other than what it says.
 */
export function decodeCanonicalStates(message: MetricStatesMessage | undefined, options: ScorerOptions): MetricStates {
  const states = decodeMetricStates(message, options);
  if (!sameMessage(encodeMetricStates(states), message ?? { families: [], replicates: [] })) {
    throw new InputError('the partial\'s states are not in canonical form: they were damaged, or written by something other than an evalshard worker', {
      code: 'BAD_PARTIAL',
    });
  }
  return states;
}

// Field by field, as the encoding would compare them (numbers bit for bit: -0 is not 0), without encoding.
function sameMessage(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameMessage(a[i], b[i])) return false;
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  // A key only one side has counts when its value is set (ts-proto leaves unset message fields undefined).
  for (const key in left) if (!sameMessage(left[key], right[key])) return false;
  for (const key in right) if (!(key in left) && right[key] !== undefined) return false;
  return true;
}
