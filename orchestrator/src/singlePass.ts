import {
  evaluateRange,
  evaluateTokenRange,
  loadModelBundle,
  predictionFileName,
  PredictionWriter,
  type RangeProgress,
} from '@evalshard/gpu-worker';
import { asJsonValue, finalizeMetricStates, formatOf, initMetricStates, InputError, scorerDigest } from '@evalshard/scorer';
import { fingerprintCorpus } from './plan/fingerprintCorpus.js';
import { resolveModel } from './models/resolveModel.js';
import { mergePredictions } from './report/mergePredictions.js';
import { planTask } from './plan/planTask.js';
import { scorerReportOptions, throughputOf, type EvaluationReport } from './report/evaluationReport.js';
import type { ResolvedSpec } from './spec/resolvedSpec.js';

export interface SinglePassProgress {
  docs: number;
  tokens: number;
  bytes: number;
  totalBytes: number;
}

// Input errors found before any document is read are the plan's (exit 2 in the CLI).
async function planning<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(error.message, { field: error.field, file: error.file, code: error.code, stage: 'plan', cause: error });
  }
}

/**
 * The reference a distributed run must equal: the same pipeline and scorer
 * code over the whole corpus in one process, one state, one pass, with no
 * Temporal and no gRPC.
 */
export async function runSinglePass(
  requested: ResolvedSpec,
  runId: string,
  onProgress?: (progress: SinglePassProgress) => void,
): Promise<EvaluationReport> {
  const startedAt = new Date();
  const started = performance.now();
  // A folder of checkpoints: the newest complete bundle, as a distributed run resolves it.
  const spec = { ...requested, model: (await planning(() => resolveModel(requested.model))).path };
  const corpus = await planning(() => fingerprintCorpus(spec.corpus, spec.corpusDigest));
  const bundle = await planning(() => loadModelBundle(spec.model, spec.runtime));
  try {
    const { scorer, batching, tokenTask } = await planning(async () =>
      planTask(spec, { ...bundle, classifierKind: bundle.kind, rowCoupling: bundle.rowCoupling }),
    );
    const planMs = Math.round(performance.now() - started);
    const states = initMetricStates(scorer);
    const totalBytes = corpus.files.reduce((sum, file) => sum + file.size, 0);
    let docs = 0;
    let tokens = 0;
    let bytesBefore = 0;
    let skippedCount = 0;
    const skipped: EvaluationReport['run']['skipped']['records'] = [];
    const evaluateStarted = performance.now();
    for (const [index, file] of corpus.files.entries()) {
      const format = tokenTask === null ? 'jsonl' : tokenTask.format || formatOf(file.path);
      const predictions =
        spec.savePredictions === null ? undefined : new PredictionWriter(spec.savePredictions, predictionFileName(index, format), format);
      const common = {
        bundle,
        path: file.path,
        start: 0,
        end: file.size,
        states,
        batch: spec.batch,
        onProgress: (progress: RangeProgress) =>
          onProgress?.({
            docs: docs + progress.docs,
            tokens: tokens + progress.tokens,
            bytes: bytesBefore + progress.bytes,
            totalBytes,
          }),
      };
      const totals =
        tokenTask === null
          ? await evaluateRange({
              ...common,
              scorer,
              batching,
              onBadRecord: spec.onBadRecord,
              maxListedSkips: Math.max(0, spec.maxListedSkips - skipped.length),
              maxRecordBytes: spec.maxRecordBytes,
              predictions,
            })
          : await evaluateTokenRange({ ...common, task: { ...tokenTask, format, batching }, maxRecordBytes: spec.maxRecordBytes, predictions });
      await predictions?.close();
      docs += totals.docs;
      tokens += totals.tokens;
      bytesBefore += file.size;
      skippedCount += totals.skippedCount;
      skipped.push(...totals.skipped);
    }
    const evaluateMs = Math.round(performance.now() - evaluateStarted);
    const predictionsFile = spec.savePredictions === null ? undefined : (await mergePredictions(spec.savePredictions, corpus.files.length)).path;
    const finalizeStarted = performance.now();
    const scores = asJsonValue(finalizeMetricStates(states));
    const finalizeMs = Math.round(performance.now() - finalizeStarted);
    const wallMs = Math.round(performance.now() - started);
    return {
      scores,
      run: {
        runId,
        mode: 'single-pass',
        workflowId: null,
        spec: spec.specPath,
        task: spec.task,
        model: { path: spec.model, digest: bundle.digest, labels: bundle.labels, executionProviders: bundle.executionProviders },
        corpus: {
          digest: corpus.digest,
          bytes: totalBytes,
          files: corpus.files.map((file) => ({ path: file.path, bytes: file.size, digest: file.digest })),
        },
        scorer: { digest: scorerDigest(scorer), options: scorerReportOptions(scorer) },
        batching,
        shards: 1,
        workers: 1,
        docs,
        tokens,
        skipped: { count: skippedCount, records: skipped },
        conflicts: [],
        resumedShards: 0,
        retries: 0,
        evaluatedDocs: docs,
        ...(predictionsFile === undefined ? {} : { predictions: predictionsFile }),
        timings: { planMs, evaluateMs, finalizeMs, wallMs, startupMs: 0 },
        throughput: throughputOf(docs, tokens, evaluateMs),
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
      },
    };
  } finally {
    await bundle.release();
  }
}
