import type { PrfCounts } from '../prf/prfScore.js';
import type { TagIds } from './tagIds.js';

/** A chunk of a tag sequence: its type and first and last token. */
export interface Chunk {
  type: string;
  start: number;
  end: number;
}

const O = 0x4f;
const B = 0x42;
const I = 0x49;
const E = 0x45;
const S = 0x53;
const DOT = 0x2e;

/**
 * seqeval's default (conlleval) chunking, `get_entities` with suffix=False,
 * over tag ids: an I- or E- after O, E, S or another type starts a chunk; a
 * chunk ends after E or S, before B, S or O, or where the type changes.
 * Anything, even a malformed tag, is read as prefix letter plus type.
 * Appends (type id, start, end) triples to `out`.
 */
export function conllChunkIds(ids: ArrayLike<number>, length: number, tags: TagIds, out: number[]): void {
  let previousTag = O;
  let previousType = -1; // '' before the first tag: no type equals it
  let begin = 0;
  // The sentence as seqeval sees it, with an O after it.
  for (let i = 0; i <= length; i++) {
    const id = i < length ? ids[i]! : -1;
    const tag = id < 0 ? O : tags.prefixes[id]!;
    const type = id < 0 ? tags.outsideType : tags.types[id]!;
    if (endOfChunk(previousTag, tag, previousType !== type)) out.push(previousType, begin, i - 1);
    if (startOfChunk(previousTag, tag, previousType !== type)) begin = i;
    previousTag = tag;
    previousType = type;
  }
}

function endOfChunk(previousTag: number, tag: number, typeChanges: boolean): boolean {
  if (previousTag === E || previousTag === S) return true;
  if ((previousTag === B || previousTag === I) && (tag === B || tag === S || tag === O)) return true;
  return previousTag !== O && previousTag !== DOT && typeChanges;
}

function startOfChunk(previousTag: number, tag: number, typeChanges: boolean): boolean {
  if (tag === B || tag === S) return true;
  if ((previousTag === E || previousTag === S || previousTag === O) && (tag === E || tag === I)) return true;
  return tag !== O && tag !== DOT && typeChanges;
}

/**
 * Adds one sentence's chunks (triples from conllChunkIds) to the counts:
 * seqeval's sets of (type, start, end), matched in one walk. Both chunkers
 * close at most one chunk per token and in token order, so ends strictly
 * increase and a predicted chunk can only match the gold chunk that ends
 * where it does. Counts are touched in chunk order, gold first.
 */
export function countChunkIds(countsOf: (type: number) => PrfCounts, gold: readonly number[], predicted: readonly number[]): void {
  for (let k = 0; k < gold.length; k += 3) countsOf(gold[k]!).fn += 1;
  for (let k = 0; k < predicted.length; k += 3) countsOf(predicted[k]!).fp += 1;
  let g = 0;
  for (let k = 0; k < predicted.length; k += 3) {
    const end = predicted[k + 2]!;
    while (g < gold.length && gold[g + 2]! < end) g += 3;
    if (g < gold.length && gold[g + 2] === end && gold[g + 1] === predicted[k + 1] && gold[g] === predicted[k]) {
      const counts = countsOf(predicted[k]!);
      counts.tp += 1;
      counts.fp -= 1;
      counts.fn -= 1;
    }
  }
}
