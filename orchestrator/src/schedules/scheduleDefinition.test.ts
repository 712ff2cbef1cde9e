import { InputError } from '@evalshard/scorer';
import { describe, expect, it } from 'vitest';
import type { GateSpec } from '../runTypes.js';
import type { ResolvedSpec } from '../spec/resolvedSpec.js';
import {
  checkScheduleName,
  overlapOf,
  parseDuration,
  parseInstant,
  SCHEDULE_BOOTSTRAP,
  scheduledInput,
  scheduledWorkflowId,
  scheduleSpecOf,
} from './scheduleDefinition.js';

function thrown(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

describe('parseDuration', () => {
  it.each([
    ['10s', 10_000],
    ['1.5m', 90_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['250ms', 250],
    ['250', 250],
    [' 15m ', 900_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text, '--every')).toBe(ms);
  });

  it.each(['', '10x', '-1s', '0s', '0', 's', '1.5.2m', '10 s s'])('refuses %j, naming the field', (text) => {
    const error = thrown(() => parseDuration(text, '--jitter'));
    expect(error.field).toBe('--jitter');
    expect(error.message).toContain('--jitter');
    expect(error.message).toContain(`"${text}"`);
  });

  // The check refuses durations <= 0; rounding to whole ms must not bring one back in.
  it.each(['0.4', '0.0001s'])('never yields 0 ms for the positive %j', (text) => {
    let ms: number;
    try {
      ms = parseDuration(text, '--every');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return;
    }
    expect(ms).toBeGreaterThan(0);
  });
});

describe('scheduleSpecOf', () => {
  it('makes an interval from --every', () => {
    expect(scheduleSpecOf({ every: '6h' })).toEqual({ intervals: [{ every: 21_600_000 }] });
  });

  it('passes cron expressions through', () => {
    expect(scheduleSpecOf({ cron: ['0 2 * * *', '30 14 * * 1'] })).toEqual({ cronExpressions: ['0 2 * * *', '30 14 * * 1'] });
  });

  it('adds jitter to either kind', () => {
    expect(scheduleSpecOf({ every: '1d', jitter: '10m' })).toEqual({ intervals: [{ every: 86_400_000 }], jitter: 600_000 });
    expect(scheduleSpecOf({ cron: ['0 2 * * *'], jitter: '30s' })).toEqual({ cronExpressions: ['0 2 * * *'], jitter: 30_000 });
  });

  it.each([
    ['neither', {}],
    ['an empty cron list only', { cron: [] }],
    ['both', { every: '1h', cron: ['0 2 * * *'] }],
  ])('refuses %s', (_, options: { every?: string; cron?: string[] }) => {
    expect(thrown(() => scheduleSpecOf(options)).message).toContain('--every');
  });

  // An empty --cron list counts as not given, so --every alone still works.
  it('accepts --every beside an empty cron list', () => {
    expect(scheduleSpecOf({ every: '1h', cron: [] })).toEqual({ intervals: [{ every: 3_600_000 }] });
  });

  it('names the flag whose duration is bad', () => {
    expect(thrown(() => scheduleSpecOf({ every: '1w' })).field).toBe('--every');
    expect(thrown(() => scheduleSpecOf({ every: '1h', jitter: 'lots' })).field).toBe('--jitter');
  });
});

describe('overlapOf', () => {
  it.each([
    ['skip', 'SKIP'],
    ['buffer-one', 'BUFFER_ONE'],
    ['buffer-all', 'BUFFER_ALL'],
    ['cancel-other', 'CANCEL_OTHER'],
    ['terminate-other', 'TERMINATE_OTHER'],
    ['allow-all', 'ALLOW_ALL'],
  ])('maps %s to %s', (name, policy) => {
    expect(overlapOf(name)).toBe(policy);
  });

  it('refuses an unknown name, listing the known ones under the given field', () => {
    const error = thrown(() => overlapOf('SKIP', '--on-overlap'));
    expect(error.field).toBe('--on-overlap');
    expect(error.message).toContain('"SKIP"');
    expect(error.message).toContain('buffer-one');
    expect(thrown(() => overlapOf('queue')).field).toBe('--overlap');
  });

  // OVERLAP_POLICIES is a plain object: names inherited from Object.prototype must not count as policies.
  it('refuses names inherited from Object.prototype', () => {
    for (const name of ['toString', 'constructor', '__proto__']) {
      expect(() => overlapOf(name), name).toThrow(InputError);
    }
  });
});

describe('checkScheduleName', () => {
  it.each(['nightly', 'a', '0', 'ner.en_core-v2', 'A'.repeat(100)])('accepts %j', (name) => {
    expect(checkScheduleName(name)).toBe(name);
  });

  it.each(['', '-nightly', '.hidden', '_x', 'night ly', 'a/b', 'naïve', 'A'.repeat(101), 'x\n'])('refuses %j', (name) => {
    expect(thrown(() => checkScheduleName(name)).field).toBe('NAME');
  });
});

describe('parseInstant', () => {
  it('reads an ISO time', () => {
    expect(parseInstant('2026-11-30T02:00:00Z', '--start').toISOString()).toBe('2026-11-30T02:00:00.000Z');
    expect(parseInstant('2026-11-30T04:00:00+02:00', '--start').getTime()).toBe(Date.UTC(2026, 10, 30, 2));
  });

  it.each(['', 'tomorrow', '2026-13-45T00:00:00Z'])('refuses %j, naming the field', (text) => {
    const error = thrown(() => parseInstant(text, '--end'));
    expect(error.field).toBe('--end');
    expect(error.message).toContain('--end');
  });
});

describe('scheduledInput', () => {
  // Only bootstrap matters here; the rest is carried through untouched.
  const spec = { model: '/models/ckpts', corpus: ['/data/dev.jsonl'], bootstrap: null } as unknown as ResolvedSpec;
  const gates: GateSpec = { failIf: ['ents_f < 0.8'], maxDrop: [], baseline: 'last-success', alpha: null };

  it('gives a spec without bootstrap the schedule default, and marks the run scheduled', () => {
    const input = scheduledInput('nightly', spec, { onUnchanged: 'skip', gates, notify: 'http://hook' });
    expect(input).toEqual({
      runId: '',
      spec: { ...spec, bootstrap: SCHEDULE_BOOTSTRAP },
      trigger: 'scheduled',
      schedule: 'nightly',
      onUnchanged: 'skip',
      gates,
      notify: 'http://hook',
    });
    expect(SCHEDULE_BOOTSTRAP.replicates).toBeGreaterThan(0);
    // The caller's spec is not changed.
    expect(spec.bootstrap).toBeNull();
  });

  it("keeps the spec's own bootstrap", () => {
    const own = { ...spec, bootstrap: { replicates: 20, seed: 7 } } as ResolvedSpec;
    const input = scheduledInput('hourly', own, { onUnchanged: 'run', gates: null, notify: null });
    expect(input.spec.bootstrap).toEqual({ replicates: 20, seed: 7 });
    expect(input.spec.model).toBe('/models/ckpts');
    expect(input).toMatchObject({ runId: '', trigger: 'scheduled', schedule: 'hourly', onUnchanged: 'run', gates: null, notify: null });
  });
});

describe('scheduledWorkflowId', () => {
  it('prefixes the schedule name', () => {
    expect(scheduledWorkflowId('nightly')).toBe('evalshard-sched-nightly');
    expect(scheduledWorkflowId('a.b')).not.toBe(scheduledWorkflowId('a-b'));
  });
});
