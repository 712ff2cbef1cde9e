import { parseJson } from '@evalshard/scorer';
import type { WorkDone } from '../client/runEvaluation.js';
import type { EvaluationResult } from '../runTypes.js';
import type { ResolvedSpec } from '../spec/resolvedSpec.js';
import { scorerReportOptions, throughputOf, type EvaluationReport } from './evaluationReport.js';

export function distributedReport(
  result: EvaluationResult & { work: WorkDone },
  spec: ResolvedSpec,
  workflowId: string,
  startedAt: Date,
  wallMs: number,
  startupMs = 0,
): EvaluationReport {
  const { plan, final, totals, timings, work } = result;
  return {
    scores: parseJson(final.scoresJson) as Record<string, unknown>,
    run: {
      runId: plan.runId,
      mode: 'distributed',
      status: result.status,
      gates: result.gates,
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
      scorer: { digest: plan.digests.scorer, options: scorerReportOptions(plan.scorer) },
      batching: plan.batching,
      shards: plan.shardCount,
      workers: spec.workers,
      docs: final.docs,
      tokens: final.tokens,
      skipped: { count: final.skippedCount, records: final.skipped },
      conflicts: final.conflicts,
      resumedShards: totals.alreadyStored,
      retries: totals.retries,
      // This command's work: a resumed run's stored shards and a crashed command's time are not in it.
      evaluatedDocs: work.docs,
      timings: { ...timings, evaluateMs: work.evaluateMs, wallMs, startupMs },
      throughput: throughputOf(work.docs, work.tokens, work.evaluateMs),
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
    },
  };
}
