import type { MetricStates as MetricStatesMessage } from '@evalshard/proto';
import { InputError } from './errors.js';
import type { ScorerOptions } from './scorerOptions.js';
import { decodeTextcatState, encodeTextcatState } from './textcat/textcatCodec.js';
import { scoreTextcat } from './textcat/scoreTextcat.js';
import { initTextcatState, mergeTextcatState, type TextcatState } from './textcat/textcatState.js';

/** The states of every family a run scores; each merges on its own. */
export interface MetricStates {
  textcat?: TextcatState;
}

/** A flat score record in the reference's key names and order. */
export type ScoreRecord = Record<string, unknown>;

export function initMetricStates(options: ScorerOptions): MetricStates {
  return { textcat: options.textcat === undefined ? undefined : initTextcatState(options.textcat) };
}

/** Folds `other` into `into`; `other` must not be used afterwards. */
export function mergeMetricStates(into: MetricStates, other: MetricStates): MetricStates {
  if (into.textcat !== undefined && other.textcat !== undefined) mergeTextcatState(into.textcat, other.textcat);
  return into;
}

export function finalizeMetricStates(states: MetricStates, options: ScorerOptions): ScoreRecord {
  const record: ScoreRecord = {};
  if (options.textcat !== undefined && states.textcat !== undefined) {
    Object.assign(record, scoreTextcat(states.textcat, options.textcat));
  }
  return record;
}

export function encodeMetricStates(states: MetricStates): MetricStatesMessage {
  return { textcat: states.textcat === undefined ? undefined : encodeTextcatState(states.textcat) };
}

export function decodeMetricStates(message: MetricStatesMessage | undefined, options: ScorerOptions): MetricStates {
  const states: MetricStates = {};
  if (options.textcat !== undefined) {
    if (message?.textcat === undefined) {
      throw new InputError('the partial carries no textcat state but the run scores text categories', {
        code: 'STATE_MISMATCH',
      });
    }
    states.textcat = decodeTextcatState(message.textcat, options.textcat);
  }
  return states;
}
