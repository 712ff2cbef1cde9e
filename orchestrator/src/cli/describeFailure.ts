import { ActivityFailure, ApplicationFailure, CancelledFailure, TemporalFailure, WorkflowFailedError } from '@temporalio/client';
import { InputError } from '@evalshard/scorer';

export interface DescribedFailure {
  message: string;
  /** The user's input is at fault (spec, model, corpus) rather than evalshard. */
  input: boolean;
  /** Found while planning, before any shard ran: the run as asked for cannot start. */
  planning: boolean;
}

// The activities that plan a run: an input error there means nothing was evaluated.
const PLANNING_ACTIVITIES = new Set(['planRun', 'planScore']);

/** The innermost explanation of a failure, as one message. */
export function describeFailure(error: unknown): DescribedFailure {
  if (error instanceof InputError) return { message: error.message, input: true, planning: error.stage === 'plan' };
  if (error instanceof WorkflowFailedError && error.cause instanceof CancelledFailure) {
    return { message: 'the run was cancelled (evalshard cancel, or a schedule\'s overlap policy)', input: false, planning: false };
  }
  if (error instanceof WorkflowFailedError) {
    let cause: unknown = error.cause;
    let application: ApplicationFailure | undefined;
    let planning = false;
    while (cause instanceof TemporalFailure) {
      if (cause instanceof ApplicationFailure) application = cause;
      if (cause instanceof ActivityFailure && PLANNING_ACTIVITIES.has(cause.activityType)) planning = true;
      cause = cause.cause;
    }
    if (application !== undefined) {
      const input = application.type === 'InputError';
      return { message: application.message, input, planning: input && planning };
    }
    return { message: error.cause?.message ?? error.message, input: false, planning: false };
  }
  return { message: error instanceof Error ? error.message : String(error), input: false, planning: false };
}
