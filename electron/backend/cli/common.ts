/** Helpers shared by CLI commands: option parsing and opening the workspace headless. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { createBackend, type Backend } from '../backend';
import { AppError } from '../errors';
import { defaultSampleDirs } from '../paths';

export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: T) {
  return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
}

/** Opens the workspace named by --db (created when `create` is true). */
export function openCliBackend(db: string | undefined, create = false): Backend {
  if (!db) throw new AppError('BAD_ARGUMENT', 'Missing --db PATH (the workspace file).');
  const backend = createBackend({ sampleDirs: defaultSampleDirs() });
  backend.context.openWorkspace(resolve(db), create);
  return backend;
}
