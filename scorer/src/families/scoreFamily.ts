import type { FamilyState } from '@evalshard/proto';
import type { WireReader } from '../partial/wireReader.js';
import type { ScoringExample } from './scoringExample.js';

/** A flat score record in the reference's key names and order. */
export type ScoreRecord = Record<string, unknown>;

/**
 * One score family as a mergeable state, in the staged shape of a
 * torchmetrics metric: init, update with one example, merge, finalize, and a
 * canonical encoding. `merge(left, right)` must equal updating `left` with
 * right's examples after its own; it may reuse `left`.
 */
export interface ScoreFamily<State> {
  readonly name: string;
  init(): State;
  update(state: State, example: ScoringExample): void;
  merge(left: State, right: State): State;
  finalize(state: State): ScoreRecord;
  encode(state: State): FamilyEncoding;
  decode(message: FamilyState): State;
  /** Whether the gold side of the example carries this family's annotation. */
  annotates(example: ScoringExample): boolean;
  /**
   * Folds one field of an encoded FamilyState other than its name and
   * annotated documents (the reader just past the field's tag) into `state`,
   * as merge(state, decode(message)) would, so that stored partials merge
   * without building objects (EncodedStatesMerge). A family without it is
   * decoded and merged.
   */
  foldEncodedField?(state: State, field: number, reader: WireReader): void;
}

export type FamilyEncoding = Partial<Pick<FamilyState, 'counts' | 'labels' | 'deps' | 'textcat'>>;
