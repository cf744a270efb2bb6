/**
 * Opening a workspace: one SQLite file per workspace, WAL journal, foreign keys on.
 * A file that is not a Leadbench database is refused before anything is written to it.
 */
import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../errors';
import { migrate, refuseNewerWorkspace } from './migrate';
import { MIGRATIONS } from './migrations';
import { releaseFreePages } from './reclaim';

/** Identifies our files among other SQLite databases (PRAGMA application_id). */
export const LEADBENCH_APPLICATION_ID = 0x4c42_4e43; // "LBNC"

export type OpenOptions = Readonly<{
  /** Path to a better-sqlite3 binary built for another runtime (Electron). */
  nativeBinding?: string | undefined;
  /** Create the file when missing (New workspace, first start). */
  create?: boolean;
}>;

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function looksLikeSqlite(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return n === 16 && buf.toString('latin1') === SQLITE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

/**
 * Refuses a workspace this process cannot write, before SQLite touches it: in WAL mode SQLite
 * writes beside the file even to read it (its -wal and -shm files), so a read-only file or
 * folder would fail later, half-way and in SQLite's words, or leave those files behind.
 */
function refuseReadOnly(path: string, exists: boolean): void {
  const place = (p: string) => {
    try {
      accessSync(p, constants.W_OK);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT'; // missing: SQLite says so itself
    }
  };
  const what = exists && !place(path) ? 'the file is' : !place(dirname(path)) ? 'its folder is' : null;
  if (!what) return;
  throw new AppError(
    'WORKSPACE_READ_ONLY',
    `${path} cannot be ${exists ? 'opened' : 'created'}: ${what} read-only (Leadbench writes beside a workspace even to read it). ` +
      'Copy it to a folder you can write to, or change its permissions. Nothing was changed.',
  );
}

export function openWorkspaceDb(path: string, options: OpenOptions = {}): Database.Database {
  const exists = existsSync(path);
  if (!exists && !options.create) {
    throw new AppError('WORKSPACE_NOT_FOUND', `No workspace at ${path}.`);
  }
  if (exists) {
    if (statSync(path).isDirectory()) {
      throw new AppError('WORKSPACE_INVALID', `${path} is a folder, not a Leadbench workspace file.`);
    }
    if (statSync(path).size === 0 && !options.create) {
      // Opening (not creating) never turns an empty file into a workspace.
      throw new AppError(
        'WORKSPACE_INVALID',
        `${path} is an empty file, not a Leadbench workspace. Nothing was changed.`,
      );
    }
    if (statSync(path).size > 0 && !looksLikeSqlite(path)) {
      throw new AppError('WORKSPACE_INVALID', `${path} is not a Leadbench workspace (it is not a SQLite database).`);
    }
  }
  refuseReadOnly(path, exists);
  const db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const hasTables =
      (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n > 0;
    if (appId !== LEADBENCH_APPLICATION_ID && (hasTables || version !== 0)) {
      throw new AppError(
        'WORKSPACE_INVALID',
        `${path} is a SQLite database, but not a Leadbench workspace. Nothing was changed.`,
      );
    }
    if (appId === LEADBENCH_APPLICATION_ID) {
      // Refuse a newer schema before switching journal modes or touching anything.
      refuseNewerWorkspace(db, MIGRATIONS);
    }
    // Before the first table: with pointer maps, space freed by an undo or a bulk delete can
    // be given back cheaply (db/reclaim.ts). Takes effect only on a file with no tables yet.
    if (!hasTables) db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536');
    // The TEMP database (a full rescore stages every new score there, tens of MB on a large
    // workspace) has its own, tiny default cache. 16 MB keeps the staging's hot pages in memory;
    // the rest spills to the temp file (the OS page cache), not to this process's memory.
    db.pragma('temp.cache_size = -16384');
    if (appId !== LEADBENCH_APPLICATION_ID) db.pragma(`application_id = ${LEADBENCH_APPLICATION_ID}`);
    const migrated = migrate(db, MIGRATIONS);
    // Migrations drop indexes and tables; their pages go back to the file system at once.
    if (migrated.applied.length > 0) releaseFreePages(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * The read connection of an open workspace (read-only): it answers every request declared
 * 'read' (backend.ts) and sees the file as last committed, so a long job's open transaction
 * on the workspace connection never delays it. It never migrates nor writes; the workspace
 * connection did both. Its own page cache is as large as the workspace connection's: the
 * grid's reads all come through it.
 */
export function openReadConnection(path: string, options: Pick<OpenOptions, 'nativeBinding'> = {}): Database.Database {
  const db = new Database(path, {
    readonly: true,
    fileMustExist: true,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  // A draft preview stages its scores in TEMP tables (writable on a read-only connection).
  db.pragma('temp.cache_size = -16384');
  return db;
}

/** Whether an error is SQLite refusing a write on a read-only connection. */
export function isReadOnlyRefusal(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    (err as { code: string }).code.startsWith('SQLITE_READONLY')
  );
}
