import type { MetricStates as MetricStatesMessage } from '@evalshard/proto';
import { InputError } from './errors.js';
import { createFamilies } from './families/createFamilies.js';
import type { ScoreFamily, ScoreRecord } from './families/scoreFamily.js';
import type { ScoringExample } from './families/scoringExample.js';
import { percentileInterval } from './bootstrap/percentileInterval.js';
import { poissonWeight } from './bootstrap/poissonWeight.js';
import type { BootstrapOptions, ScorerOptions } from './scorerOptions.js';
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
  /** One complete set of states per bootstrap replicate (none without --bootstrap). */
  readonly replicates: MetricStates[];
  readonly bootstrap?: BootstrapOptions;
}

export function initMetricStates(options: ScorerOptions): MetricStates {
  const replicates = Array.from({ length: options.bootstrap?.replicates ?? 0 }, () =>
    initMetricStates({ ...options, bootstrap: undefined }),
  );
  return {
    slots: createFamilies(options).map((family) => ({ family, state: family.init(), annotatedDocs: 0 })),
    replicates,
    bootstrap: options.bootstrap,
  };
}

/**
 * Folds one gold/predicted document pair into every family, and into each
 * bootstrap replicate as many times as its Poisson weight there says.
 */
export function updateMetricStates(states: MetricStates, example: ScoringExample): void {
  updateSlots(states, example);
  const bootstrap = states.bootstrap;
  if (bootstrap === undefined) return;
  states.replicates.forEach((replicate, b) => {
    const weight = poissonWeight(example.gold.id, b, bootstrap.seed);
    for (let k = 0; k < weight; k++) updateSlots(replicate, example);
  });
}

function updateSlots(states: MetricStates, example: ScoringExample): void {
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

/**
 * Folds one text-classification prediction, for callers that hold it as
 * category scores rather than documents: into the state, and into each
 * bootstrap replicate as many times as the document's weight there.
 */
export function foldTextcat(states: MetricStates, documentId: string, fold: (state: TextcatState) => void): void {
  fold(textcatStateOf(states)!);
  const bootstrap = states.bootstrap;
  if (bootstrap === undefined) return;
  states.replicates.forEach((replicate, b) => {
    const weight = poissonWeight(documentId, b, bootstrap.seed);
    const state = textcatStateOf(replicate)!;
    for (let k = 0; k < weight; k++) fold(state);
  });
}

/** Folds `right` into `left` (left's documents come first); `right` must not be used afterwards. */
export function mergeMetricStates(left: MetricStates, right: MetricStates): MetricStates {
  left.slots.forEach((slot, i) => {
    const other = right.slots[i]!;
    slot.state = slot.family.merge(slot.state, other.state);
    slot.annotatedDocs += other.annotatedDocs;
  });
  left.replicates.forEach((replicate, b) => mergeMetricStates(replicate, right.replicates[b]!));
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

/**
 * One flat record; a key repeated by a later family keeps its first position.
 * With a bootstrap, each scalar score is followed by `<key>_ci: [low, high]`.
 */
export function finalizeMetricStates(states: MetricStates, options: FinalizeOptions = {}): ScoreRecord {
  const record: ScoreRecord = {};
  for (const slot of states.slots) {
    if (options.onlyAnnotated && slot.annotatedDocs === 0) continue;
    Object.assign(record, slot.family.finalize(slot.state));
  }
  if (states.bootstrap === undefined || states.replicates.length === 0) return record;
  const replicates = states.replicates.map((replicate) => finalizeMetricStates(replicate));
  const withIntervals: ScoreRecord = {};
  for (const [key, value] of Object.entries(record)) {
    withIntervals[key] = value;
    if (value !== null && typeof value !== 'number') continue;
    const samples = replicates.map((replicate) => replicate[key] as number | null);
    withIntervals[`${key}_ci`] = percentileInterval(samples, states.bootstrap.confidence);
  }
  return withIntervals;
}

/**
 * Each bootstrap replicate's scalar scores, in report order: what a paired
 * comparison of two runs needs (their replicates weight documents alike).
 */
export function replicateScalarScores(states: MetricStates, options: FinalizeOptions = {}): Array<Record<string, number | null>> {
  const keys = Object.entries(finalizeMetricStates({ ...states, replicates: [], bootstrap: undefined }, options))
    .filter(([, value]) => value === null || typeof value === 'number')
    .map(([key]) => key);
  return states.replicates.map((replicate) => {
    const record = finalizeMetricStates(replicate);
    return Object.fromEntries(keys.map((key) => [key, (record[key] as number | null | undefined) ?? null]));
  });
}

export function encodeMetricStates(states: MetricStates): MetricStatesMessage {
  return {
    replicates: states.replicates.map(encodeMetricStates),
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
  const replicateCount = options.bootstrap?.replicates ?? 0;
  if ((message?.replicates.length ?? 0) !== replicateCount) {
    throw new InputError(
      `the partial carries ${message?.replicates.length ?? 0} bootstrap replicates but the run asks for ${replicateCount}`,
      { code: 'STATE_MISMATCH' },
    );
  }
  const plain = { ...options, bootstrap: undefined };
  return {
    slots: families.map((family, i) => ({
      family,
      state: family.decode(encoded[i]!),
      annotatedDocs: encoded[i]!.annotatedDocs,
    })),
    replicates: (message?.replicates ?? []).map((replicate) => decodeMetricStates(replicate, plain)),
    bootstrap: options.bootstrap,
  };
}
