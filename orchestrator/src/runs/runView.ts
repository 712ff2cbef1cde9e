import type { RunEntry } from '@evalshard/proto';
import { parseJson } from '@evalshard/scorer';
import type { Client } from '@temporalio/client';

/** A history entry as the commands show it and print as JSON. */
export interface RunView {
  runId: string;
  status: string;
  trigger: string;
  schedule: string | null;
  workflowId: string;
  startedAt: string;
  finishedAt: string | null;
  model: string | null;
  digests: { model: string; corpus: string; scorer: string } | null;
  /** The first score of the record (cats_score, ents_f, pos_acc, …). */
  headline: { key: string; value: number | null } | null;
  scores: Record<string, unknown> | null;
  stats: Record<string, unknown> | null;
  bootstrap: { replicates: number; seed: number } | null;
  gates: unknown;
  message: string | null;
  spec: Record<string, unknown> | null;
}

export function runView(entry: RunEntry): RunView {
  const scores = entry.scoresJson === '' ? null : (parseJson(entry.scoresJson) as Record<string, unknown>);
  return {
    runId: entry.runId,
    status: entry.status,
    trigger: entry.trigger,
    schedule: entry.schedule || null,
    workflowId: entry.workflowId,
    startedAt: entry.startedAt,
    finishedAt: entry.finishedAt || null,
    model: entry.modelPath || null,
    digests: entry.digests ?? null,
    headline: scores === null ? null : headlineOf(scores),
    scores,
    stats: entry.statsJson === '' ? null : (JSON.parse(entry.statsJson) as Record<string, unknown>),
    bootstrap: entry.bootstrapJson === '' ? null : (JSON.parse(entry.bootstrapJson) as RunView['bootstrap']),
    gates: entry.gatesJson === '' ? null : (JSON.parse(entry.gatesJson) as unknown),
    message: entry.message || null,
    spec: entry.specJson === '' ? null : (JSON.parse(entry.specJson) as Record<string, unknown>),
  };
}

export function headlineOf(scores: Record<string, unknown> | Map<string, unknown>): { key: string; value: number | null } | null {
  const entries = scores instanceof Map ? [...scores.entries()] : Object.entries(scores);
  for (const [key, value] of entries) {
    if (key.endsWith('_ci')) continue;
    if (typeof value === 'number' || value === null) return { key, value };
  }
  return null;
}

/**
 * A run recorded as running whose workflow has closed without saying so
 * (terminated, or its worker died for good) gets the workflow's status,
 * in history too. Without Temporal the entry is shown as stored.
 */
export async function reconcile(entries: RunEntry[], client: Client | undefined, record: (entry: RunEntry) => Promise<unknown>): Promise<void> {
  if (client === undefined) return;
  for (const entry of entries) {
    if (entry.status !== 'running' || entry.workflowId === '') continue;
    const description = await client.workflow
      .getHandle(entry.workflowId)
      .describe()
      .catch(() => undefined);
    const closed = description?.status.name;
    if (closed === undefined || closed === 'RUNNING') continue;
    const status = closed === 'COMPLETED' ? undefined : closed === 'TERMINATED' || closed === 'CANCELLED' ? 'cancelled' : 'failed';
    if (status === undefined) continue;
    entry.status = status;
    entry.finishedAt = description!.closeTime?.toISOString() ?? '';
    entry.message = `the workflow was ${closed.toLowerCase()}`;
    await record({ ...entry, replicatesJson: '' }).catch(() => undefined);
  }
}

/** "cats_score 0.9617" for tables; --json keeps every digit. */
export function formatHeadline(view: RunView): string {
  if (view.headline === null) return '-';
  const { key, value } = view.headline;
  return `${key} ${value === null ? 'null' : value.toFixed(4)}`;
}

export function formatTime(iso: string | null): string {
  if (iso === null || iso === '') return '-';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function durationOf(view: RunView): string {
  if (view.finishedAt === null) return '-';
  const ms = Date.parse(view.finishedAt) - Date.parse(view.startedAt);
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : '-';
}
