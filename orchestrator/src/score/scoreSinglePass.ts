import { stat } from 'node:fs/promises';
import {
  asJsonValue,
  documentPass,
  finalizeMetricStates,
  iobSeqevalPass,
  nativeDocPass,
  reportedFamilies,
  scorerDigest,
  type DocFormat,
  type ScorerOptions,
} from '@evalshard/scorer';
import { fileSha256 } from '@evalshard/gpu-worker';
import type { ScoreReport } from './scoreReport.js';

export interface ScoreInput {
  gold: string;
  predicted: string;
  format: DocFormat;
  options: ScorerOptions;
  runId: string;
  planMs?: number;
  onProgress?: (docs: number, bytes: number, totalBytes: number) => void;
}

/** Scores predictions that already exist, in one process and one pass: the reference for --shards. */
export async function scoreSinglePass(input: ScoreInput): Promise<ScoreReport> {
  const startedAt = new Date();
  const started = performance.now();
  const goldBytes = (await stat(input.gold)).size;
  const predictedBytes = (await stat(input.predicted)).size;
  const scoreStarted = performance.now();
  // seqeval alone over IOB files takes a pass over their bytes where it can: the same states, and the
  // files' digests taken as they are read. spaCy's families over JSONL take the native pass where it is
  // built and the files are plain. Anything else, or where either gives up, takes the document pass.
  const progress = (docs: number, bytes: number) => input.onProgress?.(docs, bytes, goldBytes);
  const bytePass = input.format === 'iob' ? await iobSeqevalPass(input.gold, input.predicted, input.options, progress) : null;
  // The other passes read the files' digests beside them, once, whichever of them scores.
  const fileDigests = bytePass === null ? readDigests(input) : undefined;
  const nativePass = input.format === 'jsonl' ? await nativeDocPass(input.gold, input.predicted, input.options, progress) : null;
  const pass = bytePass !== null ? 'bytes' : nativePass !== null ? 'native' : 'documents';
  const { states, docs } =
    bytePass ?? nativePass ?? (await documentPass(input.gold, input.predicted, input.format, input.options, (count) => progress(count, 0)));
  const digests = bytePass?.digests ?? (await fileDigests!);
  const scoreMs = Math.round(performance.now() - scoreStarted);
  const finalizeStarted = performance.now();
  const scores = asJsonValue(finalizeMetricStates(states, { onlyAnnotated: input.options.onlyAnnotated }));
  const finalizeMs = Math.round(performance.now() - finalizeStarted);
  return {
    scores,
    run: {
      runId: input.runId,
      mode: 'single-pass',
      workflowId: null,
      gold: { path: input.gold, bytes: goldBytes, digest: digests.gold },
      predicted: { path: input.predicted, bytes: predictedBytes, digest: digests.predicted },
      format: input.format,
      families: reportedFamilies(states, { onlyAnnotated: input.options.onlyAnnotated }),
      scorer: { digest: scorerDigest(input.options), options: { ...input.options } },
      shards: 1,
      pass,
      docs,
      timings: { planMs: input.planMs ?? 0, scoreMs, finalizeMs, wallMs: Math.round(performance.now() - started) },
      throughput: { docsPerSecond: Math.round((docs / Math.max(scoreMs, 1)) * 1000 * 10) / 10 },
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
    },
  };
}

// Both files' sha256, read beside the scoring pass.
function readDigests(input: ScoreInput): Promise<{ gold: string; predicted: string }> {
  const digests = Promise.all([fileSha256(input.gold), fileSha256(input.predicted)]).then(([gold, predicted]) => ({ gold, predicted }));
  digests.catch(() => undefined); // a missing file fails the reader first; this one is awaited only on success
  return digests;
}
