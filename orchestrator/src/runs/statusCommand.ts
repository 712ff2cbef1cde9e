import { followRun, progressOf } from '../client/runEvaluation.js';
import { ProgressLine } from '../cli/progressLine.js';
import { connectControl, type ControlOptions } from '../control/connectControl.js';
import { controlFailure } from '../control/controlFailure.js';
import { loadRun } from './showCommand.js';

/**
 * `evalshard status RUN`: a run's state from any terminal; while it runs,
 * its live progress (the workflow's query and its shards' heartbeats) until
 * it ends, or one line with --no-follow.
 */
export async function statusCommand(runId: string, options: ControlOptions & { follow: boolean; json: boolean }): Promise<number> {
  const control = connectControl(options);
  try {
    const before = await loadRun(control, runId);
    if (before.status !== 'running') {
      process.stdout.write(options.json ? `${JSON.stringify({ runId, status: before.status, message: before.message })}\n` : `run ${runId}: ${before.status}${before.message === null ? '' : ` (${before.message})`}\n`);
      return 0;
    }
    const client = await control.temporal();
    const handle = client.workflow.getHandle(before.workflowId);
    if (!options.follow) {
      const snapshot = await progressOf(client, handle).catch(() => undefined);
      process.stdout.write(`${JSON.stringify({ runId, status: 'running', progress: snapshot ?? null })}\n`);
      return 0;
    }
    const progress = new ProgressLine(process.stderr);
    await followRun(client, handle, (snapshot) => progress.update(snapshot)).catch(() => undefined);
    progress.done();
    const after = await loadRun(control, runId);
    process.stdout.write(`run ${runId}: ${after.status}${after.message === null ? '' : ` (${after.message})`}\n`);
    return 0;
  } catch (error) {
    return controlFailure(error);
  } finally {
    await control.close();
  }
}
