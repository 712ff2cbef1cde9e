import { InputError } from '@evalshard/scorer';
import type { ScheduleOverlapPolicy, ScheduleSpec } from '@temporalio/client';
import type { EvaluationInput, GateSpec } from '../runTypes.js';
import type { ResolvedSpec } from '../spec/resolvedSpec.js';

export const OVERLAP_POLICIES: Record<string, ScheduleOverlapPolicy> = {
  skip: 'SKIP',
  'buffer-one': 'BUFFER_ONE',
  'buffer-all': 'BUFFER_ALL',
  'cancel-other': 'CANCEL_OTHER',
  'terminate-other': 'TERMINATE_OTHER',
  'allow-all': 'ALLOW_ALL',
};

/** Replicates a schedule's runs carry unless the spec says otherwise, so any two can be compared with significance. */
export const SCHEDULE_BOOTSTRAP = { replicates: 100, seed: 0 };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function checkScheduleName(name: string): string {
  if (!NAME.test(name)) {
    throw new InputError(`schedule name "${name}": use letters, digits, ".", "_" and "-" (at most 100, starting with a letter or digit)`, {
      field: 'NAME',
    });
  }
  return name;
}

/** Milliseconds from "10s", "15m", "6h", "1d" (or a number of ms). */
export function parseDuration(text: string, field: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  const ms = match === null ? NaN : Math.round(Number(match[1]) * UNITS[match[2] ?? 'ms']!);
  if (!Number.isFinite(ms) || ms < 1) {
    throw new InputError(`${field}: "${text}" is not a duration (e.g. 10s, 15m, 6h, 1d)`, { field });
  }
  return ms;
}

export function parseInstant(text: string, field: string): Date {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new InputError(`${field}: "${text}" is not a time (e.g. 2026-11-30T02:00:00Z)`, { field });
  return new Date(ms);
}

export function overlapOf(name: string, field = '--overlap'): ScheduleOverlapPolicy {
  const policy = Object.hasOwn(OVERLAP_POLICIES, name) ? OVERLAP_POLICIES[name] : undefined;
  if (policy === undefined) {
    throw new InputError(`${field}: "${name}" is not an overlap policy (${Object.keys(OVERLAP_POLICIES).join(', ')})`, { field });
  }
  return policy;
}

/** When a schedule fires: every interval, or cron expressions; jitter spreads firings. */
export function scheduleSpecOf(options: { every?: string; cron?: string[]; jitter?: string }): ScheduleSpec {
  if ((options.every === undefined) === (options.cron === undefined || options.cron.length === 0)) {
    throw new InputError('give one of --every DURATION or --cron EXPR', { field: '--every' });
  }
  const spec: ScheduleSpec =
    options.every !== undefined
      ? { intervals: [{ every: parseDuration(options.every, '--every') }] }
      : { cronExpressions: options.cron! };
  if (options.jitter !== undefined) spec.jitter = parseDuration(options.jitter, '--jitter');
  return spec;
}

/** What every firing of a schedule starts: the spec as captured now, and what to check. */
export function scheduledInput(
  name: string,
  spec: ResolvedSpec,
  options: { onUnchanged: 'skip' | 'run'; gates: GateSpec | null; notify: string | null },
): EvaluationInput {
  return {
    runId: '',
    spec: { ...spec, bootstrap: spec.bootstrap ?? SCHEDULE_BOOTSTRAP },
    trigger: 'scheduled',
    schedule: name,
    onUnchanged: options.onUnchanged,
    gates: options.gates,
    notify: options.notify,
  };
}

/** Scheduled runs' workflow ids start so; Temporal appends the firing time. */
export function scheduledWorkflowId(name: string): string {
  return `evalshard-sched-${name}`;
}
