import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { InputError } from '../errors.js';

const STATUS_BY_CODE: Record<string, status> = {
  UNKNOWN_RUN: status.NOT_FOUND,
  MISSING_SHARDS: status.FAILED_PRECONDITION,
  RUN_PLAN_CHANGED: status.ALREADY_EXISTS,
  OUTSIDE_DATA_ROOT: status.PERMISSION_DENIED,
};

/** Maps our errors onto gRPC statuses; the code travels in metadata. */
export function toServiceError(error: unknown): ServiceError {
  const metadata = new Metadata();
  if (error instanceof InputError) {
    metadata.set('evalshard-error-kind', 'input');
    metadata.set('evalshard-error-code', error.code);
    if (error.file !== undefined) metadata.set('evalshard-error-file', error.file);
    if (error.byteOffset !== undefined) metadata.set('evalshard-error-offset', String(error.byteOffset));
    if (error.field !== undefined) metadata.set('evalshard-error-field', error.field);
    return Object.assign(new Error(error.message), {
      code: STATUS_BY_CODE[error.code] ?? status.INVALID_ARGUMENT,
      details: error.message,
      metadata,
    });
  }
  metadata.set('evalshard-error-kind', 'internal');
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(message), { code: status.INTERNAL, details: message, metadata });
}

/** Rebuilds an InputError from a ServiceError produced by toServiceError, else undefined. */
export function inputErrorFromServiceError(error: ServiceError): InputError | undefined {
  if (error.metadata?.get('evalshard-error-kind')[0] !== 'input') return undefined;
  const first = (key: string): string | undefined => {
    const value = error.metadata.get(key)[0];
    return value === undefined ? undefined : String(value);
  };
  const offset = first('evalshard-error-offset');
  return new InputError(error.details, {
    code: first('evalshard-error-code'),
    file: first('evalshard-error-file'),
    field: first('evalshard-error-field'),
    byteOffset: offset === undefined ? undefined : Number(offset),
  });
}
