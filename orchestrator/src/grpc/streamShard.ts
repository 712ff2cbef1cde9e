import { Metadata, status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import type {
  EvaluateShardEvent,
  EvaluateShardRequest,
  ScoreShardRequest,
  ShardProgress,
  ShardResult,
  WorkerServiceClient,
} from '@evalshard/proto';

export interface StreamShardOptions {
  deadlineMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: ShardProgress) => void;
  /**
   * Give up on a worker that sends nothing (not even its once-a-second
   * WorkerAlive) for this long: it is hung (stopped, swapped out, its
   * connection frozen). The call fails UNAVAILABLE, so the shard is retried
   * elsewhere. 0: wait for the deadline.
   */
  stallMs?: number;
}

/** Runs one EvaluateShard stream to its result, or rejects with the call's error. */
export function streamShard(
  client: WorkerServiceClient,
  request: EvaluateShardRequest,
  options: StreamShardOptions,
): Promise<ShardResult> {
  return shardEvents((metadata, callOptions) => client.evaluateShard(request, metadata, callOptions), request.shardIndex, options);
}

/** Runs one ScoreShard stream (existing predictions, no model) to its result. */
export function streamScoreShard(
  client: WorkerServiceClient,
  request: ScoreShardRequest,
  options: StreamShardOptions,
): Promise<ShardResult> {
  return shardEvents((metadata, callOptions) => client.scoreShard(request, metadata, callOptions), request.shardIndex, options);
}

function shardEvents(
  open: (metadata: Metadata, options: { deadline: number }) => ClientReadableStream<EvaluateShardEvent>,
  shardIndex: number,
  options: StreamShardOptions,
): Promise<ShardResult> {
  return new Promise((resolve, reject) => {
    let result: ShardResult | undefined;
    let settled = false;
    const settle = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(stall);
      options.signal?.removeEventListener('abort', cancel);
      if (error !== undefined) reject(error);
      else if (result !== undefined) resolve(result);
      else reject(new Error(`worker ended shard ${shardIndex} without a result`));
    };
    const call = open(new Metadata(), { deadline: Date.now() + options.deadlineMs });
    const cancel = () => call.cancel();
    options.signal?.addEventListener('abort', cancel, { once: true });
    let stall: NodeJS.Timeout | undefined;
    const watch = () => {
      if (!options.stallMs) return;
      clearTimeout(stall);
      stall = setTimeout(() => {
        settle(hungWorker(shardIndex, options.stallMs!));
        call.cancel();
      }, options.stallMs);
    };
    watch();
    call.on('data', (event: EvaluateShardEvent) => {
      watch();
      if (event.event?.$case === 'progress') options.onProgress?.(event.event.value);
      else if (event.event?.$case === 'result') result = event.event.value;
    });
    call.on('error', (error: Error) => settle(error));
    call.on('end', () => settle(undefined));
  });
}

function hungWorker(shardIndex: number, stallMs: number): ServiceError {
  const details = `the worker sent nothing for ${stallMs / 1000} s while evaluating shard ${shardIndex} (hung, stopped, or its connection frozen)`;
  return Object.assign(new Error(details), { code: status.UNAVAILABLE, details, metadata: new Metadata() });
}
