import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';
import { InputError } from '@evalshard/scorer';
import { connectControl, type Control, type ControlOptions } from '../control/connectControl.js';
import { controlFailure } from '../control/controlFailure.js';
import { gateSpecOf, type GateFlags } from '../gates/gateSpecOf.js';
import { resolveModel } from '../models/resolveModel.js';
import { formatHeadline, runView } from '../runs/runView.js';
import { table } from '../runs/runsCommand.js';
import type { EvaluationInput } from '../runTypes.js';
import { loadSpec } from '../spec/loadSpec.js';
import { workflowUiLink } from '../stack/stackFile.js';
import type { evaluationWorkflow } from '../workflows/evaluationWorkflow.js';
import {
  checkScheduleName,
  overlapOf,
  parseDuration,
  parseInstant,
  scheduledInput,
  scheduledWorkflowId,
  scheduleSpecOf,
} from './scheduleDefinition.js';

export interface ScheduleFlags extends GateFlags {
  every?: string;
  cron?: string[];
  overlap?: string;
  catchupWindow?: string;
  pauseOnFailure?: boolean;
  jitter?: string;
  onUnchanged?: 'skip' | 'run';
  bootstrap?: number;
  seed?: number;
  notify?: string;
  note?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

type Action = 'create' | 'update' | 'list' | 'describe' | 'pause' | 'unpause' | 'trigger' | 'backfill' | 'delete';

// Marks schedules made by evalshard, so `schedule list` leaves others' alone.
const MEMO = { evalshard: 1 };

/** `evalshard schedule …`: Temporal Schedules that start evaluation runs. */
export async function scheduleCommand(action: Action, name: string | undefined, specPath: string | undefined, flags: ScheduleFlags & ControlOptions): Promise<number> {
  const control = connectControl(flags);
  try {
    const client = await control.temporal();
    if (action === 'list') return await list(client, control, flags.json ?? false);
    const id = checkScheduleName(name ?? '');
    const handle = client.schedule.getHandle(id);
    switch (action) {
      case 'create': {
        const input = await capture(id, specPath, flags);
        await client.schedule.create({
          scheduleId: id,
          spec: scheduleSpecOf(flags),
          action: startAction(input, control),
          policies: {
            overlap: overlapOf(flags.overlap ?? 'skip'),
            ...(flags.catchupWindow === undefined ? {} : { catchupWindow: parseDuration(flags.catchupWindow, '--catchup-window') }),
            pauseOnFailure: flags.pauseOnFailure ?? false,
          },
          memo: MEMO,
          state: { note: flags.note ?? `evalshard schedule create ${id}` },
        });
        process.stdout.write(`schedule ${id} created: ${describeSpec(flags)}, spec ${input.spec.specPath ?? '(inline)'}, model ${input.spec.model}\n`);
        break;
      }
      case 'update': {
        const input = specPath === undefined ? undefined : await capture(id, specPath, flags);
        await handle.update((previous) => {
          const previousInput = (previous.action.args?.[0] ?? undefined) as EvaluationInput | undefined;
          const next = input ?? reviseInput(previousInput, flags);
          const spec = flags.every !== undefined || flags.cron !== undefined ? scheduleSpecOf(flags) : previous.spec;
          if (flags.jitter !== undefined && spec === previous.spec) spec.jitter = parseDuration(flags.jitter, '--jitter');
          return {
            spec,
            action: startAction(next, control),
            policies: {
              overlap: flags.overlap === undefined ? previous.policies.overlap : overlapOf(flags.overlap),
              catchupWindow:
                flags.catchupWindow === undefined ? previous.policies.catchupWindow : parseDuration(flags.catchupWindow, '--catchup-window'),
              pauseOnFailure: flags.pauseOnFailure ?? previous.policies.pauseOnFailure,
            },
            state: previous.state,
          };
        });
        process.stdout.write(`schedule ${id} updated\n`);
        break;
      }
      case 'describe':
        return await describe(client, control, id, flags.json ?? false);
      case 'pause':
        await handle.pause(flags.note ?? 'paused with evalshard schedule pause');
        process.stdout.write(`schedule ${id} paused\n`);
        break;
      case 'unpause':
        await handle.unpause(flags.note ?? 'unpaused with evalshard schedule unpause');
        process.stdout.write(`schedule ${id} unpaused\n`);
        break;
      case 'trigger':
        await handle.trigger(flags.overlap === undefined ? undefined : overlapOf(flags.overlap));
        process.stdout.write(`schedule ${id} triggered: a run starts now\n`);
        break;
      case 'backfill': {
        if (flags.from === undefined || flags.to === undefined) throw new InputError('backfill needs --from and --to', { field: '--from' });
        const start = parseInstant(flags.from, '--from');
        const end = parseInstant(flags.to, '--to');
        if (end <= start) throw new InputError('--to must be after --from', { field: '--to' });
        await handle.backfill({ start, end, overlap: overlapOf(flags.overlap ?? 'buffer-all') });
        process.stdout.write(`schedule ${id}: backfilling the firings from ${start.toISOString()} to ${end.toISOString()}\n`);
        break;
      }
      case 'delete':
        await handle.delete();
        process.stdout.write(`schedule ${id} deleted (its runs stay in the history)\n`);
        break;
    }
    return 0;
  } catch (error) {
    return controlFailure(notFound(error, name));
  } finally {
    await control.close();
  }
}

async function capture(name: string, specPath: string | undefined, flags: ScheduleFlags): Promise<EvaluationInput> {
  if (specPath === undefined) throw new InputError('give the spec: evalshard schedule create NAME SPEC --every …', { field: 'SPEC' });
  const spec = await loadSpec(specPath, { bootstrap: flags.bootstrap, seed: flags.seed });
  await resolveModel(spec.model);
  return scheduledInput(name, spec, {
    onUnchanged: flags.onUnchanged ?? 'skip',
    gates: gateSpecOf(flags),
    notify: flags.notify ?? null,
  });
}

// `update` without a spec keeps the captured one and changes what the flags name.
function reviseInput(previous: EvaluationInput | undefined, flags: ScheduleFlags): EvaluationInput {
  if (previous === undefined) throw new InputError('the schedule carries no evalshard run; give a spec', { field: 'SPEC' });
  const gates = gateSpecOf(flags);
  return {
    ...previous,
    onUnchanged: flags.onUnchanged ?? previous.onUnchanged,
    gates: gates ?? previous.gates ?? null,
    notify: flags.notify ?? previous.notify ?? null,
  };
}

function startAction(input: EvaluationInput, control: Control): ScheduleOptionsStartWorkflowAction<typeof evaluationWorkflow> {
  return {
    type: 'startWorkflow',
    workflowType: 'evaluationWorkflow',
    workflowId: scheduledWorkflowId(input.schedule!),
    taskQueue: control.taskQueue,
    args: [input],
  };
}

async function list(client: Client, control: Control, json: boolean): Promise<number> {
  const rows: Array<{ name: string; paused: boolean; next: string | null; spec: string; note: string }> = [];
  for await (const summary of client.schedule.list()) {
    if ((summary.memo as Record<string, unknown> | undefined)?.evalshard === undefined) continue;
    rows.push({
      name: summary.scheduleId,
      paused: summary.state.paused,
      next: summary.info?.nextActionTimes[0]?.toISOString() ?? null,
      spec: summaryOfSpec(summary.spec),
      note: summary.state.note ?? '',
    });
  }
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0) process.stdout.write(`no schedules (task queue ${control.taskQueue})\n`);
  else process.stdout.write(table(['SCHEDULE', 'STATE', 'WHEN', 'NEXT'], rows.map((row) => [row.name, row.paused ? 'paused' : 'active', row.spec, row.next ?? '-'])));
  return 0;
}

async function describe(client: Client, control: Control, id: string, json: boolean): Promise<number> {
  const description = await client.schedule.getHandle(id).describe();
  const input = description.action.args?.[0] as EvaluationInput | undefined;
  const { runs } = await control.scorer().listRuns({ schedule: id, last: 10 });
  const views = runs.map(runView);
  const value = {
    name: id,
    paused: description.state.paused,
    note: description.state.note ?? null,
    when: summaryOfSpec(description.spec),
    overlap: description.policies.overlap,
    catchupWindowMs: description.policies.catchupWindow,
    pauseOnFailure: description.policies.pauseOnFailure,
    nextFirings: description.info.nextActionTimes.slice(0, 5).map((time) => time.toISOString()),
    actionsTaken: description.info.numActionsTaken,
    spec: input?.spec.specPath ?? null,
    model: input?.spec.model ?? null,
    onUnchanged: input?.onUnchanged ?? null,
    gates: input?.gates ?? null,
    lastRuns: views.map((view) => ({
      runId: view.runId,
      status: view.status,
      startedAt: view.startedAt,
      headline: view.headline,
      model: view.model,
      webUi: workflowUiLink(control.uiUrl, control.namespace, view.workflowId),
    })),
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `schedule ${id}: ${value.paused ? 'paused' : 'active'}${value.note ? ` (${value.note})` : ''}`,
    `  when         ${value.when}; overlap ${value.overlap}; catch-up window ${value.catchupWindowMs} ms${value.pauseOnFailure ? '; pauses on failure' : ''}`,
    `  spec         ${value.spec ?? '-'}   model ${value.model ?? '-'}   unchanged model: ${value.onUnchanged ?? '-'}`,
    `  next         ${value.nextFirings.join(', ') || '-'}`,
    `  last runs`,
    ...(views.length === 0
      ? ['    none yet']
      : views.map((view) => `    ${view.runId}  ${view.status}  ${formatHeadline(view)}`)),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function summaryOfSpec(spec: ScheduleDescription['spec'] | undefined): string {
  if (spec === undefined) return '-';
  const every = spec.intervals?.map((interval) => `every ${formatMs(Number(interval.every))}`) ?? [];
  const cron = spec.calendars?.length ? [`${spec.calendars.length} calendar rule(s)`] : [];
  return [...every, ...cron].join(', ') || 'no firings';
}

function describeSpec(flags: ScheduleFlags): string {
  return flags.every !== undefined ? `every ${flags.every}` : `cron ${flags.cron!.join(' | ')}`;
}

function formatMs(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

// The server's "not found" names no schedule; say which.
function notFound(error: unknown, name: string | undefined): unknown {
  if (error instanceof ScheduleNotFoundError) {
    return new InputError(`no schedule ${name} (evalshard schedule list shows them)`, { field: 'NAME', code: 'UNKNOWN_SCHEDULE' });
  }
  if (error instanceof ScheduleAlreadyRunning) {
    return new InputError(`a schedule ${name} exists already (update it, or delete it first)`, { field: 'NAME', code: 'SCHEDULE_EXISTS' });
  }
  return error;
}
