/**
 * A validated spec with every path absolute and every default filled in.
 * Plain JSON: it travels in the workflow's input. Paths are resolved by the
 * client; on a cluster they must name the same files on every worker host.
 */
export interface ResolvedSpec {
  specPath: string | null;
  model: string;
  corpus: string[];
  task: 'textcat' | 'token-classification';
  /** token-classification: what the labels are, the corpus format (null: from each file's name), families. */
  tokens: {
    annotation: 'pos' | 'tag' | 'ents';
    scheme: 'IOB2' | 'BILOU' | 'IOBES' | 'plain';
    format: 'jsonl' | 'conllu' | 'iob' | null;
    scorers: string[] | null;
    seqeval: { mode: 'default' | 'strict'; scheme: string | null; zeroDivision: 0 | 1 };
  } | null;
  /** Fixed-shape batching (a document's logits do not depend on its batch); false: dynamic. */
  exact: boolean;
  /** --save-predictions: a folder every worker can write, for each shard's predicted documents. */
  savePredictions: string | null;
  labels: string[] | null;
  scorer: {
    multiLabel: boolean | null;
    threshold: number | null;
    positiveLabel: string | null;
    macroSummation: 'compensated' | 'plain';
  };
  /** Poisson bootstrap replicates (intervals, paired comparison); null: none. */
  bootstrap: { replicates: number; seed: number } | null;
  sharding: { shards: number | null; shardSize: number | null };
  batch: { maxDocs: number; maxTokens: number; maxSequenceLength: number };
  workers: number;
  /**
   * Shards in flight beyond `workers`: each waits in a GPU worker's queue, so
   * the worker starts it the moment a shard ends instead of after a round
   * trip through Temporal. Absent in specs resolved before it existed (0).
   */
  prefetch?: number;
  onBadRecord: 'fail' | 'skip';
  maxListedSkips: number;
  /** A longer corpus record is a bad record (onBadRecord decides), never read into memory. */
  maxRecordBytes: number;
  corpusDigest: 'content' | 'stat';
  runtime: { executionProviders: string[]; intraOpThreads: number };
  timeouts: { shardMs: number; heartbeatMs: number };
  retry: { maximumAttempts: number; initialIntervalMs: number; maximumIntervalMs: number };
}
