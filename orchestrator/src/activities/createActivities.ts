import { Metadata } from '@grpc/grpc-js';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  BadRecordPolicy,
  SubmitOutcome,
  type DescribeModelResponse,
  type ShardProgress,
  type ShardResult,
  type WorkerServiceClient,
} from '@evalshard/proto';
import { encodeScorerOptions, scorerDigest } from '@evalshard/scorer';
import type { ScorerClient } from '../grpc/scorerClient.js';
import { streamScoreShard, streamShard } from '../grpc/streamShard.js';
import type { WorkerPool } from '../grpc/workerPool.js';
import { fingerprintCorpus } from '../plan/fingerprintCorpus.js';
import { planTask } from '../plan/planTask.js';
import { capShardsAtRecords } from '../plan/capShardsAtRecords.js';
import { layoutShards, shardCount } from '../plan/shardLayout.js';
import type {
  EvaluationInput,
  FinalScores,
  RunOpening,
  RunPlan,
  ScoreInput,
  ScorePlan,
  ScoreShardTask,
  ShardOutcome,
  ShardSummary,
  ShardTask,
} from '../runTypes.js';
import { planScore } from '../score/planScore.js';
import { resolveModel } from '../models/resolveModel.js';
import { isWorkerFailure, toActivityFailure } from './activityFailure.js';
import { createHistoryActivities } from './historyActivities.js';

export interface ActivityDependencies {
  workers: WorkerPool;
  scorer: ScorerClient;
}

const DESCRIBE_DEADLINE_MS = 5 * 60_000;
const FIRST_HEARTBEAT_MS = 1_000;

export function createActivities(deps: ActivityDependencies) {
  return {
    ...createHistoryActivities(deps.scorer),

    /** Validates the run against the model and corpus and cuts the corpus into shards. Reads no records. */
    async planRun(input: EvaluationInput): Promise<RunPlan> {
      const started = performance.now();
      try {
        // A folder of checkpoints resolves to its newest complete bundle now, at the run's start.
        const spec = { ...input.spec, model: (await resolveModel(input.spec.model)).path };
        const corpus = await fingerprintCorpus(spec.corpus, spec.corpusDigest);
        const model = await describeModel(deps.workers, spec.model);
        const { scorer, batching, tokenTask } = planTask(spec, { ...model, rowCoupling: model.rowCouplingOps });
        const layout = await capShardsAtRecords(
          layoutShards(
            corpus.files.map(({ path, size }) => ({ path, size })),
            spec.sharding,
            spec.workers,
          ),
        );
        return {
          runId: input.runId,
          layout,
          shardCount: shardCount(layout),
          totalBytes: corpus.files.reduce((sum, file) => sum + file.size, 0),
          corpus,
          model: {
            path: spec.model,
            digest: model.digest,
            labels: model.labels,
            problemType: model.problemType,
            executionProviders: model.executionProviders,
            workerId: model.workerId,
            kind: model.classifierKind,
            rowCoupling: model.rowCouplingOps,
          },
          scorer,
          batching,
          tokenTask,
          digests: { model: model.digest, corpus: corpus.digest, scorer: scorerDigest(scorer) },
          planMs: Math.round(performance.now() - started),
        };
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** The shards of [from, to) the scorer holds for a run, with their documents: one call for a window of a resumed run. */
    async storedShards(query: { runId: string; from: number; to: number }): Promise<{ shards: number[]; docs: number[] }> {
      try {
        const listed = await deps.scorer.listShards({ runId: query.runId, fromShard: query.from, toShard: query.to });
        return { shards: listed.shards.map((shard) => shard.shardIndex), docs: listed.shards.map((shard) => shard.docs) };
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** Registers the plan with the scorer; a resumed run keeps its stored shards. */
    async openRun(opening: RunOpening): Promise<{ existed: boolean; storedShards: number }> {
      try {
        return await deps.scorer.openRun({
          runId: opening.runId,
          shardCount: opening.shardCount,
          digests: opening.digests,
          scorer: encodeScorerOptions(opening.scorer),
        });
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** Evaluates one shard on a GPU worker and stores its partial; returns a summary only. */
    evaluateShard(task: ShardTask): Promise<ShardSummary> {
      return shardActivity(deps, task.runId, task.shardIndex, task.range.end - task.range.start, task.heartbeatMs, (client, options) =>
        streamShard(
          client,
          {
            runId: task.runId,
            shardIndex: task.shardIndex,
            modelPath: task.modelPath,
            digests: task.digests,
            range: task.range,
            scorer: encodeScorerOptions(task.scorer),
            batch: task.batch,
            onBadRecord:
              task.onBadRecord === 'skip' ? BadRecordPolicy.BAD_RECORD_POLICY_SKIP : BadRecordPolicy.BAD_RECORD_POLICY_FAIL,
            maxListedSkips: task.maxListedSkips,
            maxRecordBytes: task.maxRecordBytes,
            tokenTask: task.tokenTask ?? undefined,
            batching: task.batching,
            savePredictions: task.savePredictions ?? '',
          },
          { ...options, deadlineMs: task.timeoutMs },
        ),
      );
    },

    /** Scores one shard of existing predictions on a worker and stores its partial. */
    scoreShard(task: ScoreShardTask): Promise<ShardSummary> {
      return shardActivity(deps, task.runId, task.shardIndex, task.gold.end - task.gold.start, task.heartbeatMs, (client, options) =>
        streamScoreShard(
          client,
          {
            runId: task.runId,
            shardIndex: task.shardIndex,
            digests: task.digests,
            gold: task.gold,
            predicted: task.predicted,
            format: task.format,
            scorer: encodeScorerOptions(task.scorer),
          },
          { ...options, deadlineMs: task.timeoutMs },
        ),
      );
    },

    /** Reads gold and predictions once: what to score, and shard boundaries that pair their documents. */
    async planScore(input: ScoreInput): Promise<ScorePlan> {
      try {
        return await planScore(input);
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** Merges the stored partials into the run's scores. */
    async finalizeRun(runId: string, maxListedSkips: number): Promise<FinalScores> {
      try {
        const response = await deps.scorer.finalizeRun({ runId, maxListedSkips });
        return {
          scoresJson: response.scoresJson,
          shardCount: response.shardCount,
          docs: response.docs,
          tokens: response.tokens,
          bytes: response.bytes,
          skippedCount: response.skippedCount,
          skipped: response.skipped,
          conflicts: response.conflicts,
          finalizeMs: response.finalizeMs,
          families: response.families,
        };
      } catch (error) {
        const failure = toActivityFailure(error, 'finalize');
        // Missing shards after every shard activity succeeded is our bug, not a passing fault.
        if (failure instanceof ApplicationFailure) throw ApplicationFailure.nonRetryable(failure.message, failure.type);
        throw failure;
      }
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

async function describeModel(workers: WorkerPool, modelPath: string): Promise<DescribeModelResponse> {
  const lease = workers.lease();
  try {
    const response = await describe(lease.client, modelPath);
    lease.release();
    return response;
  } catch (error) {
    lease.release(isWorkerFailure(error));
    throw error;
  }
}

function describe(client: WorkerServiceClient, modelPath: string): Promise<DescribeModelResponse> {
  return new Promise((resolve, reject) => {
    client.describeModel({ modelPath }, new Metadata(), { deadline: Date.now() + DESCRIBE_DEADLINE_MS }, (error, response) =>
      error ? reject(error) : resolve(response),
    );
  });
}

/**
 * One shard on a leased worker: skip it if the scorer already stores it
 * (resume), else stream it with heartbeats, submit the partial and return a
 * summary.
 */
async function shardActivity(
  deps: ActivityDependencies,
  runId: string,
  shardIndex: number,
  bytes: number,
  heartbeatMs: number,
  stream: (client: WorkerServiceClient, options: { signal: AbortSignal; stallMs: number; onProgress: (progress: ShardProgress) => void }) => Promise<ShardResult>,
): Promise<ShardSummary> {
  const context = Context.current();
  const attempt = context.info.attempt;
  const summary = (outcome: ShardOutcome, docs: number, tokens: number, skippedCount: number, workerId: string) => ({
    shardIndex,
    outcome,
    docs,
    tokens,
    bytes,
    skippedCount,
    workerId,
    attempt,
  });
  // The window asked the scorer for its stored shards before starting this one; a retry asks again,
  // since an earlier attempt may have stored the partial and died before it could say so.
  if (attempt > 1) {
    try {
      const stored = await deps.scorer.listShards({ runId, fromShard: shardIndex, toShard: shardIndex + 1 });
      if (stored.shards.length > 0) return summary('already-stored', stored.shards[0]!.docs, 0, 0, '');
    } catch (error) {
      throw toActivityFailure(error, `shard ${shardIndex}`);
    }
  }
  const lease = deps.workers.lease();
  // No heartbeat in a shard's first second: each costs the Temporal server a write, and a short
  // shard would pay it for nothing. After that, on progress and on a timer (a worker still loading
  // its model sends no progress yet); the SDK throttles what reaches the server.
  let latest: ShardProgress = { docs: 0, tokens: 0, bytes: 0 };
  let beat: NodeJS.Timeout | undefined;
  const firstBeat = setTimeout(() => {
    context.heartbeat(latest);
    beat = setInterval(() => context.heartbeat(latest), Math.max(1_000, heartbeatMs / 3));
  }, Math.min(FIRST_HEARTBEAT_MS, heartbeatMs / 3));
  try {
    const result = await stream(lease.client, {
      signal: context.cancellationSignal,
      stallMs: heartbeatMs,
      onProgress: (progress) => {
        latest = progress;
        if (beat !== undefined) context.heartbeat(progress);
      },
    });
    lease.release();
    const partial = result.partial!;
    const submitted = await deps.scorer.submitPartial({ partial, stats: result.stats });
    const outcome: ShardOutcome =
      submitted.outcome === SubmitOutcome.SUBMIT_OUTCOME_STORED
        ? 'stored'
        : submitted.outcome === SubmitOutcome.SUBMIT_OUTCOME_DUPLICATE
          ? 'duplicate'
          : 'conflict';
    if (outcome === 'conflict') {
      context.log.warn(`shard ${shardIndex}: scorer kept its stored partial; this attempt's differs`, {
        stored: submitted.storedDigest,
        rejected: submitted.digest,
      });
    }
    return summary(outcome, partial.docs, partial.tokens, partial.skippedCount, result.stats?.workerId ?? lease.address);
  } catch (error) {
    lease.release(isWorkerFailure(error));
    throw toActivityFailure(error, `shard ${shardIndex} on worker ${lease.address}`);
  } finally {
    clearTimeout(firstBeat);
    clearInterval(beat);
  }
}
