import type { ScorerOptions } from '@evalshard/scorer';
import type { GateOutcome } from '../runTypes.js';

/**
 * The report of a run: `scores` is the reference scorer's flat record and
 * nothing else; `run` says what was evaluated, how and how fast.
 */
export interface EvaluationReport {
  scores: Record<string, unknown>;
  run: RunMetadata;
}

export interface RunMetadata {
  runId: string;
  mode: 'distributed' | 'single-pass';
  workflowId: string | null;
  spec: string | null;
  task: 'textcat' | 'token-classification';
  /** How rows met the model: fixed shapes or one document a call (exact), or dynamic batching. */
  batching: 'fixed' | 'single' | 'dynamic';
  model: { path: string; digest: string; labels: string[]; executionProviders: string[] };
  corpus: { digest: string; bytes: number; files: Array<{ path: string; bytes: number; digest: string }> };
  scorer: { digest: string; options: Record<string, unknown> };
  shards: number;
  workers: number;
  docs: number;
  tokens: number;
  skipped: { count: number; records: Array<{ file: string; byteOffset: number; reason: string }> };
  /** Shards whose resubmission differed from the stored partial (kept out of the scores). */
  conflicts: Array<{ shardIndex: number; storedDigest: string; rejectedDigest: string }>;
  /** Shards already stored by an earlier attempt of this run (resume). */
  resumedShards: number;
  /** Shard activity attempts beyond the first. */
  retries: number;
  /** Documents evaluated by this command (the others were stored by an earlier attempt of the run). */
  evaluatedDocs: number;
  /** succeeded, or regressed when a gate was breached. */
  status?: 'succeeded' | 'regressed';
  /** With --fail-if / --max-drop: each gate's verdict and the baseline run. */
  gates?: GateOutcome | null;
  /** The run's page in the Temporal Web UI. */
  webUi?: string | null;
  /** With --save-predictions: the predicted documents, for `evalshard score --pred`. */
  predictions?: string;
  /** evaluateMs: this command's evaluation; wallMs: from the workflow's start (or attach) to the report; startupMs: starting the embedded stack. */
  timings: { planMs: number; evaluateMs: number; finalizeMs: number; wallMs: number; startupMs: number };
  throughput: { docsPerSecond: number; tokensPerSecond: number };
  startedAt: string;
  finishedAt: string;
}

/** The scorer options a report shows: the text-classification settings, or the families and seqeval's. */
export function scorerReportOptions(scorer: ScorerOptions): Record<string, unknown> {
  if (scorer.textcat !== undefined) return { ...scorer.textcat };
  return { families: scorer.families ?? [], ...(scorer.seqeval === undefined ? {} : { seqeval: scorer.seqeval }) };
}

export function throughputOf(docs: number, tokens: number, ms: number): RunMetadata['throughput'] {
  const seconds = Math.max(ms, 1) / 1000;
  return { docsPerSecond: round(docs / seconds), tokensPerSecond: round(tokens / seconds) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
