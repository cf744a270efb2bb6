/**
 * Why a write failed, in words. The failures users meet when writing a file are a full disk
 * and a place they may not write to; the file system and SQLite name them in codes
 * ("ENOSPC: no space left on device, write", "attempt to write a readonly database"), which
 * the messages here put into one plain line.
 */
import { accessSync, constants } from 'node:fs';
import { AppError, writeFailureReason } from './errors';
import type { ErrorCode } from '../../shared/contract';

/** "The export could not be written to PATH: the disk is full. Nothing was written." */
export function writeFailure(code: ErrorCode, what: string, path: string, err: unknown): AppError {
  const reason = writeFailureReason(err) ?? (err instanceof Error ? err.message : String(err));
  return new AppError(code, `${what} could not be written to ${path}: ${reason}. Nothing was written.`);
}

/**
 * Refuses, before anything is written, a folder this process may not write to (a read-only
 * folder, mount or share): SQLite and the write streams would otherwise fail in their own words.
 */
export function checkWritableFolder(code: ErrorCode, what: string, path: string, folder: string): void {
  try {
    accessSync(folder, constants.W_OK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // created by the writer
    throw new AppError(code, `${what} could not be written to ${path}: its folder is read-only. Nothing was written.`);
  }
}
