/** The report of `evalshard score`: the flat score record and what was scored. */
export interface ScoreReport {
  scores: Record<string, unknown>;
  run: ScoreRunMetadata;
}

export interface ScoredFile {
  path: string;
  bytes: number;
  digest: string;
}

export interface ScoreRunMetadata {
  runId: string;
  mode: 'single-pass' | 'distributed';
  workflowId: string | null;
  gold: ScoredFile;
  predicted: ScoredFile;
  format: string;
  families: string[];
  scorer: { digest: string; options: Record<string, unknown> };
  shards: number;
  /**
   * How a single pass read the files: `native` (spaCy's families over JSONL in the native pass),
   * `bytes` (seqeval over IOB files' bytes), `documents` (document by document, as workers do).
   */
  pass?: 'native' | 'bytes' | 'documents';
  docs: number;
  timings: { planMs: number; scoreMs: number; finalizeMs: number; wallMs: number };
  throughput: { docsPerSecond: number };
  startedAt: string;
  finishedAt: string;
}
