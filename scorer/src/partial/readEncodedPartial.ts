import { SkippedRecord } from '@evalshard/proto';
import { WireReader } from './wireReader.js';

// Field numbers of partial.proto's PartialScore.
const DOCS = 4;
const TOKENS = 5;
const BYTES = 6;
const SKIPPED_COUNT = 7;
const SKIPPED = 8;
const STATES = 9;

export interface EncodedPartial {
  docs: number;
  tokens: number;
  bytes: number;
  skippedCount: number;
  skipped: SkippedRecord[];
  /** The encoded MetricStates, a view into the partial's bytes (empty when it has none). */
  states: Uint8Array;
}

/** A stored PartialScore's counts and skipped records, with its states left encoded for EncodedStatesMerge. */
export function readEncodedPartial(bytes: Uint8Array, reader = new WireReader()): EncodedPartial {
  const partial: EncodedPartial = { docs: 0, tokens: 0, bytes: 0, skippedCount: 0, skipped: [], states: bytes.subarray(0, 0) };
  reader.reset(bytes, 0, bytes.length);
  while (reader.pos < reader.end) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const varint = (tag & 7) === 0;
    if (field === DOCS && varint) partial.docs = reader.uint64();
    else if (field === TOKENS && varint) partial.tokens = reader.uint64();
    else if (field === BYTES && varint) partial.bytes = reader.uint64();
    else if (field === SKIPPED_COUNT && varint) partial.skippedCount = reader.uint64();
    else if ((field === SKIPPED || field === STATES) && (tag & 7) === 2) {
      const length = reader.uint32();
      const value = bytes.subarray(reader.pos, reader.pos + length);
      reader.pos += length;
      if (field === SKIPPED) partial.skipped.push(SkippedRecord.decode(value));
      else partial.states = value;
    } else {
      reader.skip(tag & 7);
    }
  }
  return partial;
}
