/**
 * Errors cross the IPC boundary as plain data ({ code, message, details }); inside the
 * backend we throw AppError so a handler can stop anywhere with a user-facing message.
 */
import type { ApiError, ErrorCode } from '../../shared/contract';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** Turns anything thrown into the error data the renderer shows. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof AppError) {
    return err.details === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, details: err.details };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}
