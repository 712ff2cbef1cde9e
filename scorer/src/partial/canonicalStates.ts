import { MetricStates as MetricStatesMessage } from '@evalshard/proto';
import { InputError } from '../errors.js';
import { decodeMetricStates, encodeMetricStates, type MetricStates } from '../metricStates.js';
import type { ScorerOptions } from '../scorerOptions.js';

/**
 * Decodes a partial's states, refusing any that evalshard would not have
 * written: a state encodes canonically (map-like fields sorted, no
 * duplicates, AUC scores ascending), so one that does not survive decoding
 * and encoding unchanged was damaged or forged, and storing it would merge
 * something other than what it says.
 */
export function decodeCanonicalStates(message: MetricStatesMessage | undefined, options: ScorerOptions): MetricStates {
  const states = decodeMetricStates(message, options);
  const given = MetricStatesMessage.encode(message ?? { families: [], replicates: [] }).finish();
  const canonical = MetricStatesMessage.encode(encodeMetricStates(states)).finish();
  if (!Buffer.from(given).equals(Buffer.from(canonical))) {
    throw new InputError('the partial\'s states are not in canonical form: they were damaged, or written by something other than an evalshard worker', {
      code: 'BAD_PARTIAL',
    });
  }
  return states;
}
