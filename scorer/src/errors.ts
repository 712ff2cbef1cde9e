/**
 * Two kinds of failure, so callers can decide what to retry: an InputError is
 * the user's to fix (spec, corpus, model, partial that does not belong to the
 * run) and retrying cannot help; an InternalError is our bug.
 */
export interface InputErrorDetails {
  /** Dotted path of the offending spec or config field. */
  field?: string;
  file?: string;
  byteOffset?: number;
  /** Machine-readable category, stable across releases. */
  code?: string;
  /** Found while planning, before any document was evaluated. */
  stage?: 'plan';
  cause?: unknown;
}

export class InputError extends Error {
  override readonly name = 'InputError';
  readonly field: string | undefined;
  readonly file: string | undefined;
  readonly byteOffset: number | undefined;
  readonly code: string;
  readonly stage: 'plan' | undefined;

  constructor(message: string, details: InputErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.field = details.field;
    this.file = details.file;
    this.byteOffset = details.byteOffset;
    this.code = details.code ?? 'INVALID_INPUT';
    this.stage = details.stage;
  }
}

export class InternalError extends Error {
  override readonly name = 'InternalError';
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}
