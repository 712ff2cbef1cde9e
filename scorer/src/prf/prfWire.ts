import { InputError } from '../errors.js';
import type { WireReader } from '../partial/wireReader.js';
import type { PrfMap } from './prfMap.js';

// Field numbers of partial.proto's PrfEntry and FamilyState.
const ENTRY_KEY_TAG = (1 << 3) | 2;
const ENTRY_TP_TAG = 2 << 3;
const ENTRY_FP_TAG = 3 << 3;
const ENTRY_FN_TAG = 4 << 3;
const FAMILY_COUNTS = 2;

// The counts of the entry readEntry last read: module state rather than an object per entry.
let entryTp = 0;
let entryFp = 0;
let entryFn = 0;

/** Adds one encoded PrfEntry (the reader at its length) to `into`, as PrfMap.addAll would. */
export function foldEncodedEntry(reader: WireReader, into: PrfMap): void {
  addEntry(reader, into, readEntry(reader));
}

/** foldEncodedEntry into two maps, the entry read once. */
export function foldEncodedEntryTwice(reader: WireReader, first: PrfMap, second: PrfMap): void {
  const keyId = readEntry(reader);
  addEntry(reader, first, keyId);
  addEntry(reader, second, keyId);
}

// Reads one entry: its key's intern id (-2: no key field, the empty string; -1: a key too long to
// intern, the reader's lastUninterned()) and its counts into entryTp/Fp/Fn.
function readEntry(reader: WireReader): number {
  const end = reader.uint32() + reader.pos;
  const bytes = reader.bytes;
  let keyId = -2;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  while (reader.pos < end) {
    const at = reader.pos;
    const tag = bytes[at]!;
    // Counts below 128 are one byte after their one-byte tag: read in place, the common case.
    if (tag === ENTRY_KEY_TAG) {
      reader.pos = at + 1;
      keyId = reader.stringId();
    } else if (at + 1 < end && bytes[at + 1]! < 0x80 && (tag === ENTRY_TP_TAG || tag === ENTRY_FP_TAG || tag === ENTRY_FN_TAG)) {
      reader.pos = at + 2;
      if (tag === ENTRY_TP_TAG) tp = bytes[at + 1]!;
      else if (tag === ENTRY_FP_TAG) fp = bytes[at + 1]!;
      else fn = bytes[at + 1]!;
    } else {
      const wideTag = reader.uint32();
      if (wideTag === ENTRY_TP_TAG) tp = reader.uint64();
      else if (wideTag === ENTRY_FP_TAG) fp = reader.uint64();
      else if (wideTag === ENTRY_FN_TAG) fn = reader.uint64();
      else reader.skip(wideTag & 7);
    }
  }
  entryTp = tp;
  entryFp = fp;
  entryFn = fn;
  return keyId;
}

function addEntry(reader: WireReader, into: PrfMap, keyId: number): void {
  const counts = keyId >= 0 ? into.getByStringId(reader, keyId) : into.get(keyId === -2 ? '' : reader.lastUninterned());
  counts.tp += entryTp;
  counts.fp += entryFp;
  counts.fn += entryFn;
}

/** `foldEncodedField` of a family whose state is a PrfMap encoded as its counts alone. */
export function foldEncodedCounts(state: PrfMap, field: number, reader: WireReader): void {
  if (field !== FAMILY_COUNTS) {
    // The scorer refuses such a partial at submission: its state would not encode back the same.
    throw new InputError(`a counts-only family state carries field ${field}`, { code: 'BAD_PARTIAL' });
  }
  foldEncodedEntry(reader, state);
}
