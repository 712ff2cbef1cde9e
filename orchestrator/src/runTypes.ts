// Types that cross the workflow boundary: plain JSON, no Node built-ins.
import type { ScorerOptions } from '@evalshard/scorer';
import type { ShardLayout, ShardRange } from './plan/shardLayout.js';
import type { ScoreConfig } from './score/scoreConfig.js';
import type { ScoreFlags } from './score/scoreOptions.js';
import type { GateBreach } from './gates/evaluateGates.js';
import type { ResolvedSpec } from './spec/resolvedSpec.js';

export interface RunDigests {
  model: string;
  corpus: string;
  scorer: string;
}

export type RunTrigger = 'manual' | 'scheduled' | 'score';

/** Regression gates as written on the command line, checked when a run has its scores. */
export interface GateSpec {
  /** "ents_f < 0.80": the run regressed when the condition holds. */
  failIf: string[];
  /** "ents_f=0.01": the run regressed when the key fell more than that below the baseline. */
  maxDrop: string[];
  /** A run id, or "last-success": the newest earlier succeeded run on the same corpus and scorer (and schedule). */
  baseline: string;
  /** A drop counts only when the paired bootstrap's p-value is below this; null: any drop. */
  alpha: number | null;
}

export interface EvaluationInput {
  /** Empty for a scheduled run: its id comes from the workflow id the schedule gave it. */
  runId: string;
  spec: ResolvedSpec;
  /** Shards per child workflow when a run has more (default SHARDS_PER_CHILD). */
  shardsPerChild?: number;
  trigger?: RunTrigger;
  /** The schedule that started the run. */
  schedule?: string | null;
  /** skip: record the run as skipped when model, corpus and scorer equal the schedule's last evaluated run. */
  onUnchanged?: 'skip' | 'run';
  gates?: GateSpec | null;
  /** Posted a JSON summary when a gate is breached. */
  notify?: string | null;
}

/** The gates' verdict, for history, the report and the notification. */
export interface GateOutcome {
  breaches: GateBreach[];
  baselineRunId: string | null;
  /** One line per gate, in words. */
  summary: string[];
}

export interface PlannedModel {
  path: string;
  digest: string;
  labels: string[];
  problemType: string;
  executionProviders: string[];
  workerId: string;
  /** sequence (text classifier) or token. */
  kind: string;
  /** Operators that make a row depend on its batch; exact mode then runs one document per call. */
  rowCoupling: string[];
}

/** How rows are grouped into model calls: fixed shapes or one document a call (exact), or dynamic. */
export type Batching = 'fixed' | 'single' | 'dynamic';

/** A token classifier's task as a shard needs it; an empty format: from each file's name. */
export interface TokenTaskPlan {
  format: '' | 'jsonl' | 'conllu' | 'iob';
  annotation: 'pos' | 'tag' | 'ents';
  scheme: 'IOB2' | 'BILOU' | 'IOBES' | 'plain';
}

export interface RunPlan {
  runId: string;
  layout: ShardLayout;
  shardCount: number;
  totalBytes: number;
  corpus: { files: Array<{ path: string; size: number; digest: string }>; digest: string };
  model: PlannedModel;
  scorer: ScorerOptions;
  digests: RunDigests;
  batching: Batching;
  tokenTask: TokenTaskPlan | null;
  planMs: number;
}

export interface ShardTask {
  runId: string;
  shardIndex: number;
  range: ShardRange;
  modelPath: string;
  digests: RunDigests;
  scorer: ScorerOptions;
  batch: ResolvedSpec['batch'];
  onBadRecord: ResolvedSpec['onBadRecord'];
  maxListedSkips: number;
  maxRecordBytes: number;
  timeoutMs: number;
  heartbeatMs: number;
  batching: Batching;
  tokenTask: TokenTaskPlan | null;
  savePredictions: string | null;
}

export type ShardOutcome = 'stored' | 'duplicate' | 'conflict' | 'already-stored';

/** What a finished shard leaves in workflow history: a few numbers. */
export interface ShardSummary {
  shardIndex: number;
  outcome: ShardOutcome;
  docs: number;
  tokens: number;
  bytes: number;
  skippedCount: number;
  workerId: string;
  attempt: number;
}

export interface ShardTotals {
  shards: number;
  docs: number;
  tokens: number;
  bytes: number;
  stored: number;
  duplicates: number;
  alreadyStored: number;
  conflicts: number;
  /** Activity attempts beyond the first, over all shards. */
  retries: number;
  /** Documents and tokens of the shards evaluated now (not already stored by an earlier attempt). */
  evaluatedDocs: number;
  evaluatedTokens: number;
}

export interface FinalScores {
  /**
   * The score record as the scorer wrote it: a string, because labels such as
   * "0" and "1" would lose their order in an object (read it with parseJson).
   */
  scoresJson: string;
  shardCount: number;
  docs: number;
  tokens: number;
  bytes: number;
  skippedCount: number;
  skipped: Array<{ file: string; byteOffset: number; reason: string }>;
  conflicts: Array<{ shardIndex: number; storedDigest: string; rejectedDigest: string }>;
  finalizeMs: number;
  families: string[];
}

export interface EvaluationResult {
  status: 'succeeded' | 'regressed';
  plan: RunPlan;
  totals: ShardTotals;
  final: FinalScores;
  timings: { planMs: number; evaluateMs: number; finalizeMs: number };
  gates: GateOutcome | null;
}

/** A scheduled run whose model, corpus and scorer equal an evaluated run's: nothing was evaluated. */
export interface SkippedRun {
  status: 'skipped';
  plan: RunPlan;
  unchangedSince: string;
}

export interface RunProgress {
  phase: 'planning' | 'evaluating' | 'finalizing' | 'done';
  shardCount: number;
  totalBytes: number;
  completed: ShardTotals;
  /** Child workflows fanning out shards right now (large runs). */
  activeChildren: string[];
}

export function emptyTotals(): ShardTotals {
  return {
    shards: 0, docs: 0, tokens: 0, bytes: 0, stored: 0, duplicates: 0, alreadyStored: 0, conflicts: 0, retries: 0,
    evaluatedDocs: 0, evaluatedTokens: 0,
  };
}

export function addSummary(totals: ShardTotals, summary: ShardSummary): void {
  totals.shards += 1;
  totals.docs += summary.docs;
  totals.tokens += summary.tokens;
  totals.bytes += summary.bytes;
  totals.retries += summary.attempt - 1;
  if (summary.outcome === 'stored') totals.stored += 1;
  else if (summary.outcome === 'duplicate') totals.duplicates += 1;
  else if (summary.outcome === 'already-stored') totals.alreadyStored += 1;
  else totals.conflicts += 1;
  if (summary.outcome !== 'already-stored') {
    totals.evaluatedDocs += summary.docs;
    totals.evaluatedTokens += summary.tokens;
  }
}

export function addTotals(into: ShardTotals, other: ShardTotals): void {
  for (const key of Object.keys(into) as Array<keyof ShardTotals>) into[key] += other[key];
}

export type DocFormatName = 'jsonl' | 'conllu' | 'iob';

/** A byte range of a document file that starts at a document. */
export interface DocumentRange {
  path: string;
  start: number;
  end: number;
  startLine: number;
}

/** `evalshard score --shards N`: what to score and how to cut it. */
export interface ScoreInput {
  runId: string;
  gold: string;
  predicted: string;
  format: DocFormatName;
  flags: ScoreFlags;
  config: ScoreConfig;
  shards: number;
  workers: number;
  /** Shards waiting in the workers' queues beyond `workers` (see ResolvedSpec.prefetch); absent before it existed. */
  prefetch?: number;
  timeouts: { shardMs: number; heartbeatMs: number };
  retry: { maximumAttempts: number; initialIntervalMs: number; maximumIntervalMs: number };
}

export interface ScoredFileInfo {
  path: string;
  bytes: number;
  digest: string;
}

export interface ScorePlan {
  runId: string;
  options: ScorerOptions;
  families: string[];
  /** Per shard, the gold range and the predicted range holding the same documents. */
  ranges: Array<{ gold: DocumentRange; predicted: DocumentRange }>;
  docs: number;
  digests: RunDigests;
  gold: ScoredFileInfo;
  predicted: ScoredFileInfo;
  planMs: number;
}

export interface ScoreShardTask {
  runId: string;
  shardIndex: number;
  digests: RunDigests;
  gold: DocumentRange;
  predicted: DocumentRange;
  format: DocFormatName;
  scorer: ScorerOptions;
  timeoutMs: number;
  heartbeatMs: number;
}

export interface ScoreResult {
  plan: ScorePlan;
  totals: ShardTotals;
  final: FinalScores;
  timings: { planMs: number; evaluateMs: number; finalizeMs: number };
}

/** What the scorer needs to open a run. */
export interface RunOpening {
  runId: string;
  shardCount: number;
  digests: RunDigests;
  scorer: ScorerOptions;
}
