import type { Client } from '@temporalio/client';
import { workflowIdFor } from '@evalshard/orchestrator';

export interface ActivityAttempts {
  /** Activity type → how many times it was scheduled. */
  scheduled: Record<string, number>;
  /** The highest attempt number any started activity reached. */
  maxAttempt: number;
}

/** What a run's workflow history says about its activities. */
export async function activityAttempts(client: Client, runId: string): Promise<ActivityAttempts> {
  const history = await client.workflow.getHandle(workflowIdFor(runId)).fetchHistory();
  const scheduled: Record<string, number> = {};
  let maxAttempt = 0;
  for (const event of history.events ?? []) {
    const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) scheduled[name] = (scheduled[name] ?? 0) + 1;
    const attempt = event.activityTaskStartedEventAttributes?.attempt;
    if (attempt) maxAttempt = Math.max(maxAttempt, attempt);
  }
  return { scheduled, maxAttempt };
}
