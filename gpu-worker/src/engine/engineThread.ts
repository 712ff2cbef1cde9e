// The evaluation thread: opens models, reads records, tokenizes, runs the
// model and scores, so the main thread that serves gRPC stays free to answer
// health checks, write progress and keep-alive pings, and take cancellations
// while a model call runs (onnxruntime-node runs a call on its caller's thread).
import { parentPort, workerData } from 'node:worker_threads';
import type { DescribeModelResponse, EvaluateShardEvent } from '@evalshard/proto';
import { ModelCache } from '../bundle/modelCache.js';
import { describeModel } from './describeModel.js';
import { errorRecord, type EngineInit, type EngineReply, type EngineRequest } from './engineProtocol.js';
import { evaluateShard } from './evaluateShard.js';
import { scoreShard } from './scoreShard.js';

const port = parentPort!;
const init = workerData as EngineInit;
const post = (reply: EngineReply) => port.postMessage(reply);
const models = new ModelCache(init.runtime, init.maxLoadedModels, (dirs) => post({ type: 'models', dirs }));
const context = { workerId: init.workerId, models, simulateMsPerDoc: init.simulateMsPerDoc };
const running = new Map<number, AbortController>();

port.on('message', (message: EngineRequest) => {
  switch (message.type) {
    case 'cancel':
      running.get(message.id)?.abort(new Error(message.reason));
      return;
    case 'close':
      void models.close().then(() => post({ type: 'closed' }));
      return;
    case 'describe':
      void settle(message.id, async () => ({ model: await describeModel(models, init.workerId, message.modelPath) }));
      return;
    default: {
      const abort = new AbortController();
      running.set(message.id, abort);
      const write = (event: EvaluateShardEvent) => post({ type: 'event', id: message.id, event });
      void settle(message.id, async () => {
        if (message.type === 'evaluate') await evaluateShard(message.request, context, write, abort.signal);
        else await scoreShard(message.request, init.workerId, write, abort.signal);
        return {};
      }).finally(() => running.delete(message.id));
    }
  }
});

async function settle(id: number, work: () => Promise<{ model?: DescribeModelResponse }>): Promise<void> {
  try {
    post({ type: 'done', id, ...(await work()) });
  } catch (error) {
    post({ type: 'failed', id, error: errorRecord(error) });
  }
}
