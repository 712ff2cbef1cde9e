/** The task queue of a cluster's evalshard workers, unless told otherwise. */
export const DEFAULT_TASK_QUEUE = 'evalshard';
