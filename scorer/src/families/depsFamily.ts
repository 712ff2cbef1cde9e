import type { DepsState as DepsStateMessage } from '@evalshard/proto';
import { pyIsSpace, pyStrip } from '../docs/pythonText.js';
import { InputError } from '../errors.js';
import type { WireReader } from '../partial/wireReader.js';
import { PrfMap, totalOf } from '../prf/prfMap.js';
import { foldEncodedEntry, foldEncodedEntryTwice } from '../prf/prfWire.js';
import { emptyPrfCounts, fscoreOf, type PrfCounts } from '../prf/prfScore.js';
import type { ScoreFamily } from './scoreFamily.js';
import type { ScoringExample } from './scoringExample.js';

const UNLABELLED = 'u';
const LABELLED = 'l';
const DEP = 'dep:';
const IGNORED_LABELS = new Set(['p', 'punct']);

export type DepsMissingIndices = 'reference' | 'per-example';

interface IndexCounts {
  /** What the index adds when no earlier document marked it missing. */
  ifPresent: PrfMap;
  /** What it adds when one did: predictions there are skipped. */
  ifMissing: PrfMap;
}

export interface DepsState {
  base: PrfMap;
  perIndex: Map<number, IndexCounts>;
  missing: Set<number>;
}

/**
 * The parser's scores (`dep_uas`, `dep_las`, `dep_las_per_type`) from
 * Scorer.score_deps with lowercased labels and `p`/`punct` ignored.
 *
 * spaCy builds its set of missing gold indices once, before the loop over
 * documents, so a missing dependency at token i suppresses predictions at
 * token i in every later document. That makes the state order-dependent; it
 * stays mergeable by keeping, per gold index, the counts for both cases and
 * the indices this state marked missing: merge(L, R) takes R's counts by
 * whether L marked the index. Shards merge in shard order. `per-example`
 * keeps missing indices within their document, and the state is plain sums.
 */
export function depsFamily(mode: DepsMissingIndices): ScoreFamily<DepsState> {
  return {
    name: 'deps',
    init: () => ({ base: new PrfMap(), perIndex: new Map(), missing: new Set() }),
    annotates: (example) => example.gold.tokens.some((token) => token.dep !== null),
    update(state, example) {
      const contributions = exampleContributions(example);
      if (mode === 'per-example') {
        state.base.addAll(contributions.base);
        for (const [index, counts] of contributions.perIndex) {
          state.base.addAll(contributions.missing.has(index) ? counts.ifMissing : counts.ifPresent);
        }
        return;
      }
      state.base.addAll(contributions.base);
      for (const [index, counts] of contributions.perIndex) {
        const slot = slotFor(state, index);
        const missingAlready = contributions.missing.has(index) || state.missing.has(index);
        slot.ifPresent.addAll(missingAlready ? counts.ifMissing : counts.ifPresent);
        slot.ifMissing.addAll(counts.ifMissing);
      }
      for (const index of contributions.missing) state.missing.add(index);
    },
    merge(left, right) {
      left.base.addAll(right.base);
      for (const [index, counts] of right.perIndex) {
        const slot = slotFor(left, index);
        slot.ifPresent.addAll(left.missing.has(index) ? counts.ifMissing : counts.ifPresent);
        slot.ifMissing.addAll(counts.ifMissing);
      }
      for (const index of right.missing) left.missing.add(index);
      return left;
    },
    finalize(state) {
      const total = new PrfMap().addAll(state.base);
      for (const counts of state.perIndex.values()) total.addAll(counts.ifPresent);
      const unlabelled = total.counts.get(UNLABELLED) ?? emptyPrfCounts();
      if (totalOf(unlabelled) === 0) return { dep_uas: null, dep_las: null, dep_las_per_type: null };
      return {
        dep_uas: fscoreOf(unlabelled),
        dep_las: fscoreOf(total.counts.get(LABELLED) ?? emptyPrfCounts()),
        dep_las_per_type: total.labelScores(DEP, (counts) => totalOf(counts) > 0),
      };
    },
    encode: (state) => ({ deps: encodeDeps(state) }),
    decode: (message) => decodeDeps(message.deps),
    foldEncodedField(state, field, reader) {
      if (field !== FAMILY_DEPS) throw new InputError(`a deps family state carries field ${field}`, { code: 'BAD_PARTIAL' });
      foldEncodedDeps(state, reader);
    },
  };
}

// Field numbers of partial.proto's FamilyState.deps, DepsState and DepsIndexState.
const FAMILY_DEPS = 4;
const DEPS_BASE = 1;
const DEPS_INDICES = 2;
const DEPS_MISSING = 3;
const INDEX_INDEX = 1;
const INDEX_IF_PRESENT = 2;
const INDEX_IF_MISSING = 3;

/** merge(state, decodeDeps(encoded)) without the objects; the reader is at the DepsState's length. */
function foldEncodedDeps(state: DepsState, reader: WireReader): void {
  const end = reader.uint32() + reader.pos;
  // The right side's missing indices join only after its per-index counts are placed, as in merge.
  const missing: number[] = [];
  while (reader.pos < end) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    if (field === DEPS_BASE && (tag & 7) === 2) foldEncodedEntry(reader, state.base);
    else if (field === DEPS_INDICES && (tag & 7) === 2) foldEncodedIndex(state, reader);
    else if (field === DEPS_MISSING && (tag & 7) === 2) {
      const packedEnd = reader.uint32() + reader.pos;
      while (reader.pos < packedEnd) missing.push(reader.uint32());
    } else if (field === DEPS_MISSING && (tag & 7) === 0) missing.push(reader.uint32());
    else reader.skip(tag & 7);
  }
  for (const index of missing) state.missing.add(index);
}

function foldEncodedIndex(state: DepsState, reader: WireReader): void {
  const end = reader.uint32() + reader.pos;
  // The index decides where the counts go, so it is found first (absent means 0). It is written
  // first; only where it is not does this look for it in the whole message.
  let index = 0;
  const start = reader.pos;
  if (start < end && reader.bytes[start] === INDEX_INDEX << 3) {
    reader.pos++;
    index = reader.uint32();
  } else {
    while (reader.pos < end) {
      const tag = reader.uint32();
      if (tag === INDEX_INDEX << 3) index = reader.uint32();
      else reader.skip(tag & 7);
    }
    reader.pos = start;
  }
  const slot = slotFor(state, index);
  const present = state.missing.has(index) ? INDEX_IF_MISSING : INDEX_IF_PRESENT;
  while (reader.pos < end) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    if ((tag & 7) !== 2 || (field !== INDEX_IF_PRESENT && field !== INDEX_IF_MISSING)) {
      reader.skip(tag & 7);
      continue;
    }
    // ifMissing counts go to both sides; ifPresent ones only where the left had not marked the index.
    if (field === INDEX_IF_MISSING) {
      if (present === INDEX_IF_MISSING) foldEncodedEntryTwice(reader, slot.ifMissing, slot.ifPresent);
      else foldEncodedEntry(reader, slot.ifMissing);
    } else if (present === INDEX_IF_PRESENT) {
      foldEncodedEntry(reader, slot.ifPresent);
    } else {
      reader.skip(2);
    }
  }
}

interface ExampleContributions {
  base: PrfMap;
  perIndex: Map<number, IndexCounts>;
  missing: Set<number>;
}

// One document's counts, split by the gold index each tuple belongs to.
function exampleContributions(example: ScoringExample): ExampleContributions {
  const { gold, predicted } = example;
  const x2y = example.alignment.x2y;
  const missing = new Set<number>();
  const goldByIndex = new Map<number, DepTuple>();
  gold.tokens.forEach((token, i) => {
    const dep = (token.dep ?? '').toLowerCase();
    if (dep === '') missing.add(i);
    else if (!IGNORED_LABELS.has(dep)) goldByIndex.set(i, { head: token.head, dep });
  });
  const base = new PrfMap();
  const predictedByIndex = new Map<number, { tuples: DepTuple[]; unaligned: number }>();
  predicted.tokens.forEach((token, j) => {
    if (pyIsSpace(token.text)) return;
    const goldIndex = x2y[j]!.length === 1 ? x2y[j]![0]! : null;
    const dep = (token.dep ?? '').toLowerCase();
    if (IGNORED_LABELS.has(dep) || pyStrip(token.text) === '') return;
    const headAlignment = x2y[token.head]!;
    const goldHead = headAlignment.length === 1 ? headAlignment[0]! : null;
    if (goldIndex === null) {
      // Never in the missing set: counted whatever is missing.
      base.get(UNLABELLED).fp += 1;
      base.get(LABELLED).fp += 1;
      return;
    }
    let entry = predictedByIndex.get(goldIndex);
    if (entry === undefined) {
      entry = { tuples: [], unaligned: 0 };
      predictedByIndex.set(goldIndex, entry);
    }
    if (goldHead === null) entry.unaligned += 1;
    else entry.tuples.push({ head: goldHead, dep });
  });

  const perIndex = new Map<number, IndexCounts>();
  for (const index of new Set([...goldByIndex.keys(), ...predictedByIndex.keys()])) {
    const gold = goldByIndex.get(index);
    const prediction = predictedByIndex.get(index);
    perIndex.set(index, {
      ifPresent: indexCounts(gold, prediction),
      ifMissing: indexCounts(gold, undefined),
    });
  }
  return { base, perIndex, missing };
}

interface DepTuple {
  head: number;
  dep: string;
}

const NO_TUPLES: readonly DepTuple[] = [];

// Score.score_set over the reference's tuple sets restricted to one gold index, where gold has
// at most one tuple: counted from the few predicted tuples, without building the sets.
function indexCounts(gold: DepTuple | undefined, prediction: { tuples: DepTuple[]; unaligned: number } | undefined): PrfMap {
  const counts = new PrfMap();
  const labelled = counts.get(LABELLED);
  const unlabelled = counts.get(UNLABELLED);
  const distinct: DepTuple[] = [];
  const heads: number[] = [];
  for (const tuple of prediction?.tuples ?? NO_TUPLES) {
    if (!distinct.some((seen) => seen.head === tuple.head && seen.dep === tuple.dep)) distinct.push(tuple);
    if (!heads.includes(tuple.head)) heads.push(tuple.head);
  }
  const goldCount = gold === undefined ? 0 : 1;
  countSet(labelled, distinct.length, goldCount, gold !== undefined && distinct.some((t) => t.head === gold.head && t.dep === gold.dep));
  countSet(unlabelled, heads.length, goldCount, gold !== undefined && heads.includes(gold.head));
  labelled.fp += prediction?.unaligned ?? 0;
  unlabelled.fp += prediction?.unaligned ?? 0;
  const labels = gold === undefined ? [] : [gold.dep];
  for (const tuple of distinct) if (!labels.includes(tuple.dep)) labels.push(tuple.dep);
  for (const label of labels) {
    let predictedForLabel = 0;
    let matched = false;
    for (const tuple of distinct) {
      if (tuple.dep !== label) continue;
      predictedForLabel++;
      matched ||= gold !== undefined && gold.dep === label && tuple.head === gold.head;
    }
    countSet(counts.get(DEP + label), predictedForLabel, gold !== undefined && gold.dep === label ? 1 : 0, matched);
  }
  return counts;
}

function countSet(counts: PrfCounts, predicted: number, gold: number, matched: boolean): void {
  const tp = matched ? 1 : 0;
  counts.tp += tp;
  counts.fp += predicted - tp;
  counts.fn += gold - tp;
}

function slotFor(state: DepsState, index: number): IndexCounts {
  let slot = state.perIndex.get(index);
  if (slot === undefined) {
    slot = { ifPresent: new PrfMap(), ifMissing: new PrfMap() };
    state.perIndex.set(index, slot);
  }
  return slot;
}

function encodeDeps(state: DepsState): DepsStateMessage {
  return {
    base: state.base.toEntries(),
    indices: [...state.perIndex.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, counts]) => ({
        index,
        ifPresent: counts.ifPresent.toEntries(),
        ifMissing: counts.ifMissing.toEntries(),
      })),
    missing: [...state.missing].sort((a, b) => a - b),
  };
}

function decodeDeps(message: DepsStateMessage | undefined): DepsState {
  const state: DepsState = { base: new PrfMap(), perIndex: new Map(), missing: new Set() };
  if (message === undefined) return state;
  state.base = PrfMap.fromEntries(message.base);
  for (const entry of message.indices) {
    state.perIndex.set(entry.index, {
      ifPresent: PrfMap.fromEntries(entry.ifPresent),
      ifMissing: PrfMap.fromEntries(entry.ifMissing),
    });
  }
  state.missing = new Set(message.missing);
  return state;
}
