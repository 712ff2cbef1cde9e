import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MetricStates, PartialScore, RunDigests, ScorerConfig, ShardStats, type SkippedRecord } from '@evalshard/proto';
import { InputError } from '../errors.js';
import { sha256Hex } from '../scorerOptions.js';

export interface RunRecord {
  runId: string;
  shardCount: number;
  digests: RunDigests;
  scorer: ScorerConfig;
}

export type StoreOutcome =
  | { outcome: 'stored'; digest: string; /** Partials of the shard's block stored now, this one included. */ blockStored: number }
  | { outcome: 'duplicate'; digest: string }
  | { outcome: 'conflict'; digest: string; storedDigest: string };

export interface StoredShardRow {
  shardIndex: number;
  digest: string;
  docs: number;
}

/**
 * Consecutive shards merged together as soon as all of them are stored, so
 * that finalize merges one state per block instead of one per shard: a
 * 100,000-shard run finalizes from about a hundred states.
 */
export const BLOCK_SHARDS = 1024;

/** The merge of one block of consecutive shards (see finalizeRun), with their counts and first skipped records. */
export interface MergedBlock {
  docs: number;
  tokens: number;
  bytes: number;
  skippedCount: number;
  skipped: SkippedRecord[];
  states: MetricStates;
}

export interface ConflictRow {
  shardIndex: number;
  storedDigest: string;
  rejectedDigest: string;
}

/**
 * Partials keyed by (run, shard) in SQLite. The primary key makes a second
 * submission of a shard a no-op, so activities may run more than once while
 * each shard counts once.
 */
export class PartialStore {
  private readonly db: Database.Database;
  // Prepared once: preparing a statement per call cost more than running it.
  private readonly statements = new Map<string, Database.Statement>();

  /** `durable: false` skips the fsync per partial: for benchmarks and scratch stores only. */
  constructor(path: string, options: { durable?: boolean } = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // A partial acknowledged as stored must survive a crash of this host.
    this.db.pragma(options.durable === false ? 'synchronous = OFF' : 'synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS runs (
        run_id TEXT PRIMARY KEY,
        shard_count INTEGER NOT NULL,
        digests BLOB NOT NULL,
        scorer BLOB NOT NULL,
        opened_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS partials (
        run_id TEXT NOT NULL,
        shard_index INTEGER NOT NULL,
        digest TEXT NOT NULL,
        docs INTEGER NOT NULL,
        partial BLOB NOT NULL,
        stats BLOB,
        stored_at TEXT NOT NULL,
        PRIMARY KEY (run_id, shard_index)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS block_counts (
        run_id TEXT NOT NULL,
        block INTEGER NOT NULL,
        stored INTEGER NOT NULL,
        PRIMARY KEY (run_id, block)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS merged_blocks (
        run_id TEXT NOT NULL,
        block INTEGER NOT NULL,
        docs INTEGER NOT NULL,
        tokens INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        skipped_count INTEGER NOT NULL,
        skipped TEXT NOT NULL,
        states BLOB NOT NULL,
        PRIMARY KEY (run_id, block)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS conflicts (
        run_id TEXT NOT NULL,
        shard_index INTEGER NOT NULL,
        stored_digest TEXT NOT NULL,
        rejected_digest TEXT NOT NULL,
        partial BLOB NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (run_id, shard_index, rejected_digest)
      ) WITHOUT ROWID;
    `);
  }

  close(): void {
    this.db.close();
  }

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Registers a run; returns whether it existed. A different plan for a known run is refused. */
  openRun(run: RunRecord): boolean {
    const existing = this.getRun(run.runId);
    if (existing === undefined) {
      this
        .sql('INSERT INTO runs (run_id, shard_count, digests, scorer, opened_at) VALUES (?, ?, ?, ?, ?)')
        .run(
          run.runId,
          run.shardCount,
          Buffer.from(RunDigests.encode(run.digests).finish()),
          Buffer.from(ScorerConfig.encode(run.scorer).finish()),
          new Date().toISOString(),
        );
      return false;
    }
    const differences = planDifferences(existing, run);
    if (differences.length > 0) {
      throw new InputError(
        `run ${run.runId} was opened before with a different plan (${differences.join('; ')}); ` +
          'use a new run id, or the same spec, model and corpus to resume it',
        { code: 'RUN_PLAN_CHANGED' },
      );
    }
    return true;
  }

  getRun(runId: string): RunRecord | undefined {
    const row = this.sql('SELECT shard_count, digests, scorer FROM runs WHERE run_id = ?').get(runId) as
      | { shard_count: number; digests: Buffer; scorer: Buffer }
      | undefined;
    if (row === undefined) return undefined;
    return {
      runId,
      shardCount: row.shard_count,
      digests: RunDigests.decode(row.digests),
      scorer: ScorerConfig.decode(row.scorer),
    };
  }

  submit(partial: PartialScore, stats: ShardStats | undefined): StoreOutcome {
    return this.submitAll([{ partial, stats }])[0]!;
  }

  /**
   * Stores partials in one transaction, in order (a later one sees an
   * earlier one of the same shard), and returns once it is committed: with
   * synchronous=FULL, once it is on disk. Group commit: the scorer gathers
   * the submissions that arrive together and acknowledges them after one
   * commit, not one per partial. All or nothing when the disk fails.
   */
  submitAll(items: ReadonlyArray<{ partial: PartialScore; stats: ShardStats | undefined }>): StoreOutcome[] {
    const encoded = items.map(({ partial }) => {
      // Encoded once: the stored bytes are what the digest is of.
      const bytes = Buffer.from(PartialScore.encode(partial).finish());
      return { bytes, digest: sha256Hex(bytes) };
    });
    return this.db.transaction(() => items.map(({ partial, stats }, i) => this.storeOne(partial, stats, encoded[i]!.bytes, encoded[i]!.digest))).immediate();
  }

  private storeOne(partial: PartialScore, stats: ShardStats | undefined, encoded: Buffer, digest: string): StoreOutcome {
    const stored = this.sql('SELECT digest FROM partials WHERE run_id = ? AND shard_index = ?').get(partial.runId, partial.shardIndex) as
      | { digest: string }
      | undefined;
    if (stored === undefined) {
      this.sql('INSERT INTO partials (run_id, shard_index, digest, docs, partial, stats, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        partial.runId,
        partial.shardIndex,
        digest,
        partial.docs,
        encoded,
        stats === undefined ? null : Buffer.from(ShardStats.encode(stats).finish()),
        new Date().toISOString(),
      );
      // Counted with the partial, so that the submitter knows at once when the shard completed its block.
      const { stored: blockStored } = this.sql(
        'INSERT INTO block_counts (run_id, block, stored) VALUES (?, ?, 1) ON CONFLICT (run_id, block) DO UPDATE SET stored = stored + 1 RETURNING stored',
      ).get(partial.runId, Math.floor(partial.shardIndex / BLOCK_SHARDS)) as { stored: number };
      return { outcome: 'stored', digest, blockStored };
    }
    if (stored.digest === digest) return { outcome: 'duplicate', digest };
    this.sql(
      'INSERT OR IGNORE INTO conflicts (run_id, shard_index, stored_digest, rejected_digest, partial, received_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(partial.runId, partial.shardIndex, stored.digest, digest, encoded, new Date().toISOString());
    return { outcome: 'conflict', digest, storedDigest: stored.digest };
  }

  listShards(runId: string, fromShard = 0, toShard = Number.MAX_SAFE_INTEGER): StoredShardRow[] {
    const rows = this
      .sql(
        'SELECT shard_index, digest, docs FROM partials WHERE run_id = ? AND shard_index >= ? AND shard_index < ? ORDER BY shard_index',
      )
      .all(runId, fromShard, toShard) as Array<{ shard_index: number; digest: string; docs: number }>;
    return rows.map((row) => ({ shardIndex: row.shard_index, digest: row.digest, docs: row.docs }));
  }

  missingShards(runId: string, shardCount: number): number[] {
    const stored = new Set(this.listShards(runId).map((row) => row.shardIndex));
    const missing: number[] = [];
    for (let i = 0; i < shardCount; i++) if (!stored.has(i)) missing.push(i);
    return missing;
  }

  /** Stored partials in shard order, decoded one at a time. */
  *partials(runId: string): Generator<PartialScore> {
    const rows = this
      .sql('SELECT partial FROM partials WHERE run_id = ? ORDER BY shard_index')
      .iterate(runId) as IterableIterator<{ partial: Buffer }>;
    for (const row of rows) yield PartialScore.decode(row.partial);
  }

  /** Stored partials of shards [fromShard, toShard) in shard order, as stored: encoded, for merging without decoding (readEncodedPartial). */
  *encodedPartialsInRange(runId: string, fromShard: number, toShard: number): Generator<Uint8Array> {
    const rows = this
      .sql('SELECT partial FROM partials WHERE run_id = ? AND shard_index >= ? AND shard_index < ? ORDER BY shard_index')
      .iterate(runId, fromShard, toShard) as IterableIterator<{ partial: Buffer }>;
    for (const row of rows) yield row.partial;
  }

  /** Partials stored in block `block` (shards [block·BLOCK_SHARDS, (block+1)·BLOCK_SHARDS)). */
  storedInBlock(runId: string, block: number): number {
    const row = this.sql('SELECT stored FROM block_counts WHERE run_id = ? AND block = ?').get(runId, block) as
      | { stored: number }
      | undefined;
    return row?.stored ?? 0;
  }

  getBlock(runId: string, block: number): MergedBlock | undefined {
    const row = this.sql('SELECT * FROM merged_blocks WHERE run_id = ? AND block = ?').get(runId, block) as
      | { docs: number; tokens: number; bytes: number; skipped_count: number; skipped: string; states: Buffer }
      | undefined;
    if (row === undefined) return undefined;
    return {
      docs: row.docs,
      tokens: row.tokens,
      bytes: row.bytes,
      skippedCount: row.skipped_count,
      skipped: JSON.parse(row.skipped) as SkippedRecord[],
      states: MetricStates.decode(row.states),
    };
  }

  /** Keeps a block's merged states; a block is merged from stored partials only, so a second write changes nothing. */
  putBlock(runId: string, block: number, merged: MergedBlock): void {
    this
      .sql(
        'INSERT OR IGNORE INTO merged_blocks (run_id, block, docs, tokens, bytes, skipped_count, skipped, states) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        runId,
        block,
        merged.docs,
        merged.tokens,
        merged.bytes,
        merged.skippedCount,
        JSON.stringify(merged.skipped),
        Buffer.from(MetricStates.encode(merged.states).finish()),
      );
  }

  conflicts(runId: string): ConflictRow[] {
    const rows = this
      .sql(
        'SELECT shard_index, stored_digest, rejected_digest FROM conflicts WHERE run_id = ? ORDER BY shard_index, received_at',
      )
      .all(runId) as Array<{ shard_index: number; stored_digest: string; rejected_digest: string }>;
    return rows.map((row) => ({
      shardIndex: row.shard_index,
      storedDigest: row.stored_digest,
      rejectedDigest: row.rejected_digest,
    }));
  }
}

function planDifferences(existing: RunRecord, requested: RunRecord): string[] {
  const differences: string[] = [];
  if (existing.shardCount !== requested.shardCount) {
    differences.push(`shards ${existing.shardCount} vs ${requested.shardCount}`);
  }
  for (const key of ['model', 'corpus', 'scorer'] as const) {
    if (existing.digests[key] !== requested.digests[key]) {
      differences.push(`${key} digest ${existing.digests[key].slice(0, 12)} vs ${requested.digests[key].slice(0, 12)}`);
    }
  }
  return differences;
}
