import { status, type ServiceError } from '@grpc/grpc-js';
import { ApplicationFailure } from '@temporalio/common';
import { InputError, inputErrorFromServiceError } from '@evalshard/scorer';

/** Failure types the workflow never retries: the input is wrong. */
export const INPUT_ERROR_TYPE = 'InputError';

/**
 * Sorts a failure into "the input is wrong" (non-retryable, with the file,
 * offset and field that say where) and "something broke" (retryable).
 */
export function toActivityFailure(error: unknown, context = ''): Error {
  const prefix = context === '' ? '' : `${context}: `;
  const input = error instanceof InputError ? error : isServiceError(error) ? inputErrorFromServiceError(error) : undefined;
  if (input !== undefined) {
    return ApplicationFailure.create({
      message: `${prefix}${input.message}`,
      type: INPUT_ERROR_TYPE,
      nonRetryable: true,
      details: [{ code: input.code, file: input.file ?? null, byteOffset: input.byteOffset ?? null, field: input.field ?? null }],
    });
  }
  if (isServiceError(error)) {
    return ApplicationFailure.create({
      message: `${prefix}${error.details || error.message}`,
      type: `grpc.${status[error.code] ?? error.code}`,
      nonRetryable: false,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number' && 'metadata' in error;
}

/** Whether a failed call says the worker itself is gone or broken. */
export function isWorkerFailure(error: unknown): boolean {
  if (!isServiceError(error)) return false;
  return [status.UNAVAILABLE, status.INTERNAL, status.UNKNOWN, status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED].includes(
    error.code,
  );
}
