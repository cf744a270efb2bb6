/** Helpers shared by CLI commands: option parsing and opening the workspace headless. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { createBackend, type Backend } from '../backend';
import type { LockHolder } from '../db/writer-lock';
import type { CliIo } from './types';
import { AppError } from '../errors';
import { defaultSampleDirs } from '../paths';

export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: T) {
  return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
}

/** Opens the workspace named by --db (created when `create` is true) for a command that only reads. */
export function openCliBackend(
  db: string | undefined,
  create = false,
  onWaitForWriter?: (holder: LockHolder | null) => void,
): Backend {
  if (!db) throw new AppError('BAD_ARGUMENT', 'Missing --db PATH (the workspace file).');
  const backend = createBackend({ sampleDirs: defaultSampleDirs(), onWaitForWriter });
  backend.context.openWorkspace(resolve(db), create);
  return backend;
}

/**
 * Opens the workspace for a command that writes: it waits its turn while another Leadbench
 * process writes (saying so on stderr), then holds the writer lock until it closes.
 */
export async function openCliWriter(db: string | undefined, io: CliIo, create = false): Promise<Backend> {
  const backend = openCliBackend(db, create, (holder) => {
    const who = holder ? ` (${holder.command}, process ${holder.pid})` : '';
    io.err(`Waiting for another Leadbench command${who} to finish writing to this workspace…`);
  });
  try {
    await backend.holdWriterUntilClose();
    return backend;
  } catch (err) {
    backend.close();
    throw err;
  }
}
