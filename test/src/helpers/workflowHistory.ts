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

/**
 * The most shard activities in flight at once across a run's workflow and its
 * child windows, from their histories: each scheduled shard counts from its
 * scheduling to its completion (or failure, timeout, cancellation).
 */
export async function maxShardsInFlight(client: Client, workflowIds: string[]): Promise<number> {
  const changes: Array<[time: number, delta: number]> = [];
  const millis = (time: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(time?.seconds ?? 0) * 1000 + (time?.nanos ?? 0) / 1e6;
  for (const workflowId of workflowIds) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = new Map<string, number>();
    for (const event of history.events ?? []) {
      const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
      if (name === 'evaluateShard' || name === 'scoreShard') scheduled.set(String(event.eventId), millis(event.eventTime));
      const closed =
        event.activityTaskCompletedEventAttributes ??
        event.activityTaskFailedEventAttributes ??
        event.activityTaskTimedOutEventAttributes ??
        event.activityTaskCanceledEventAttributes;
      const start = closed === null || closed === undefined ? undefined : scheduled.get(String(closed.scheduledEventId));
      if (start !== undefined) {
        changes.push([start, 1], [millis(event.eventTime), -1]);
      }
    }
  }
  // At the same instant, an end comes before a start.
  changes.sort(([a, da], [b, db]) => a - b || da - db);
  let inFlight = 0;
  let most = 0;
  for (const [, delta] of changes) {
    inFlight += delta;
    most = Math.max(most, inFlight);
  }
  return most;
}
