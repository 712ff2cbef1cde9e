import { defaultPayloadConverter, type Client, type WorkflowHandle } from '@temporalio/client';
import type { EvaluationResult, RunProgress } from '../runTypes.js';
import type { ResolvedSpec } from '../spec/resolvedSpec.js';
import { evaluationWorkflow } from '../workflows/evaluationWorkflow.js';
import { progressQuery } from '../workflows/runActivities.js';

export interface ProgressSnapshot {
  phase: RunProgress['phase'];
  shardCount: number;
  shardsDone: number;
  docs: number;
  tokens: number;
  bytes: number;
  totalBytes: number;
}

export interface RunEvaluationOptions {
  client: Client;
  taskQueue: string;
  runId: string;
  spec: ResolvedSpec;
  shardsPerChild?: number;
  onStarted?: (handle: WorkflowHandle<typeof evaluationWorkflow>) => void;
  onProgress?: (snapshot: ProgressSnapshot) => void;
  pollMs?: number;
}

export function workflowIdFor(runId: string): string {
  return `evalshard-${runId}`;
}

/**
 * Starts (or, when the run is still going, attaches to) the run's workflow
 * and waits for its result, reporting progress from the workflow's query and
 * the in-flight shards' heartbeats.
 */
export async function runEvaluation(options: RunEvaluationOptions): Promise<EvaluationResult> {
  const handle = await options.client.workflow.start(evaluationWorkflow, {
    taskQueue: options.taskQueue,
    workflowId: workflowIdFor(options.runId),
    args: [{ runId: options.runId, spec: options.spec, shardsPerChild: options.shardsPerChild }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  options.onStarted?.(handle);
  return followRun(options.client, handle, options.onProgress, options.pollMs);
}

/** Waits for a run's result, reporting its progress every `pollMs` meanwhile. */
export async function followRun<Result>(
  client: Client,
  handle: WorkflowHandle & { result(): Promise<Result> },
  onProgress: ((snapshot: ProgressSnapshot) => void) | undefined,
  pollMs = 500,
): Promise<Result> {
  let polling = true;
  const poller = (async () => {
    while (polling && onProgress !== undefined) {
      const snapshot = await progressOf(client, handle).catch(() => undefined);
      if (snapshot !== undefined && polling) onProgress(snapshot);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  })();
  try {
    return await handle.result();
  } finally {
    polling = false;
    await poller;
  }
}

const QUERY_DEADLINE_MS = 3_000;

async function progressOf(client: Client, handle: WorkflowHandle): Promise<ProgressSnapshot | undefined> {
  // A query needs a worker to answer; a closed run has nothing left to report.
  const { status } = await handle.describe();
  if (status.name !== 'RUNNING') return undefined;
  const query = (holder: WorkflowHandle) =>
    client.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => holder.query(progressQuery));
  const progress = await query(handle);
  const snapshot: ProgressSnapshot = {
    phase: progress.phase,
    shardCount: progress.shardCount,
    shardsDone: progress.completed.shards,
    docs: progress.completed.docs,
    tokens: progress.completed.tokens,
    bytes: progress.completed.bytes,
    totalBytes: progress.totalBytes,
  };
  if (progress.phase !== 'evaluating') return snapshot;
  // Shards in flight report through their heartbeats; large runs fan out in a child.
  const holders = [handle, ...progress.activeChildren.map((id) => client.workflow.getHandle(id))];
  for (const holder of holders) {
    if (holder !== handle) {
      const child = await query(holder).catch(() => undefined);
      if (child !== undefined) {
        snapshot.shardsDone += child.completed.shards;
        snapshot.docs += child.completed.docs;
        snapshot.tokens += child.completed.tokens;
        snapshot.bytes += child.completed.bytes;
      }
    }
    const description = await holder.describe();
    for (const activity of description.raw.pendingActivities ?? []) {
      const payload = activity.heartbeatDetails?.payloads?.[0];
      if (payload == null) continue;
      const beat = defaultPayloadConverter.fromPayload<{ docs?: number; tokens?: number; bytes?: number }>(payload);
      snapshot.docs += beat.docs ?? 0;
      snapshot.tokens += beat.tokens ?? 0;
      snapshot.bytes += beat.bytes ?? 0;
    }
  }
  return snapshot;
}
