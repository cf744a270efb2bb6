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

const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
const NOT_ALLOWED = new Set(['EROFS', 'EACCES', 'EPERM']);

function errorCodeOf(err: unknown): string {
  return typeof err === 'object' && err !== null ? String((err as { code?: unknown }).code ?? '') : '';
}

/** Whether a write failed because the disk (or the user's quota) is full. */
export function isDiskFull(err: unknown): boolean {
  return FULL.has(errorCodeOf(err));
}

/** The reason of a failed write in words, or null when it is none of the known ones. */
export function writeFailureReason(err: unknown): string | null {
  const code = errorCodeOf(err);
  if (isDiskFull(err)) return 'the disk is full';
  if (NOT_ALLOWED.has(code) || code.startsWith('SQLITE_READONLY')) return 'the folder or file is read-only';
  if (code === 'EFBIG') return 'the file would be larger than this system allows';
  return null;
}

/** Turns anything thrown into the error data the renderer shows. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof AppError) {
    return err.details === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, details: err.details };
  }
  const reason = writeFailureReason(err);
  if (reason) return { code: 'WRITE_FAILED', message: `Leadbench could not write: ${reason}. Nothing was changed.` };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}
