import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { RunDigests, type RunEntry } from '@evalshard/proto';
import { InputError } from '../errors.js';

export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'skipped', 'regressed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

// Text columns an upsert may set; an empty value keeps the stored one.
const TEXT_COLUMNS = [
  ['workflowId', 'workflow_id'],
  ['schedule', 'schedule'],
  ['trigger', 'trigger'],
  ['startedAt', 'started_at'],
  ['finishedAt', 'finished_at'],
  ['specJson', 'spec_json'],
  ['modelPath', 'model_path'],
  ['scoresJson', 'scores_json'],
  ['statsJson', 'stats_json'],
  ['replicatesJson', 'replicates_json'],
  ['bootstrapJson', 'bootstrap_json'],
  ['message', 'message'],
  ['gatesJson', 'gates_json'],
] as const;

interface Row {
  run_id: string;
  status: string;
  digests: Buffer | null;
  [column: string]: unknown;
}

/**
 * Every run of a deployment, in the scorer's database: the orchestrator is
 * stateless, and a cluster's commands all reach the same scorer.
 */
export class RunHistory {
  private readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS run_history (
        run_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        digests BLOB,
        ${TEXT_COLUMNS.map(([, column]) => `${column} TEXT NOT NULL DEFAULT ''`).join(',\n        ')},
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS run_history_by_schedule ON run_history (schedule, started_at);
    `);
  }

  close(): void {
    this.db.close();
  }

  /** Upserts an entry; returns what is stored afterwards. */
  record(entry: RunEntry): RunEntry {
    if (entry.runId === '') throw new InputError('run id is empty', { field: 'runId' });
    if (entry.status !== '' && !(RUN_STATUSES as readonly string[]).includes(entry.status)) {
      throw new InputError(`unknown run status "${entry.status}" (one of ${RUN_STATUSES.join(', ')})`, { field: 'status' });
    }
    const upsert = this.db.transaction(() => {
      const stored = this.row(entry.runId);
      const now = new Date().toISOString();
      if (stored === undefined) {
        const columns = ['run_id', 'status', 'digests', ...TEXT_COLUMNS.map(([, column]) => column), 'recorded_at'];
        this.db
          .prepare(`INSERT INTO run_history (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
          .run(
            entry.runId,
            entry.status || 'running',
            entry.digests === undefined ? null : Buffer.from(RunDigests.encode(entry.digests).finish()),
            ...TEXT_COLUMNS.map(([field]) => (field === 'startedAt' && entry.startedAt === '' ? now : entry[field])),
            now,
          );
        return;
      }
      const sets: string[] = ['recorded_at = ?'];
      const values: unknown[] = [now];
      // A retried "running" record must not reopen a finished run.
      if (entry.status !== '' && !(entry.status === 'running' && stored.status !== 'running')) {
        sets.push('status = ?');
        values.push(entry.status);
      }
      if (entry.digests !== undefined) {
        sets.push('digests = ?');
        values.push(Buffer.from(RunDigests.encode(entry.digests).finish()));
      }
      for (const [field, column] of TEXT_COLUMNS) {
        if (entry[field] === '') continue;
        sets.push(`${column} = ?`);
        values.push(entry[field]);
      }
      this.db.prepare(`UPDATE run_history SET ${sets.join(', ')} WHERE run_id = ?`).run(...values, entry.runId);
    });
    upsert.immediate();
    return this.get(entry.runId)!;
  }

  get(runId: string): RunEntry | undefined {
    const row = this.row(runId);
    return row === undefined ? undefined : entryOf(row, true);
  }

  /** Newest first; `last` 0 lists all. Replicates are left out (`get` has them). */
  list(filter: { schedule?: string; status?: string; last?: number } = {}): RunEntry[] {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.schedule) {
      where.push('schedule = ?');
      values.push(filter.schedule);
    }
    if (filter.status) {
      where.push('status = ?');
      values.push(filter.status);
    }
    const sql =
      `SELECT * FROM run_history ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ` +
      `ORDER BY started_at DESC, run_id DESC ${filter.last ? `LIMIT ${Math.floor(filter.last)}` : ''}`;
    return (this.db.prepare(sql).all(...values) as Row[]).map((row) => entryOf(row, false));
  }

  private row(runId: string): Row | undefined {
    return this.db.prepare('SELECT * FROM run_history WHERE run_id = ?').get(runId) as Row | undefined;
  }
}

function entryOf(row: Row, withReplicates: boolean): RunEntry {
  const entry = {
    runId: row.run_id,
    status: row.status,
    digests: row.digests === null ? undefined : RunDigests.decode(row.digests),
  } as RunEntry;
  for (const [field, column] of TEXT_COLUMNS) (entry as unknown as Record<string, unknown>)[field] = row[column] as string;
  if (!withReplicates) entry.replicatesJson = '';
  return entry;
}
