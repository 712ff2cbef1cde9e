export { evaluationWorkflow, shardWindowWorkflow, progressQuery, SHARDS_PER_CHILD } from './evaluationWorkflow.js';
