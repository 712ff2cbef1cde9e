import type { FinalizeRunResponse, SkippedRecord } from '@evalshard/proto';
import { InputError } from '../errors.js';
import { stringifyJson } from '../json/orderedJson.js';
import { decodeMetricStates, finalizeMetricStates, mergeMetricStates, replicateScalarScores, reportedFamilies, type MetricStates } from '../metricStates.js';
import { OrderedMerge } from '../orderedMerge.js';
import { decodeScorerOptions } from '../scorerOptions.js';
import type { PartialStore } from './partialStore.js';
import { formatShardList } from './shardRanges.js';

/**
 * Merges a run's stored partials in shard order into its scores. Refuses,
 * naming them, while any planned shard is missing: a report over part of the
 * corpus would look like a report over all of it.
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
  let docs = 0;
  let tokens = 0;
  let bytes = 0;
  let skippedCount = 0;
  const skipped: SkippedRecord[] = [];
  for (const partial of store.partials(runId)) {
    merger.push(decodeMetricStates(partial.states, options));
    docs += partial.docs;
    tokens += partial.tokens;
    bytes += partial.bytes;
    skippedCount += partial.skippedCount;
    for (const record of partial.skipped) if (skipped.length < maxListedSkips) skipped.push(record);
  }
  const merged = merger.result();
  if (merged === undefined) throw new InputError(`run ${runId} plans no shards`, { code: 'EMPTY_RUN' });
  const scores = finalizeMetricStates(merged, { onlyAnnotated: options.onlyAnnotated });
  const families = reportedFamilies(merged, { onlyAnnotated: options.onlyAnnotated });
  return {
    scoresJson: stringifyJson(scores),
    shardCount: run.shardCount,
    docs,
    tokens,
    bytes,
    skippedCount,
    skipped,
    conflicts: store.conflicts(runId),
    finalizeMs: Math.round(performance.now() - started),
    families,
    replicatesJson: merged.replicates.length === 0 ? '' : JSON.stringify(replicateScalarScores(merged, { onlyAnnotated: options.onlyAnnotated })),
  };
}
