export { evaluationWorkflow, shardWindowWorkflow, SHARDS_PER_CHILD } from './evaluationWorkflow.js';
export { progressQuery } from './runActivities.js';
export { scoreWorkflow } from './scoreWorkflow.js';
