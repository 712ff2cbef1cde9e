import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunEntry } from '@evalshard/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { RUN_STATUSES, RunHistory } from './runHistory.js';

// A full entry as the service receives it: proto3 strings are '' when unset.
function entry(fields: Partial<RunEntry> & { runId: string }): RunEntry {
  return RunEntry.fromPartial(fields);
}

const opened: RunHistory[] = [];
const dirs: string[] = [];
function open(path = ':memory:'): RunHistory {
  const history = new RunHistory(path);
  opened.push(history);
  return history;
}

afterEach(() => {
  for (const history of opened.splice(0)) history.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('RunHistory.record', () => {
  it('inserts a first record as running, started now, when status and start are empty', () => {
    const history = open();
    const before = Date.now();
    const stored = history.record(entry({ runId: 'r1', schedule: 'nightly', modelPath: '/m' }));
    const after = Date.now();
    expect(stored.status).toBe('running');
    expect(stored.schedule).toBe('nightly');
    expect(stored.modelPath).toBe('/m');
    const started = Date.parse(stored.startedAt);
    expect(started).toBeGreaterThanOrEqual(before);
    expect(started).toBeLessThanOrEqual(after);
    expect(history.get('r1')).toEqual(stored);
  });

  it('keeps the given status and start time on insert', () => {
    const stored = open().record(entry({ runId: 'r1', status: 'failed', startedAt: '2026-01-01T00:00:00.000Z' }));
    expect(stored.status).toBe('failed');
    expect(stored.startedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('on upsert sets the non-empty fields and keeps the stored ones where the new value is empty', () => {
    const history = open();
    history.record(entry({ runId: 'r1', workflowId: 'wf', schedule: 's', startedAt: '2026-01-01T00:00:00Z', specJson: '{"a":1}' }));
    const stored = history.record(entry({ runId: 'r1', status: 'succeeded', scoresJson: '{"f":0.5}', finishedAt: '2026-01-01T01:00:00Z' }));
    expect(stored).toMatchObject({
      workflowId: 'wf',
      schedule: 's',
      startedAt: '2026-01-01T00:00:00Z',
      specJson: '{"a":1}',
      status: 'succeeded',
      scoresJson: '{"f":0.5}',
      finishedAt: '2026-01-01T01:00:00Z',
    });
  });

  // A retried "running" record (workflow replay, activity retry) must not undo the outcome.
  it.each(RUN_STATUSES.filter((status) => status !== 'running'))('never reopens a %s run, but applies the other fields', (finished) => {
    const history = open();
    history.record(entry({ runId: 'r1', status: finished, message: 'first' }));
    const stored = history.record(entry({ runId: 'r1', status: 'running', message: 'second', modelPath: '/late' }));
    expect(stored.status).toBe(finished);
    expect(stored.message).toBe('second');
    expect(stored.modelPath).toBe('/late');
  });

  it('moves a running run to a finished status, and a finished one to another finished status', () => {
    const history = open();
    history.record(entry({ runId: 'r1' }));
    expect(history.record(entry({ runId: 'r1', status: 'succeeded' })).status).toBe('succeeded');
    expect(history.record(entry({ runId: 'r1', status: 'regressed' })).status).toBe('regressed');
  });

  it('refuses an unknown status, naming the statuses, and stores nothing', () => {
    const history = open();
    let error: unknown;
    try {
      history.record(entry({ runId: 'r1', status: 'done' }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).field).toBe('status');
    for (const status of RUN_STATUSES) expect((error as Error).message).toContain(status);
    expect(history.get('r1')).toBeUndefined();
  });

  it('refuses an empty run id', () => {
    expect(() => open().record(entry({ runId: '', status: 'running' }))).toThrow(
      expect.objectContaining({ name: 'InputError', field: 'runId' }),
    );
  });

  it('round-trips digests, and keeps them when an upsert leaves them out', () => {
    const history = open();
    const digests = { model: 'm'.repeat(64), corpus: 'c1', scorer: 's1' };
    expect(history.record(entry({ runId: 'r1', digests })).digests).toEqual(digests);
    expect(history.record(entry({ runId: 'r1', status: 'succeeded' })).digests).toEqual(digests);
    expect(history.record(entry({ runId: 'r2' })).digests).toBeUndefined();
  });

  it('returns undefined for a run it never recorded', () => {
    expect(open().get('nope')).toBeUndefined();
  });
});

describe('RunHistory.list', () => {
  function seeded(): RunHistory {
    const history = open();
    // Inserted out of order so that the order listed comes from startedAt, not insertion.
    const rows: Array<[string, string, string, string]> = [
      ['b', 'nightly', 'succeeded', '2026-01-02T00:00:00Z'],
      ['d', 'hourly', 'succeeded', '2026-01-04T00:00:00Z'],
      ['a', 'nightly', 'failed', '2026-01-01T00:00:00Z'],
      ['c', 'nightly', 'succeeded', '2026-01-03T00:00:00Z'],
    ];
    for (const [runId, schedule, status, startedAt] of rows) {
      history.record(entry({ runId, schedule, status, startedAt, replicatesJson: `[{"f":${runId.charCodeAt(0)}}]` }));
    }
    return history;
  }
  const ids = (entries: RunEntry[]) => entries.map((item) => item.runId);

  it('lists all runs newest first by startedAt', () => {
    expect(ids(seeded().list())).toEqual(['d', 'c', 'b', 'a']);
  });

  it('filters by schedule, by status, and by both', () => {
    const history = seeded();
    expect(ids(history.list({ schedule: 'nightly' }))).toEqual(['c', 'b', 'a']);
    expect(ids(history.list({ status: 'succeeded' }))).toEqual(['d', 'c', 'b']);
    expect(ids(history.list({ schedule: 'nightly', status: 'succeeded' }))).toEqual(['c', 'b']);
    expect(history.list({ schedule: 'weekly' })).toEqual([]);
  });

  it('limits to the newest `last` runs; 0 lists all', () => {
    const history = seeded();
    expect(ids(history.list({ last: 2 }))).toEqual(['d', 'c']);
    expect(ids(history.list({ schedule: 'nightly', last: 1 }))).toEqual(['c']);
    expect(history.list({ last: 0 })).toHaveLength(4);
  });

  it('leaves replicates out of listed entries while get has them', () => {
    const history = seeded();
    for (const listed of history.list()) expect(listed.replicatesJson).toBe('');
    expect(history.get('c')?.replicatesJson).toBe('[{"f":99}]');
  });
});

describe('RunHistory on a file', () => {
  it('keeps what one instance recorded for the next one opened on the same file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-history-'));
    dirs.push(dir);
    // A folder that does not exist yet: the constructor creates it.
    const path = join(dir, 'nested', 'history.sqlite');
    const first = new RunHistory(path);
    const digests = { model: 'm', corpus: 'c', scorer: 's' };
    const recorded = first.record(entry({ runId: 'r1', status: 'succeeded', digests, replicatesJson: '[1]', startedAt: '2026-01-01T00:00:00Z' }));
    first.close();

    const second = open(path);
    expect(second.get('r1')).toEqual(recorded);
    expect(second.list().map((item) => item.runId)).toEqual(['r1']);
  });
});
