import { FamilyState } from '@evalshard/proto';
import { InputError } from '../errors.js';
import { createFamilies } from '../families/createFamilies.js';
import type { ScoreFamily } from '../families/scoreFamily.js';
import type { MetricStates } from '../metricStates.js';
import { OrderedMerge } from '../orderedMerge.js';
import type { ScorerOptions } from '../scorerOptions.js';
import { sameBytes, WireReader } from './wireReader.js';

// Field numbers of partial.proto.
const STATES_FAMILIES = 1;
const STATES_REPLICATES = 2;
const FAMILY_NAME = 1;
const FAMILY_NAME_TAG = (FAMILY_NAME << 3) | 2;
const FAMILY_ANNOTATED_DOCS = 6;

interface DecodedSlot {
  state: unknown;
  annotatedDocs: number;
}

/** One family's merge: encoded fields folded into one state, or decoded states through an ordered merge. */
interface SlotMerge {
  readonly family: ScoreFamily<unknown>;
  readonly name: Uint8Array;
  readonly folded: unknown;
  readonly decoded: OrderedMerge<DecodedSlot> | undefined;
  annotatedDocs: number;
}

/**
 * Merges encoded `MetricStates` in shard order without building message
 * objects. A family that can fold an encoded state into its own
 * (foldEncodedField: counts add entry by entry, dependencies place each
 * index's counts) keeps one state that every partial is folded into in
 * order; merges are associative, so that is what any ordered merge tree
 * gives. Text classification, whose exact AUC lists would make a running
 * fold quadratic, decodes its own FamilyState and merges through an
 * OrderedMerge as before. Either way the result equals `mergeMetricStates`
 * over `decodeMetricStates`, and the same checks refuse a mismatched partial.
 */
export class EncodedStatesMerge {
  private readonly slots: SlotMerge[];
  private readonly replicates: EncodedStatesMerge[];
  private readonly reader = new WireReader();
  private readonly nameReader = new WireReader();
  private pushed = 0;
  private merged: MetricStates | undefined;
  // Where each family's and replicate's bytes lie in the partial being pushed.
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly replicateStarts: number[] = [];
  private readonly replicateEnds: number[] = [];

  constructor(private readonly options: ScorerOptions) {
    const encoder = new TextEncoder();
    this.slots = createFamilies(options).map((family) => ({
      family,
      name: encoder.encode(family.name),
      folded: family.foldEncodedField === undefined ? undefined : family.init(),
      decoded: family.foldEncodedField !== undefined ? undefined : new OrderedMerge<DecodedSlot>((left, right) => ({
        state: family.merge(left.state, right.state),
        annotatedDocs: left.annotatedDocs + right.annotatedDocs,
      })),
      annotatedDocs: 0,
    }));
    const plain = { ...options, bootstrap: undefined };
    this.replicates = Array.from({ length: options.bootstrap?.replicates ?? 0 }, () => new EncodedStatesMerge(plain));
  }

  /** Folds in the next partial's encoded states (its documents come after everything pushed before). */
  push(bytes: Uint8Array): void {
    if (this.merged !== undefined) throw new Error('EncodedStatesMerge: push after result');
    const reader = this.reader;
    reader.reset(bytes, 0, bytes.length);
    // Checked before anything is folded in, so a refused partial leaves the merge as it was.
    // Written by index, not emptied: setting an array's length costs a call into the runtime.
    const { starts, ends, replicateStarts, replicateEnds } = this;
    let families = 0;
    let replicate = 0;
    let namesMatch = true;
    while (reader.pos < reader.end) {
      const tag = reader.uint32();
      const field = tag >>> 3;
      if (field === STATES_FAMILIES && (tag & 7) === 2) {
        const length = reader.uint32();
        if (namesMatch && !this.nameMatches(bytes, reader.pos, reader.pos + length, families)) namesMatch = false;
        starts[families] = reader.pos;
        ends[families] = reader.pos + length;
        families++;
        reader.pos += length;
      } else if (field === STATES_REPLICATES && (tag & 7) === 2) {
        const length = reader.uint32();
        replicateStarts[replicate] = reader.pos;
        replicateEnds[replicate] = reader.pos + length;
        replicate++;
        reader.pos += length;
      } else {
        reader.skip(tag & 7);
      }
    }
    if (!namesMatch || families !== this.slots.length) {
      const names = starts.slice(0, families).map((start, i) => this.nameOf(bytes, start, ends[i]!));
      const expected = this.slots.map((slot) => slot.family.name);
      throw new InputError(`the partial carries states for [${names.join(', ')}] but the run scores [${expected.join(', ')}]`, {
        code: 'STATE_MISMATCH',
      });
    }
    if (replicate !== this.replicates.length) {
      throw new InputError(`the partial carries ${replicate} bootstrap replicates but the run asks for ${this.replicates.length}`, {
        code: 'STATE_MISMATCH',
      });
    }
    for (let i = 0; i < this.slots.length; i++) this.foldFamily(this.slots[i]!, bytes, starts[i]!, ends[i]!);
    for (let b = 0; b < replicate; b++) this.replicates[b]!.push(bytes.subarray(replicateStarts[b]!, replicateEnds[b]!));
    this.pushed++;
  }

  /** The merged states, or undefined if nothing was pushed; nothing may be pushed after. */
  result(): MetricStates | undefined {
    if (this.pushed === 0) return undefined;
    this.merged ??= this.states();
    return this.merged;
  }

  private states(): MetricStates {
    return {
      slots: this.slots.map((slot) => {
        if (slot.decoded === undefined) return { family: slot.family, state: slot.folded, annotatedDocs: slot.annotatedDocs };
        const merged = slot.decoded.result()!;
        return { family: slot.family, state: merged.state, annotatedDocs: merged.annotatedDocs };
      }),
      replicates: this.replicates.map((replicate) => replicate.states()),
      bootstrap: this.options.bootstrap,
    };
  }

  private nameMatches(bytes: Uint8Array, start: number, end: number, index: number): boolean {
    const expected = this.slots[index]?.name;
    // The name is written first, with a one-byte length: compared in place.
    if (expected !== undefined && expected.length < 0x80 && bytes[start] === FAMILY_NAME_TAG && bytes[start + 1] === expected.length && start + 2 + expected.length <= end) {
      return sameBytes(expected, bytes, start + 2, expected.length);
    }
    const at = this.nameAt(bytes, start, end);
    return expected !== undefined && at >= 0 && sameBytes(expected, bytes, at, this.nameReader.pos - at);
  }

  private nameOf(bytes: Uint8Array, start: number, end: number): string {
    const at = this.nameAt(bytes, start, end);
    return at < 0 ? '' : new TextDecoder().decode(bytes.subarray(at, this.nameReader.pos));
  }

  // Where a FamilyState's family name starts (-1: it has none); it ends at the name reader's position.
  private nameAt(bytes: Uint8Array, start: number, end: number): number {
    const reader = this.nameReader;
    reader.reset(bytes, start, end);
    while (reader.pos < reader.end) {
      const tag = reader.uint32();
      if (tag >>> 3 === FAMILY_NAME && (tag & 7) === 2) {
        const length = reader.uint32();
        const at = reader.pos;
        if (at + length > end) return -1;
        reader.pos += length;
        return at;
      }
      reader.skip(tag & 7);
    }
    return -1;
  }

  private foldFamily(slot: SlotMerge, bytes: Uint8Array, start: number, end: number): void {
    if (slot.decoded !== undefined) {
      const message = FamilyState.decode(bytes.subarray(start, end));
      slot.decoded.push({ state: slot.family.decode(message), annotatedDocs: message.annotatedDocs });
      return;
    }
    const reader = this.reader;
    reader.reset(bytes, start, end);
    while (reader.pos < reader.end) {
      const tag = reader.uint32();
      const field = tag >>> 3;
      if (field === FAMILY_ANNOTATED_DOCS && (tag & 7) === 0) slot.annotatedDocs += reader.uint64();
      else if (field === FAMILY_NAME) reader.skip(tag & 7);
      else if ((tag & 7) === 2) slot.family.foldEncodedField!(slot.folded, field, reader);
      else throw new InputError(`the ${slot.family.name} state carries field ${field} of wire type ${tag & 7}`, { code: 'BAD_PARTIAL' });
    }
  }
}
