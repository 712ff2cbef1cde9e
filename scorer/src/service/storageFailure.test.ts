import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status, type ServiceError } from '@grpc/grpc-js';
import { RunEntry, type ScorerServiceServer } from '@evalshard/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { RunHistory } from '../history/runHistory.js';
import { encodeMetricStates, initMetricStates } from '../metricStates.js';
import { encodeScorerOptions, scorerDigest, type ScorerOptions } from '../scorerOptions.js';
import { PartialStore } from './partialStore.js';
import { createScorerService } from './scorerService.js';

// A database the disk refuses to write: the files made immutable (chattr +i, which binds root too),
// as a read-only or failing disk would. The refusal must be clear, and nothing acknowledged lost.
const options: ScorerOptions = { families: ['tokenization'] };
const digests = { model: 'm', corpus: 'c', scorer: scorerDigest(options) };
let locked: string[] = [];

afterEach(() => {
  if (locked.length > 0) execFileSync('chattr', ['-i', ...locked]);
  locked = [];
});

function call<Response>(handler: ScorerServiceServer[keyof ScorerServiceServer], request: unknown): Promise<{ error: ServiceError | null; response?: Response }> {
  return new Promise((resolve) =>
    (handler as (call: unknown, callback: (error: ServiceError | null, response?: Response) => void) => void)(
      { request, getPath: () => '/evalshard.v1.ScorerService/SubmitPartial' },
      (error, response) => resolve({ error, response }),
    ),
  );
}

describe('a scorer whose disk refuses writes', () => {
  it('answers UNAVAILABLE saying nothing is lost, keeps what it acknowledged, and stores again once it can', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scorer-readonly-'));
    const database = join(dir, 'scorer.sqlite');
    const store = new PartialStore(database);
    const history = new RunHistory(database);
    const failures: string[] = [];
    const service = createScorerService(store, history, { onStorageFailure: (method) => failures.push(method) });
    const partial = (shardIndex: number) => ({
      partial: { runId: 'r', shardIndex, digests, docs: shardIndex + 1, tokens: 0, bytes: 0, skippedCount: 0, skipped: [], states: encodeMetricStates(initMetricStates(options)) },
      stats: undefined,
    });
    await call(service.openRun, { runId: 'r', shardCount: 3, digests, scorer: encodeScorerOptions(options) });
    expect((await call(service.submitPartial, partial(0))).error).toBeNull();

    // Not the -shm file: SQLite maps it into memory, and an immutable mapping would end the process, not the write.
    locked = [dir, ...readdirSync(dir).filter((name) => !name.endsWith('-shm')).map((name) => join(dir, name))];
    execFileSync('chattr', ['+i', ...locked]);
    const refused = await call(service.submitPartial, partial(1));
    expect(refused.error?.code).toBe(status.UNAVAILABLE);
    expect(refused.error?.details).toMatch(/the scorer cannot store it: .*nothing was stored by this call and nothing stored before is lost/);
    expect(failures).toEqual(['/evalshard.v1.ScorerService/SubmitPartial']);
    // History writes are refused the same way.
    expect((await call(service.recordRun, { entry: RunEntry.fromPartial({ runId: 'r', status: 'running' }) })).error?.code).toBe(status.UNAVAILABLE);

    execFileSync('chattr', ['-i', ...locked]);
    locked = [];
    expect((await call(service.submitPartial, partial(1))).error).toBeNull();
    expect((await call(service.submitPartial, partial(2))).error).toBeNull();
    expect(store.listShards('r').map((shard) => [shard.shardIndex, shard.docs])).toEqual([[0, 1], [1, 2], [2, 3]]);
    const final = await call<{ docs: number }>(service.finalizeRun, { runId: 'r', maxListedSkips: 0 });
    expect(final.error).toBeNull();
    expect(final.response?.docs).toBe(6);
    store.close();
    history.close();
  });
});
