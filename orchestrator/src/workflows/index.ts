export { evaluationWorkflow, shardWindowWorkflow, progressQuery, SHARDS_PER_CHILD } from './evaluationWorkflow.js';
export { scoreWorkflow } from './scoreWorkflow.js';
