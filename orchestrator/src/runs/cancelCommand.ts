import { connectControl, type ControlOptions } from '../control/connectControl.js';
import { controlFailure } from '../control/controlFailure.js';
import { loadRun } from './showCommand.js';

const CANCEL_WAIT_MS = 60_000;

/**
 * `evalshard cancel RUN`: asks the run's workflow to stop (its shards in
 * flight are cancelled through their heartbeats), waits for it to record
 * "cancelled", and terminates it if it does not stop in time.
 */
export async function cancelCommand(runId: string, options: ControlOptions): Promise<number> {
  const control = connectControl(options);
  try {
    const view = await loadRun(control, runId);
    if (view.status !== 'running') {
      process.stdout.write(`run ${runId} is not running (${view.status}); nothing to cancel\n`);
      return 0;
    }
    const client = await control.temporal();
    const handle = client.workflow.getHandle(view.workflowId);
    await handle.cancel();
    const stopped = await Promise.race([
      handle.result().then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), CANCEL_WAIT_MS).unref()),
    ]);
    if (!stopped) {
      await handle.terminate('cancelled by evalshard cancel (it did not stop in time)');
      await control.scorer().recordRun({ runId, status: 'cancelled', finishedAt: new Date().toISOString(), message: 'terminated after a cancel that did not finish in time' });
    }
    const after = await loadRun(control, runId);
    process.stdout.write(`run ${runId}: ${after.status}\n`);
    return 0;
  } catch (error) {
    return controlFailure(error);
  } finally {
    await control.close();
  }
}
