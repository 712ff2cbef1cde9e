export { InputError, InternalError, isInputError, type InputErrorDetails } from './errors.js';
export { pythonSum, plainSum, type PythonSummation } from './summation/pythonSum.js';
export { numpyPairwiseSum } from './summation/numpyPairwiseSum.js';
export { prfScoresOf, precisionOf, recallOf, fscoreOf, type PrfCounts, type PrfScores } from './prf/prfScore.js';
export { RocAucAccumulator } from './textcat/rocAucAccumulator.js';
export { validateTextcatOptions, effectiveThreshold, type TextcatOptions } from './textcat/textcatOptions.js';
export { initTextcatState, mergeTextcatState, type TextcatState } from './textcat/textcatState.js';
export { updateTextcat, labelIndexOf, type CatsEntries } from './textcat/updateTextcat.js';
export { scoreTextcat, type TextcatScores } from './textcat/scoreTextcat.js';
export { encodeTextcatState, decodeTextcatState } from './textcat/textcatCodec.js';
export {
  initMetricStates,
  updateMetricStates,
  mergeMetricStates,
  finalizeMetricStates,
  encodeMetricStates,
  decodeMetricStates,
  textcatStateOf,
  foldTextcat,
  reportedFamilies,
  replicateScalarScores,
  type MetricStates,
  type FamilySlot,
  type ScoreRecord,
} from './metricStates.js';
export { createFamilies, isFamilyName, REPORT_ORDER } from './families/createFamilies.js';
export type { ScoreFamily } from './families/scoreFamily.js';
export { ScoringExample } from './families/scoringExample.js';
export type { DepsMissingIndices } from './families/depsFamily.js';
export * from './docs/index.js';
export { encodeScorerOptions, decodeScorerOptions, scorerDigest, sha256Hex, type ScorerOptions } from './scorerOptions.js';
export { OrderedMerge } from './orderedMerge.js';
export { EncodedStatesMerge } from './partial/encodedStatesMerge.js';
export { PartialStore, type RunRecord, type StoreOutcome } from './service/partialStore.js';
export { finalizeRun, foldCompletedBlock, BLOCK_SHARDS } from './service/finalizeRun.js';
export { RunHistory, RUN_STATUSES, type RunStatus } from './history/runHistory.js';
export { percentileInterval } from './bootstrap/percentileInterval.js';
export { poissonWeight } from './bootstrap/poissonWeight.js';
export { createScorerService } from './service/scorerService.js';
export { startScorerServer, type RunningScorerServer, type ScorerServerOptions } from './service/startScorerServer.js';
export { toServiceError, inputErrorFromServiceError } from './service/grpcStatus.js';
export { formatShardList } from './service/shardRanges.js';
export { scorerCommand, SCORER_USAGE } from './service/scorerCommand.js';
export * from './corpus/index.js';
/** The scorer service's process entry, for supervisors that start it. */
export const SCORER_MAIN_PATH = new URL('./main.js', import.meta.url).pathname;
export { seqevalFamily, type SeqevalOptions } from './seqeval/seqevalFamily.js';
export { iobSeqevalPass, type IobSeqevalPass } from './seqeval/iobSeqevalPass.js';
export { documentPass } from './documentPass.js';
export { nativeDocPass, nativeDocPassBinary, type NativeDocPass } from './nativePass/nativeDocPass.js';
export { TAG_SCHEMES, type TagScheme } from './seqeval/strictChunks.js';
export { ExactSum } from './summation/exactSum.js';
export { parseJson, stringifyJson, asJsonValue, entriesOf, propertyOf, isIndexKey, compareCodePoints } from './json/orderedJson.js';
export { parseJsonRecord } from './json/parseJsonRecord.js';
export { orderedEntries } from './json/orderedEntries.js';
