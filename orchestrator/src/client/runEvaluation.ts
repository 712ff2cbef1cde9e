import { defaultPayloadConverter, type Client, type WorkflowHandle } from '@temporalio/client';
import type { EvaluationInput, EvaluationResult, RunProgress } from '../runTypes.js';
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
  /** Documents and tokens of finished shards that were evaluated (not found stored). */
  evaluatedDocs?: number;
  evaluatedTokens?: number;
}

/** The evaluation this command did itself, for its throughput. */
export interface WorkDone {
  /** The command found the run's workflow already running (a resume after a crash) and followed it. */
  attached: boolean;
  docs: number;
  tokens: number;
  evaluateMs: number;
}

export interface RunEvaluationOptions {
  client: Client;
  taskQueue: string;
  runId: string;
  spec: ResolvedSpec;
  shardsPerChild?: number;
  /** Regression gates and where to post a breach. */
  gates?: EvaluationInput['gates'];
  notify?: string | null;
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
export async function runEvaluation(options: RunEvaluationOptions): Promise<EvaluationResult & { work: WorkDone }> {
  const workflowId = workflowIdFor(options.runId);
  const existing = await options.client.workflow
    .getHandle(workflowId)
    .describe()
    .catch(() => undefined);
  const attached = existing?.status.name === 'RUNNING';
  const handle = await options.client.workflow.start(evaluationWorkflow, {
    taskQueue: options.taskQueue,
    workflowId,
    args: [
      {
        runId: options.runId,
        spec: options.spec,
        shardsPerChild: options.shardsPerChild,
        trigger: 'manual',
        gates: options.gates ?? null,
        notify: options.notify ?? null,
      },
    ],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  options.onStarted?.(handle);
  // A workflow that was already running timed everything since its start, a
  // crashed command's time included: count from the first progress seen here.
  let baseline: { docs: number; tokens: number; at: number } | undefined;
  const onProgress = (snapshot: ProgressSnapshot) => {
    baseline ??= { docs: snapshot.evaluatedDocs ?? 0, tokens: snapshot.evaluatedTokens ?? 0, at: Date.now() };
    options.onProgress?.(snapshot);
  };
  const followedFrom = Date.now();
  const outcome = await followRun(options.client, handle, attached ? onProgress : options.onProgress, options.pollMs);
  // Only a schedule asks to skip an unchanged model.
  if (outcome.status === 'skipped') throw new Error(`run ${options.runId} was skipped: unchanged since run ${outcome.unchangedSince}`);
  const result = outcome;
  const { totals, timings, final } = result;
  if (!attached) {
    return { ...result, work: { attached, docs: totals.evaluatedDocs, tokens: totals.evaluatedTokens, evaluateMs: timings.evaluateMs } };
  }
  const since = baseline ?? { docs: 0, tokens: 0, at: followedFrom };
  const followedMs = Math.max(1, Date.now() - since.at - final.finalizeMs);
  return {
    ...result,
    work: {
      attached,
      docs: totals.evaluatedDocs - since.docs,
      tokens: totals.evaluatedTokens - since.tokens,
      evaluateMs: Math.min(timings.evaluateMs, followedMs),
    },
  };
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

export async function progressOf(client: Client, handle: WorkflowHandle): Promise<ProgressSnapshot | undefined> {
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
    evaluatedDocs: progress.completed.evaluatedDocs,
    evaluatedTokens: progress.completed.evaluatedTokens,
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
        snapshot.evaluatedDocs! += child.completed.evaluatedDocs;
        snapshot.evaluatedTokens! += child.completed.evaluatedTokens;
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
