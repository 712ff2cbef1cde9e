import type { MetricStates as MetricStatesMessage } from '@evalshard/proto';
import { InputError } from './errors.js';
import { createFamilies } from './families/createFamilies.js';
import type { ScoreFamily, ScoreRecord } from './families/scoreFamily.js';
import type { ScoringExample } from './families/scoringExample.js';
import type { ScorerOptions } from './scorerOptions.js';
import type { TextcatState } from './textcat/textcatState.js';

export type { ScoreRecord } from './families/scoreFamily.js';

export interface FamilySlot {
  readonly family: ScoreFamily<unknown>;
  state: unknown;
  /** Gold documents that carried the family's annotation. */
  annotatedDocs: number;
}

/** The states of every family a run scores, in report order; each merges on its own. */
export interface MetricStates {
  readonly slots: FamilySlot[];
}

export function initMetricStates(options: ScorerOptions): MetricStates {
  return { slots: createFamilies(options).map((family) => ({ family, state: family.init(), annotatedDocs: 0 })) };
}

/** Folds one gold/predicted document pair into every family. */
export function updateMetricStates(states: MetricStates, example: ScoringExample): void {
  for (const slot of states.slots) {
    try {
      if (slot.family.annotates(example)) slot.annotatedDocs += 1;
      slot.family.update(slot.state, example);
    } catch (error) {
      const where = example.where();
      if (!(error instanceof InputError) || where === '') throw error;
      throw new InputError(`${where}: ${slot.family.name}: ${error.message}`, {
        code: error.code,
        file: example.origins!.gold.file,
        byteOffset: example.origins!.gold.byteOffset,
      });
    }
  }
}

/** The text-classification state, for callers that fold predictions directly. */
export function textcatStateOf(states: MetricStates): TextcatState | undefined {
  return states.slots.find((slot) => slot.family.name === 'cats')?.state as TextcatState | undefined;
}

/** Folds `right` into `left` (left's documents come first); `right` must not be used afterwards. */
export function mergeMetricStates(left: MetricStates, right: MetricStates): MetricStates {
  left.slots.forEach((slot, i) => {
    const other = right.slots[i]!;
    slot.state = slot.family.merge(slot.state, other.state);
    slot.annotatedDocs += other.annotatedDocs;
  });
  return left;
}

export interface FinalizeOptions {
  /** Leave out families no gold document annotated (the default family selection). */
  onlyAnnotated?: boolean;
}

/** The families a report includes. */
export function reportedFamilies(states: MetricStates, options: FinalizeOptions = {}): string[] {
  return states.slots.filter((slot) => !options.onlyAnnotated || slot.annotatedDocs > 0).map((slot) => slot.family.name);
}

/** One flat record; a key repeated by a later family keeps its first position. */
export function finalizeMetricStates(states: MetricStates, options: FinalizeOptions = {}): ScoreRecord {
  const record: ScoreRecord = {};
  for (const slot of states.slots) {
    if (options.onlyAnnotated && slot.annotatedDocs === 0) continue;
    Object.assign(record, slot.family.finalize(slot.state));
  }
  return record;
}

export function encodeMetricStates(states: MetricStates): MetricStatesMessage {
  return {
    families: states.slots.map((slot) => ({
      family: slot.family.name,
      counts: [],
      labels: [],
      deps: undefined,
      textcat: undefined,
      ...slot.family.encode(slot.state),
      annotatedDocs: slot.annotatedDocs,
    })),
  };
}

export function decodeMetricStates(message: MetricStatesMessage | undefined, options: ScorerOptions): MetricStates {
  const families = createFamilies(options);
  const encoded = message?.families ?? [];
  const names = encoded.map((family) => family.family);
  const expected = families.map((family) => family.name);
  if (names.join('\u0000') !== expected.join('\u0000')) {
    throw new InputError(
      `the partial carries states for [${names.join(', ')}] but the run scores [${expected.join(', ')}]`,
      { code: 'STATE_MISMATCH' },
    );
  }
  return {
    slots: families.map((family, i) => ({
      family,
      state: family.decode(encoded[i]!),
      annotatedDocs: encoded[i]!.annotatedDocs,
    })),
  };
}
