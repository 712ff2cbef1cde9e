import {
  CancellationScope,
  condition,
  defineSignal,
  getExternalWorkflowHandle,
  setHandler,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { addTotals, type RunProgress, type ShardTotals } from '../runTypes.js';
import type { WindowFlow } from './runShards.js';

/** Child → parent: every shard of this window has started; `spare` slots are free for the next window. */
export const windowStartedSignal = defineSignal<[{ index: number; spare: number }]>('windowStarted');
/** Parent → child: the next window's workflow exists, so slots can be handed to it. */
export const successorStartedSignal = defineSignal('successorStarted');
/** Window → next window: slots it no longer needs. */
export const slotsSignal = defineSignal<[number]>('slots');

export interface WindowLink {
  /** This window's position among the run's windows. */
  index: number;
  /** Slots it starts with; more arrive from the window before it. */
  slots: number;
  parentId: string;
  /** The next window's workflow id; null for the last. */
  successor: string | null;
}

/**
 * Runs a large run's shards as windows of child workflows, so that no
 * history grows with the shard count, while the in-flight count stays at the
 * run's concurrency across window boundaries: window k+1 starts as soon as
 * window k has started its last shard, with k's spare slots, and each shard
 * that k finishes after that hands its slot to k+1. Child ids are the
 * parent's id and the window's shard range.
 */
export async function runChildWindows<Input>(options: {
  shardCount: number;
  shardsPerChild: number;
  concurrency: number;
  progress: RunProgress;
  start: (window: { from: number; to: number; workflowId: string; link: WindowLink }) => Promise<ChildWorkflowHandle<(input: Input) => Promise<ShardTotals>>>;
}): Promise<void> {
  const { shardCount, shardsPerChild, concurrency, progress } = options;
  const parentId = workflowInfo().workflowId;
  const windows: Array<{ from: number; to: number; workflowId: string }> = [];
  for (let from = 0; from < shardCount; from += shardsPerChild) {
    const to = Math.min(shardCount, from + shardsPerChild);
    windows.push({ from, to, workflowId: `${parentId}/shards-${from}-${to - 1}` });
  }
  const ready: Array<{ index: number; spare: number }> = [];
  setHandler(windowStartedSignal, (request) => void ready.push(request));
  let failure: unknown;
  const results: Array<Promise<void>> = [];
  await CancellationScope.cancellable(async () => {
    const scope = CancellationScope.current();
    const launch = async (index: number, slots: number) => {
      const window = windows[index]!;
      const link: WindowLink = { index, slots, parentId, successor: windows[index + 1]?.workflowId ?? null };
      const handle = await options.start({ ...window, link });
      progress.activeChildren.push(window.workflowId);
      results.push(
        handle.result().then(
          (totals) => {
            addTotals(progress.completed, totals);
            progress.activeChildren = progress.activeChildren.filter((id) => id !== window.workflowId);
          },
          (error: unknown) => {
            if (failure === undefined) {
              failure = error;
              scope.cancel();
            }
          },
        ),
      );
      return handle;
    };
    let previous = await launch(0, concurrency);
    for (let index = 1; index < windows.length && failure === undefined; index++) {
      await condition(() => failure !== undefined || ready.some((request) => request.index === index - 1));
      if (failure !== undefined) break;
      const request = ready.find((candidate) => candidate.index === index - 1)!;
      const next = await launch(index, request.spare);
      await previous.signal(successorStartedSignal);
      previous = next;
    }
    await Promise.all(results);
  });
  if (failure !== undefined) throw failure;
}

/**
 * A window's side of the hand-over: its slots grow with what the window
 * before hands on; once all its shards have started it asks the parent for
 * the next window and hands it every slot it frees, including those still
 * arriving from before.
 */
export function windowFlow(link: WindowLink | undefined, concurrency: number): { flow: WindowFlow; settle(): Promise<void> } {
  if (link === undefined) {
    return { flow: { slots: () => concurrency, allStarted: () => undefined, freed: () => undefined }, settle: async () => undefined };
  }
  let slots = link.slots;
  let started = false;
  let successorReady = link.successor === null;
  let owed = 0;
  const sent: Array<Promise<void>> = [];
  const successor = link.successor === null ? undefined : getExternalWorkflowHandle(link.successor);
  const flush = () => {
    if (successor === undefined || !successorReady || owed === 0) return;
    sent.push(successor.signal(slotsSignal, owed));
    owed = 0;
  };
  setHandler(slotsSignal, (count) => {
    if (started) {
      owed += count;
      flush();
    } else {
      slots += count;
    }
  });
  setHandler(successorStartedSignal, () => {
    successorReady = true;
    flush();
  });
  const flow: WindowFlow = {
    slots: () => slots,
    allStarted: (inFlight) => {
      started = true;
      if (link.successor === null) return;
      const spare = Math.max(0, slots - inFlight);
      slots = inFlight;
      sent.push(getExternalWorkflowHandle(link.parentId).signal(windowStartedSignal, { index: link.index, spare }));
    },
    freed: () => {
      if (link.successor === null) return;
      owed += 1;
      flush();
    },
  };
  return {
    flow,
    // Every slot handed on before the window ends: the next one waits for them.
    async settle() {
      if (link.successor !== null) {
        if (!started) {
          // A window that failed before starting all its shards hands nothing on; the run is failing.
          await Promise.all(sent);
          return;
        }
        await condition(() => successorReady);
        flush();
      }
      await Promise.all(sent);
    },
  };
}
