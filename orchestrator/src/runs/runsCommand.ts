import type { Client } from '@temporalio/client';
import { RUN_STATUSES } from '@evalshard/scorer';
import { InputError } from '@evalshard/scorer';
import { connectControl, type ControlOptions } from '../control/connectControl.js';
import { controlFailure } from '../control/controlFailure.js';
import { durationOf, formatHeadline, formatTime, reconcile, runView } from './runView.js';

export interface RunsOptions extends ControlOptions {
  schedule?: string;
  status?: string;
  last?: number;
  json: boolean;
}

/** `evalshard runs`: the run history, newest first. */
export async function runsCommand(options: RunsOptions): Promise<number> {
  const control = connectControl(options);
  try {
    if (options.status !== undefined && !(RUN_STATUSES as readonly string[]).includes(options.status)) {
      throw new InputError(`--status: "${options.status}" is not a run status (${RUN_STATUSES.join(', ')})`, { field: '--status' });
    }
    const scorer = control.scorer();
    const { runs } = await scorer.listRuns({ schedule: options.schedule ?? '', status: options.status ?? '', last: options.last ?? 0 });
    const client: Client | undefined = await control.temporal().catch(() => undefined);
    await reconcile(runs, client, (entry) => scorer.recordRun(entry));
    const views = runs.map(runView).filter((view) => options.status === undefined || view.status === options.status);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(views.map(({ spec: _spec, ...rest }) => rest), null, 2)}\n`);
      return 0;
    }
    if (views.length === 0) {
      process.stdout.write('no runs recorded yet\n');
      return 0;
    }
    const rows = views.map((view) => [
      view.runId,
      view.status,
      view.schedule ?? view.trigger,
      formatTime(view.startedAt),
      durationOf(view),
      formatHeadline(view),
      view.model ?? '-',
    ]);
    process.stdout.write(table(['RUN', 'STATUS', 'SCHEDULE', 'STARTED', 'TOOK', 'SCORE', 'MODEL'], rows));
    return 0;
  } catch (error) {
    return controlFailure(error);
  } finally {
    await control.close();
  }
}

export function table(head: string[], rows: string[][]): string {
  const widths = head.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}
