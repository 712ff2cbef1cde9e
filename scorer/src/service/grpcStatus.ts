import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { InputError } from '../errors.js';

const STATUS_BY_CODE: Record<string, status> = {
  UNKNOWN_RUN: status.NOT_FOUND,
  MISSING_SHARDS: status.FAILED_PRECONDITION,
  RUN_PLAN_CHANGED: status.ALREADY_EXISTS,
  OUTSIDE_DATA_ROOT: status.PERMISSION_DENIED,
};

// SQLite's answers when the database cannot be written: the disk, not the request, is at fault.
const STORAGE_FAILURES: Record<string, string> = {
  SQLITE_FULL: 'the disk is full',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_IOERR: 'the disk failed a read or write',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
};

/** Why the scorer's database cannot be written, when that is what the error says. */
export function storageFailureOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const key = Object.keys(STORAGE_FAILURES).find((prefix) => code === prefix || code.startsWith(`${prefix}_`));
  return key === undefined ? undefined : `${STORAGE_FAILURES[key]} (${code})`;
}

/** Maps our errors onto gRPC statuses; the code travels in metadata. */
export function toServiceError(error: unknown): ServiceError {
  const metadata = new Metadata();
  const storage = storageFailureOf(error);
  if (storage !== undefined) {
    // Retryable: the write was rolled back, and what was acknowledged before is untouched.
    metadata.set('evalshard-error-kind', 'storage');
    const message = `the scorer cannot store it: ${storage}; nothing was stored by this call and nothing stored before is lost — free space or make the database writable and the call can be retried`;
    return Object.assign(new Error(message), { code: status.UNAVAILABLE, details: message, metadata });
  }
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
