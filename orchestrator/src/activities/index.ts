export { createActivities, type Activities, type ActivityDependencies } from './createActivities.js';
export { INPUT_ERROR_TYPE, toActivityFailure } from './activityFailure.js';
