import { Worker } from 'node:worker_threads';
import type { DescribeModelResponse, EvaluateShardEvent, EvaluateShardRequest, ScoreShardRequest } from '@evalshard/proto';
import { errorFromRecord, type EngineInit, type EngineReply, type EngineRequest } from './engineProtocol.js';

interface Pending {
  onEvent?: (event: EvaluateShardEvent) => void;
  resolve: (model: DescribeModelResponse | undefined) => void;
  reject: (error: Error) => void;
}

const THREAD_PATH = new URL('./engineThread.js', import.meta.url);

/**
 * The main thread's handle on the evaluation thread (engineThread.ts): shard
 * calls and model descriptions go there as messages, their events and
 * results come back, and a cancelled call is cancelled there. A thread that
 * dies takes the process with it, as an uncaught error in one thread would:
 * the supervisor restarts the worker and the orchestrator retries its shards.
 */
export class ShardEngine {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private loaded: string[] = [];
  private closing: Promise<void> | undefined;
  private exited = false;

  private constructor(private readonly thread: Worker) {
    thread.on('message', (reply: EngineReply) => this.receive(reply));
    thread.on('error', (error) => this.die(`failed: ${error.stack ?? error.message}`));
    thread.on('exit', (code) => {
      this.exited = true;
      if (this.closing === undefined) this.die(`exited with code ${code}`);
    });
  }

  static start(init: EngineInit): ShardEngine {
    return new ShardEngine(new Worker(THREAD_PATH, { workerData: init }));
  }

  /** The model folders the thread holds open, as it last said. */
  loadedModels(): string[] {
    return [...this.loaded];
  }

  evaluate(request: EvaluateShardRequest, onEvent: (event: EvaluateShardEvent) => void, signal: AbortSignal): Promise<void> {
    return this.call((id) => ({ type: 'evaluate', id, request }), onEvent, signal).then(() => undefined);
  }

  score(request: ScoreShardRequest, onEvent: (event: EvaluateShardEvent) => void, signal: AbortSignal): Promise<void> {
    return this.call((id) => ({ type: 'score', id, request }), onEvent, signal).then(() => undefined);
  }

  async describe(modelPath: string): Promise<DescribeModelResponse> {
    return (await this.call((id) => ({ type: 'describe', id, modelPath })))!;
  }

  /** Releases the thread's models, then ends it. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      const done = () => void this.thread.terminate().then(() => resolve());
      this.thread.once('exit', () => resolve());
      this.thread.on('message', (reply: EngineReply) => reply.type === 'closed' && done());
      this.thread.postMessage({ type: 'close' } satisfies EngineRequest);
    });
    return this.closing;
  }

  private call(
    request: (id: number) => EngineRequest,
    onEvent?: (event: EvaluateShardEvent) => void,
    signal?: AbortSignal,
  ): Promise<DescribeModelResponse | undefined> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { onEvent, resolve, reject });
      this.thread.postMessage(request(id));
      if (signal === undefined) return;
      const cancel = () => {
        const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
        this.thread.postMessage({ type: 'cancel', id, reason } satisfies EngineRequest);
      };
      if (signal.aborted) cancel();
      else signal.addEventListener('abort', cancel, { once: true });
    });
  }

  private receive(reply: EngineReply): void {
    if (reply.type === 'models') {
      this.loaded = reply.dirs;
      return;
    }
    if (reply.type === 'closed') return;
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    if (reply.type === 'event') {
      pending.onEvent?.(reply.event);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.type === 'done') pending.resolve(reply.model);
    else pending.reject(errorFromRecord(reply.error));
  }

  private die(how: string): void {
    console.error(`gpu-worker: the evaluation thread ${how}`);
    process.exit(1);
  }
}
