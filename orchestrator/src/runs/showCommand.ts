import { InputError } from '@evalshard/scorer';
import { scoreTable } from '../cli/scoreTable.js';
import { connectControl, type ControlOptions } from '../control/connectControl.js';
import { controlFailure } from '../control/controlFailure.js';
import { workflowUiLink } from '../stack/stackFile.js';
import { durationOf, formatTime, reconcile, runView, type RunView } from './runView.js';

/** `evalshard show RUN`: one run's history entry, scores included. */
export async function showCommand(runId: string, options: ControlOptions & { json: boolean }): Promise<number> {
  const control = connectControl(options);
  try {
    const view = await loadRun(control, runId);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
      return 0;
    }
    const link = workflowUiLink(control.uiUrl, control.namespace, view.workflowId);
    const lines = [
      `run ${view.runId}: ${view.status}${view.message === null ? '' : ` (${view.message})`}`,
      `  trigger    ${view.trigger}${view.schedule === null ? '' : `, schedule ${view.schedule}`}`,
      `  started    ${formatTime(view.startedAt)}   finished ${formatTime(view.finishedAt)}   took ${durationOf(view)}`,
      `  model      ${view.model ?? '-'}`,
      `  digests    ${view.digests === null ? '-' : `model ${view.digests.model.slice(0, 12)} corpus ${view.digests.corpus.slice(0, 12)} scorer ${view.digests.scorer.slice(0, 12)}`}`,
      `  bootstrap  ${view.bootstrap === null ? 'none' : `${view.bootstrap.replicates} replicates, seed ${view.bootstrap.seed}`}`,
      ...(view.stats === null ? [] : [`  stats      ${JSON.stringify(view.stats)}`]),
      ...(link === null ? [] : [`  Web UI     ${link}`]),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (view.scores !== null) process.stdout.write(`\n${scoreTable(view.scores)}\n`);
    return 0;
  } catch (error) {
    return controlFailure(error);
  } finally {
    await control.close();
  }
}

/** A run's entry, reconciled with its workflow; unknown ids are an input error. */
export async function loadRun(control: ReturnType<typeof connectControl>, runId: string): Promise<RunView> {
  const scorer = control.scorer();
  const found = await scorer.getRun(runId);
  if (!found.found || found.entry === undefined) {
    throw new InputError(`no run ${runId} in the history (evalshard runs lists them)`, { field: 'RUN', code: 'UNKNOWN_RUN' });
  }
  const client = await control.temporal().catch(() => undefined);
  await reconcile([found.entry], client, (entry) => scorer.recordRun(entry));
  return runView(found.entry);
}
