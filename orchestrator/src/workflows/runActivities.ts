import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/createActivities.js';
import { emptyTotals, type RunProgress } from '../runTypes.js';

export const progressQuery = defineQuery<RunProgress>('progress');

const NOT_FOR_INPUT_ERRORS = { initialInterval: '1 second', nonRetryableErrorTypes: ['InputError'] };

/** Planning reads the corpus (fingerprints, document starts): long, retried a few times. */
export const { planRun, planScore, openRun } = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  retry: { maximumAttempts: 5, ...NOT_FOR_INPUT_ERRORS },
});

/** Finalizing merges every stored partial of the run. */
export const { finalizeRun } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  retry: { maximumAttempts: 3, ...NOT_FOR_INPUT_ERRORS },
});

/** Run history and gates: small scorer calls, retried for a while (a restarting scorer must not fail the run). */
export const { recordRun, findUnchanged, checkGates } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 30, maximumInterval: '10 seconds', ...NOT_FOR_INPUT_ERRORS },
});

/** A notification that cannot be delivered is reported in history, not retried for long. */
export const { notify } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, ...NOT_FOR_INPUT_ERRORS },
});

/** A run's progress, answered by the `progress` query as it changes. */
export function trackProgress(shardCount = 0): RunProgress {
  const progress: RunProgress = { phase: 'planning', shardCount, totalBytes: 0, completed: emptyTotals(), activeChildren: [] };
  setHandler(progressQuery, () => progress);
  return progress;
}
