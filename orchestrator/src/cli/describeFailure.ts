import { ApplicationFailure, TemporalFailure, WorkflowFailedError } from '@temporalio/client';
import { InputError } from '@evalshard/scorer';

export interface DescribedFailure {
  message: string;
  /** The user's input is at fault (spec, model, corpus) rather than evalshard. */
  input: boolean;
}

/** The innermost explanation of a failure, as one message. */
export function describeFailure(error: unknown): DescribedFailure {
  if (error instanceof InputError) return { message: error.message, input: true };
  if (error instanceof WorkflowFailedError) {
    let cause: unknown = error.cause;
    let application: ApplicationFailure | undefined;
    while (cause instanceof TemporalFailure) {
      if (cause instanceof ApplicationFailure) application = cause;
      cause = cause.cause;
    }
    if (application !== undefined) {
      return { message: application.message, input: application.type === 'InputError' };
    }
    return { message: error.cause?.message ?? error.message, input: false };
  }
  return { message: error instanceof Error ? error.message : String(error), input: false };
}
