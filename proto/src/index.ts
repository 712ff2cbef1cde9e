export * from './gen/evalshard/v1/partial.js';
export * from './gen/evalshard/v1/worker.js';
export * from './gen/evalshard/v1/scorer.js';
export * from './grpcChannel.js';
export * from './tlsFiles.js';
export * from './serviceProcess.js';
