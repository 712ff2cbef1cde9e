import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { RunEntry, SubmitOutcome, type PartialScore, type ScorerServiceServer } from '@evalshard/proto';
import { InputError } from '../errors.js';
import { decodeCanonicalStates } from '../partial/canonicalStates.js';
import { decodeScorerOptions, scorerDigest, type ScorerOptions } from '../scorerOptions.js';
import { finalizeRun, foldCompletedBlock } from './finalizeRun.js';
import { BLOCK_SHARDS } from './partialStore.js';
import { storageFailureOf, toServiceError } from './grpcStatus.js';
import { GroupCommit } from './groupCommit.js';
import type { RunHistory } from '../history/runHistory.js';
import type { PartialStore, RunRecord } from './partialStore.js';

const DEFAULT_LISTED_SKIPS = 20;

export interface ScorerServiceEvents {
  /** A call failed because the database could not be written (disk full, read-only). */
  onStorageFailure?: (method: string, error: unknown) => void;
  onConflict?: (runId: string, shardIndex: number, storedDigest: string, rejectedDigest: string) => void;
  onBlockFoldFailed?: (runId: string, shardIndex: number, error: unknown) => void;
}

export function createScorerService(
  store: PartialStore,
  history: RunHistory,
  events: ScorerServiceEvents = {},
): ScorerServiceServer {
  const unary = unaryWith(events);
  const commits = new GroupCommit(store);
  // A run's plan never changes once opened (openRun refuses a different one), so its decoded options can be kept.
  const runOptions = new Map<string, ScorerOptions>();
  const optionsOf = (run: RunRecord) => {
    let options = runOptions.get(run.runId);
    if (options === undefined) {
      options = decodeScorerOptions(run.scorer);
      if (runOptions.size > 1_000) runOptions.clear();
      runOptions.set(run.runId, options);
    }
    return options;
  };

  // What SubmitPartial checks before a partial may be stored.
  const validatedPartial = (partial: PartialScore | undefined): PartialScore => {
    if (partial === undefined) throw new InputError('the request carries no partial', { field: 'partial' });
    const run = store.getRun(partial.runId);
    if (run === undefined) throw new InputError(`unknown run ${partial.runId}`, { code: 'UNKNOWN_RUN' });
    if (partial.shardIndex >= run.shardCount) {
      throw new InputError(`shard ${partial.shardIndex} is outside run ${run.runId}'s ${run.shardCount} shards`, {
        code: 'SHARD_OUT_OF_RANGE',
      });
    }
    for (const key of ['model', 'corpus', 'scorer'] as const) {
      const got = partial.digests?.[key] ?? '';
      if (got !== run.digests[key]) {
        throw new InputError(
          `shard ${partial.shardIndex} was computed with ${key} ${got.slice(0, 12) || '(none)'}, ` +
            `run ${run.runId} uses ${run.digests[key].slice(0, 12)}`,
          { code: 'DIGEST_MISMATCH' },
        );
      }
    }
    // A partial that cannot be decoded with the run's options, or that is not what a worker writes, must not be stored.
    decodeCanonicalStates(partial.states, optionsOf(run));
    return partial;
  };

  return {
    openRun: unary((request) => {
      if (request.runId === '') throw new InputError('run id is empty', { field: 'runId' });
      if (request.shardCount === 0) throw new InputError('a run needs at least one shard', { field: 'shardCount' });
      const options = decodeScorerOptions(request.scorer);
      const digests = request.digests ?? { model: '', corpus: '', scorer: '' };
      if (digests.scorer !== scorerDigest(options)) {
        throw new InputError('the scorer digest does not match the scorer config', { code: 'DIGEST_MISMATCH' });
      }
      const existed = store.openRun({
        runId: request.runId,
        shardCount: request.shardCount,
        digests,
        scorer: request.scorer!,
      });
      return { existed, storedShards: store.listShards(request.runId).length };
    }),

    submitPartial: (call, callback) => {
      const request = call.request;
      let partial: PartialScore;
      try {
        partial = validatedPartial(request.partial);
      } catch (error) {
        callback(toServiceError(error));
        return;
      }
      commits.submit(partial, request.stats).then(
        (result) => {
          if (result.outcome === 'stored' && result.blockStored === BLOCK_SHARDS) {
            // After the reply: the partial is durable already, and a failed fold only leaves the block to finalize.
            setImmediate(() => {
              try {
                foldCompletedBlock(store, partial.runId, partial.shardIndex);
              } catch (error) {
                events.onBlockFoldFailed?.(partial.runId, partial.shardIndex, error);
              }
            });
          }
          if (result.outcome === 'conflict') {
            events.onConflict?.(partial.runId, partial.shardIndex, result.storedDigest, result.digest);
            callback(null, { outcome: SubmitOutcome.SUBMIT_OUTCOME_CONFLICT, digest: result.digest, storedDigest: result.storedDigest });
            return;
          }
          callback(null, {
            outcome: result.outcome === 'stored' ? SubmitOutcome.SUBMIT_OUTCOME_STORED : SubmitOutcome.SUBMIT_OUTCOME_DUPLICATE,
            digest: result.digest,
            storedDigest: result.digest,
          });
        },
        (error: unknown) => {
          if (storageFailureOf(error) !== undefined) events.onStorageFailure?.(call.getPath(), error);
          callback(toServiceError(error));
        },
      );
    },

    listShards: unary((request) => {
      const run = store.getRun(request.runId);
      if (run === undefined) throw new InputError(`unknown run ${request.runId}`, { code: 'UNKNOWN_RUN' });
      const all = request.fromShard === 0 && request.toShard === 0;
      const shards = all ? store.listShards(request.runId) : store.listShards(request.runId, request.fromShard, request.toShard);
      return { shardCount: run.shardCount, shards };
    }),

    finalizeRun: unary((request) => {
      const final = finalizeRun(store, request.runId, request.maxListedSkips === 0 ? DEFAULT_LISTED_SKIPS : request.maxListedSkips);
      // Replicates stay here, with the run's history entry, rather than travel through workflow history.
      if (final.replicatesJson !== '' && history.get(request.runId) !== undefined) {
        history.record(RunEntry.fromPartial({ runId: request.runId, replicatesJson: final.replicatesJson }));
      }
      return final;
    }),

    recordRun: unary((request) => {
      if (request.entry === undefined) throw new InputError('the request carries no entry', { field: 'entry' });
      return { entry: history.record(request.entry) };
    }),

    listRuns: unary((request) =>
      ({ runs: history.list({ schedule: request.schedule, status: request.status, last: request.last }) }),
    ),

    getRun: unary((request) => {
      const entry = history.get(request.runId);
      return entry === undefined ? { found: false } : { found: true, entry };
    }),
  };
}

function unaryWith(events: ScorerServiceEvents) {
  return <Request, Response>(handler: (request: Request) => Response) =>
    (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>): void => {
      try {
        callback(null, handler(call.request));
      } catch (error) {
        if (storageFailureOf(error) !== undefined) events.onStorageFailure?.(call.getPath(), error);
        callback(toServiceError(error));
      }
    };
}
