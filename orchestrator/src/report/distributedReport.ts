import { parseJson } from '@evalshard/scorer';
import type { EvaluationResult } from '../runTypes.js';
import type { ResolvedSpec } from '../spec/resolvedSpec.js';
import { throughputOf, type EvaluationReport } from './evaluationReport.js';

export function distributedReport(
  result: EvaluationResult,
  spec: ResolvedSpec,
  workflowId: string,
  startedAt: Date,
  wallMs: number,
): EvaluationReport {
  const { plan, final, totals, timings } = result;
  return {
    scores: parseJson(final.scoresJson) as Record<string, unknown>,
    run: {
      runId: plan.runId,
      mode: 'distributed',
      workflowId,
      spec: spec.specPath,
      task: spec.task,
      model: {
        path: plan.model.path,
        digest: plan.model.digest,
        labels: plan.model.labels,
        executionProviders: plan.model.executionProviders,
      },
      corpus: {
        digest: plan.corpus.digest,
        bytes: plan.totalBytes,
        files: plan.corpus.files.map((file) => ({ path: file.path, bytes: file.size, digest: file.digest })),
      },
      scorer: { digest: plan.digests.scorer, options: { ...plan.scorer.textcat } },
      shards: plan.shardCount,
      workers: spec.workers,
      docs: final.docs,
      tokens: final.tokens,
      skipped: { count: final.skippedCount, records: final.skipped },
      conflicts: final.conflicts,
      resumedShards: totals.alreadyStored,
      retries: totals.retries,
      timings: { ...timings, wallMs },
      throughput: throughputOf(final.docs, final.tokens, timings.evaluateMs),
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
    },
  };
}
