import { hostname } from 'node:os';
import type { ServerWritableStream, sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import type {
  DescribeModelRequest,
  DescribeModelResponse,
  EvaluateShardEvent,
  EvaluateShardRequest,
  ScoreShardRequest,
  WorkerServiceServer,
} from '@evalshard/proto';
import { toServiceError } from '@evalshard/scorer';
import type { ShardEngine } from '../engine/shardEngine.js';
import type { DataRoots } from './dataRoots.js';

/** How often a shard call says the worker is alive (see WorkerAlive). */
const ALIVE_INTERVAL_MS = 1_000;

export interface WorkerServiceOptions {
  workerId: string;
  /** Where shards run, off the thread that serves gRPC. */
  engine: ShardEngine;
  /** Shards evaluated at once; more wait their turn. */
  concurrency: number;
  /** Where requests may point; every path when empty. */
  dataRoots: DataRoots;
}

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}`;
}

export function createWorkerService(options: WorkerServiceOptions): WorkerServiceServer {
  const slots = new Semaphore(options.concurrency);
  let activeShards = 0;

  // One shard at a time per slot; a cancelled call stops between batches.
  const shardStream =
    <Request>(work: (call: ServerWritableStream<Request, EvaluateShardEvent>, signal: AbortSignal) => Promise<void>) =>
    (call: ServerWritableStream<Request, EvaluateShardEvent>) => {
      const abort = new AbortController();
      const alive = setInterval(() => call.write({ event: { $case: 'alive', value: {} } }), ALIVE_INTERVAL_MS);
      call.on('cancelled', () => {
        clearInterval(alive);
        abort.abort(new Error('the caller cancelled the shard'));
      });
      void slots
        .run(async () => {
          activeShards += 1;
          try {
            await work(call, abort.signal);
            call.end();
          } finally {
            activeShards -= 1;
          }
        })
        .catch((error: unknown) => {
          if (!abort.signal.aborted) call.emit('error', toServiceError(error));
        })
        .finally(() => clearInterval(alive));
    };

  return {
    evaluateShard: shardStream<EvaluateShardRequest>((call, signal) => {
      const { modelPath, range, savePredictions } = call.request;
      options.dataRoots.check(modelPath, 'model');
      if (range !== undefined) options.dataRoots.check(range.path, 'corpus');
      if (savePredictions !== '') options.dataRoots.check(savePredictions, 'savePredictions');
      return options.engine.evaluate(call.request, (event) => call.write(event), signal);
    }),
    scoreShard: shardStream<ScoreShardRequest>((call, signal) => {
      const { gold, predicted } = call.request;
      if (gold !== undefined) options.dataRoots.check(gold.path, 'gold');
      if (predicted !== undefined) options.dataRoots.check(predicted.path, 'pred');
      return options.engine.score(call.request, (event) => call.write(event), signal);
    }),

    describeModel: (
      call: ServerUnaryCall<DescribeModelRequest, DescribeModelResponse>,
      callback: sendUnaryData<DescribeModelResponse>,
    ) => {
      Promise.resolve()
        .then(() => {
          options.dataRoots.check(call.request.modelPath, 'model');
          return options.engine.describe(call.request.modelPath);
        })
        .then((model) => callback(null, model))
        .catch((error: unknown) => callback(toServiceError(error)));
    },

    health: (_call, callback) => {
      callback(null, { workerId: options.workerId, activeShards, loadedModels: options.engine.loadedModels() });
    },
  };
}

class Semaphore {
  private available: number;
  private readonly waiting: Array<() => void> = [];

  constructor(capacity: number) {
    this.available = Math.max(1, capacity);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.available > 0) this.available -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.available += 1;
    }
  }
}
