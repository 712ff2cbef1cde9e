import type { FinalizeRunResponse, SkippedRecord } from '@evalshard/proto';
import { InputError } from '../errors.js';
import { stringifyJson } from '../json/orderedJson.js';
import {
  decodeMetricStates,
  encodeMetricStates,
  finalizeMetricStates,
  mergeMetricStates,
  replicateScalarScores,
  reportedFamilies,
  type MetricStates,
} from '../metricStates.js';
import { OrderedMerge } from '../orderedMerge.js';
import { EncodedStatesMerge } from '../partial/encodedStatesMerge.js';
import { readEncodedPartial, type EncodedPartial } from '../partial/readEncodedPartial.js';
import { WireReader } from '../partial/wireReader.js';
import { decodeScorerOptions, type ScorerOptions } from '../scorerOptions.js';
import { BLOCK_SHARDS, type MergedBlock, type PartialStore } from './partialStore.js';
import { formatShardList } from './shardRanges.js';

export { BLOCK_SHARDS };
// A block keeps as many skipped records as a report may list.
const BLOCK_LISTED_SKIPS = 10_000;

/**
 * Merges a run's stored partials in shard order into its scores. Refuses,
 * naming them, while any planned shard is missing: a report over part of the
 * corpus would look like a report over all of it. Complete blocks come
 * merged already (foldCompletedBlock); the rest are merged here. Merging is
 * associative, so the bits do not depend on where the blocks fall.
 */
export function finalizeRun(store: PartialStore, runId: string, maxListedSkips: number): FinalizeRunResponse {
  const started = performance.now();
  const run = store.getRun(runId);
  if (run === undefined) throw new InputError(`unknown run ${runId}`, { code: 'UNKNOWN_RUN' });
  const missing = store.missingShards(runId, run.shardCount);
  if (missing.length > 0) {
    throw new InputError(
      `run ${runId} is missing ${missing.length} of ${run.shardCount} shards: ${formatShardList(missing)}`,
      { code: 'MISSING_SHARDS' },
    );
  }
  const options = decodeScorerOptions(run.scorer);
  const merger = new OrderedMerge<MetricStates>(mergeMetricStates);
  const totals = { docs: 0, tokens: 0, bytes: 0, skippedCount: 0 };
  const skipped: SkippedRecord[] = [];
  for (let block = 0; block * BLOCK_SHARDS < run.shardCount; block++) {
    const stored = store.getBlock(runId, block);
    const merged =
      stored === undefined
        ? mergeBlock(store, runId, block, run.shardCount, options)
        : { ...stored, states: decodeMetricStates(stored.states, options) };
    if (merged === undefined) continue;
    merger.push(merged.states);
    totals.docs += merged.docs;
    totals.tokens += merged.tokens;
    totals.bytes += merged.bytes;
    totals.skippedCount += merged.skippedCount;
    for (const record of merged.skipped) if (skipped.length < maxListedSkips) skipped.push(record);
  }
  const merged = merger.result();
  if (merged === undefined) throw new InputError(`run ${runId} plans no shards`, { code: 'EMPTY_RUN' });
  const scores = finalizeMetricStates(merged, { onlyAnnotated: options.onlyAnnotated });
  const families = reportedFamilies(merged, { onlyAnnotated: options.onlyAnnotated });
  return {
    scoresJson: stringifyJson(scores),
    shardCount: run.shardCount,
    ...totals,
    skipped,
    conflicts: store.conflicts(runId),
    finalizeMs: Math.round(performance.now() - started),
    families,
    replicatesJson: merged.replicates.length === 0 ? '' : JSON.stringify(replicateScalarScores(merged, { onlyAnnotated: options.onlyAnnotated })),
  };
}

/**
 * After a partial is stored: when that completes its block, merges the
 * block and keeps the result, so finalize need not. Only a full block is
 * merged ahead; the last, partial one is merged at finalize.
 */
export function foldCompletedBlock(store: PartialStore, runId: string, shardIndex: number): void {
  const run = store.getRun(runId);
  if (run === undefined) return;
  const block = Math.floor(shardIndex / BLOCK_SHARDS);
  const from = block * BLOCK_SHARDS;
  const to = Math.min(run.shardCount, from + BLOCK_SHARDS);
  if (to - from < BLOCK_SHARDS || store.storedInBlock(runId, block) < BLOCK_SHARDS) return;
  if (store.getBlock(runId, block) !== undefined) return;
  const merged = mergeBlock(store, runId, block, run.shardCount, decodeScorerOptions(run.scorer));
  if (merged !== undefined) store.putBlock(runId, block, { ...merged, states: encodeMetricStates(merged.states) });
}

type BlockCounts = Omit<MergedBlock, 'states'>;

// A block's partials merged in shard order; finalize uses the states as they are, a fold stores them encoded.
function mergeBlock(
  store: PartialStore,
  runId: string,
  block: number,
  shardCount: number,
  options: ScorerOptions,
): (BlockCounts & { states: MetricStates }) | undefined {
  const from = block * BLOCK_SHARDS;
  const to = Math.min(shardCount, from + BLOCK_SHARDS);
  // Straight from the stored bytes: decoding a block's partials to objects cost more than merging them.
  const merger = new EncodedStatesMerge(options);
  const reader = new WireReader();
  const merged: BlockCounts = { docs: 0, tokens: 0, bytes: 0, skippedCount: 0, skipped: [] };
  for (const bytes of store.encodedPartialsInRange(runId, from, to)) {
    const partial = readEncodedPartial(bytes, reader);
    merger.push(partial.states);
    addCounts(merged, partial);
  }
  const states = merger.result();
  return states === undefined ? undefined : { ...merged, states };
}

function addCounts(into: BlockCounts, partial: EncodedPartial): void {
  into.docs += partial.docs;
  into.tokens += partial.tokens;
  into.bytes += partial.bytes;
  into.skippedCount += partial.skippedCount;
  for (const record of partial.skipped) if (into.skipped.length < BLOCK_LISTED_SKIPS) into.skipped.push(record);
}
