import { Metadata } from '@grpc/grpc-js';
import type { EvaluateShardEvent, EvaluateShardRequest, ShardProgress, ShardResult, WorkerServiceClient } from '@evalshard/proto';

export interface StreamShardOptions {
  deadlineMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: ShardProgress) => void;
}

/** Runs one EvaluateShard stream to its result, or rejects with the call's error. */
export function streamShard(
  client: WorkerServiceClient,
  request: EvaluateShardRequest,
  options: StreamShardOptions,
): Promise<ShardResult> {
  return new Promise((resolve, reject) => {
    let result: ShardResult | undefined;
    let settled = false;
    const settle = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', cancel);
      if (error !== undefined) reject(error);
      else if (result !== undefined) resolve(result);
      else reject(new Error(`worker ended shard ${request.shardIndex} without a result`));
    };
    const call = client.evaluateShard(request, new Metadata(), { deadline: Date.now() + options.deadlineMs });
    const cancel = () => call.cancel();
    options.signal?.addEventListener('abort', cancel, { once: true });
    call.on('data', (event: EvaluateShardEvent) => {
      if (event.event?.$case === 'progress') options.onProgress?.(event.event.value);
      else if (event.event?.$case === 'result') result = event.event.value;
    });
    call.on('error', (error: Error) => settle(error));
    call.on('end', () => settle(undefined));
  });
}
