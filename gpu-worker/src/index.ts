export { loadModelBundle, type ModelBundle, type ProblemType, type RuntimeOptions, type TensorSignature } from './bundle/modelBundle.js';
export { ModelCache } from './bundle/modelCache.js';
export { bundleDigest, fileSha256 } from './bundle/bundleDigest.js';
export { TextEncoder } from './bundle/textEncoder.js';
export { TextBatcher, type TextBatch, type EncodedDoc } from './inference/textBatcher.js';
export { runTextBatch } from './inference/runTextBatch.js';
export { categoryScores } from './inference/categoryScores.js';
export { evaluateRange, type EvaluateRangeParams, type RangeTotals, type RangeProgress, type BatchOptions } from './evaluateRange.js';
export { createWorkerService, defaultWorkerId } from './server/workerService.js';
export { startWorkerServer, type WorkerServerOptions } from './server/startWorkerServer.js';
export { gpuWorkerCommand, GPU_WORKER_USAGE } from './server/gpuWorkerCommand.js';
/** The worker's process entry, for supervisors that start it. */
export const GPU_WORKER_MAIN_PATH = new URL('./main.js', import.meta.url).pathname;
