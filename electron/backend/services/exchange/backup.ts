/**
 * Workspace backups with SQLite's online backup API (better-sqlite3's db.backup): a
 * consistent copy while the app keeps running and writing. The copy is written under a
 * temporary name, checked (PRAGMA quick_check, or the full integrity_check for a manual
 * backup), and only then renamed into place and listed.
 *
 * Automatic backups go to a folder beside the workspace ("<name>-backups") before
 * destructive operations (bulk delete, model publish, round-trip apply); the newest N are
 * kept (workspace_meta 'backup.keep', default 10). Manual backups go where the user says
 * and are never pruned.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { BackupInfo } from '../../../../shared/contract/exchange';
import type { BackendContext } from '../../context';
import { AppError } from '../../errors';
import { isReadOnlyRefusal } from '../../db/open';
import { checkWritableFolder, writeFailure } from '../../write-failure';
import { closeJournal, journalTarget, openJournal } from '../recovery/journal';

export const DEFAULT_KEEP_BACKUPS = 10;
/** Pages copied per step of the online backup (4 KiB pages: 16 MiB). */
const STEP_PAGES = 4096;

type BackupRow = {
  id: number;
  path: string;
  kind: 'manual' | 'auto';
  reason: string;
  size_bytes: number;
  created_at: number;
};

function toInfo(r: BackupRow): BackupInfo {
  return {
    id: r.id,
    path: r.path,
    kind: r.kind,
    reason: r.reason,
    sizeBytes: r.size_bytes,
    createdAt: r.created_at,
    exists: existsSync(r.path),
  };
}

/** The folder automatic backups of a workspace go to. */
export function backupFolder(workspacePath: string): string {
  const name = basename(workspacePath).replace(/\.[^.]+$/, '');
  return join(dirname(workspacePath), `${name}-backups`);
}

function stamp(now: number): string {
  return new Date(now)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

function slug(reason: string): string {
  return (
    reason
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'backup'
  );
}

export function keepBackups(db: Database.Database): number {
  const v = db.prepare("SELECT value FROM workspace_meta WHERE key = 'backup.keep'").pluck().get() as
    string | undefined;
  const n = v === undefined ? NaN : Number(v);
  return Number.isInteger(n) && n >= 1 ? n : DEFAULT_KEEP_BACKUPS;
}

/**
 * Makes a finished copy self-contained (rollback journal instead of WAL, so it is one file
 * that can be mailed or copied) and checks it; throws when it is damaged.
 */
export function verifyBackup(path: string, full: boolean): void {
  const copy = new Database(path, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const rows = copy.pragma(full ? 'integrity_check' : 'quick_check', { simple: false }) as Record<string, string>[];
    const messages = rows.map((r) => Object.values(r)[0]);
    if (messages.length !== 1 || messages[0] !== 'ok') {
      throw new AppError('INTERNAL', `The backup copy failed its integrity check: ${messages.slice(0, 3).join('; ')}`);
    }
  } finally {
    copy.close();
  }
}

/** Where a backup is written before it is verified and renamed to `target`. */
export function backupTempOf(target: string): string {
  return `${target}.partial`;
}

/** A SQLite file and the companions SQLite may create beside it. */
export function withCompanions(path: string): string[] {
  return ['', '-wal', '-shm', '-journal'].map((x) => `${path}${x}`);
}

/**
 * Journals the backup's temporary copy (services/recovery/journal.ts); null when the
 * workspace cannot be written (a read-only file still gets its backup, unjournaled).
 */
function journalBackup(db: Database.Database, target: string, now: number): number | null {
  try {
    return db.transaction(() => {
      const id = openJournal(db, 'backup', now);
      journalTarget(db, id, target);
      return id;
    })();
  } catch (err) {
    if (isReadOnlyRefusal(err)) return null;
    throw err;
  }
}

export type BackupRequest = Readonly<{ out?: string | undefined; kind: 'manual' | 'auto'; reason: string }>;

/** Copies the open workspace (online backup), verifies the copy, records it, prunes old automatic ones. */
export async function backupWorkspace(ctx: BackendContext, req: BackupRequest): Promise<BackupInfo> {
  const db = ctx.db();
  const workspace = ctx.workspacePath();
  if (!workspace) throw new AppError('WORKSPACE_NOT_OPEN', 'No workspace is open.');
  const now = ctx.now();
  const target = resolve(
    req.out ??
      join(
        backupFolder(workspace),
        `${basename(workspace).replace(/\.[^.]+$/, '')}-${stamp(now)}-${slug(req.reason)}.leadbench`,
      ),
  );
  if (resolve(workspace) === target)
    throw new AppError('BAD_ARGUMENT', 'A backup cannot overwrite the workspace itself.');
  checkWritableFolder('WRITE_FAILED', 'The backup', target, dirname(target));
  try {
    mkdirSync(dirname(target), { recursive: true });
  } catch (err) {
    throw writeFailure('WRITE_FAILED', 'The backup', target, err);
  }
  const temp = backupTempOf(target);
  const clean = (p: string) => Promise.all(withCompanions(p).map((f) => rm(f, { force: true })));
  await clean(temp);
  const journal = journalBackup(db, target, now);
  try {
    // Copy in steps so the app stays responsive; writes through this connection update the
    // copy as it goes, but writes from another connection (the CLI, a second window) restart
    // it. After two restarts the rest is copied in one step: one read transaction, which in
    // WAL mode does not block writers, so a busy workspace still gets its backup.
    let last = Number.POSITIVE_INFINITY;
    let restarts = 0;
    await db.backup(temp, {
      progress: ({ remainingPages }) => {
        if (remainingPages > last) restarts++;
        last = remainingPages;
        return restarts >= 2 ? 0x7fffffff : STEP_PAGES;
      },
    });
    verifyBackup(temp, req.kind === 'manual');
    await rename(temp, target);
  } catch (err) {
    await clean(temp);
    if (journal !== null) closeJournal(db, journal);
    if (err instanceof AppError) throw err;
    throw writeFailure('WRITE_FAILED', 'The backup', target, err);
  }
  // Stale WAL/SHM companions of an earlier file with the same name would corrupt the copy.
  await Promise.all([rm(`${target}-wal`, { force: true }), rm(`${target}-shm`, { force: true })]);
  await clean(temp);
  const size = statSync(target).size;
  const id = db.transaction(() => {
    if (journal !== null) closeJournal(db, journal);
    return Number(
      db
        .prepare('INSERT INTO backups (path, kind, reason, size_bytes, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(target, req.kind, req.reason, size, now).lastInsertRowid,
    );
  })();
  if (req.kind === 'auto') await pruneAutoBackups(db, keepBackups(db));
  const info = toInfo(db.prepare('SELECT * FROM backups WHERE id = ?').get(id) as BackupRow);
  ctx.emit('backup-created', info);
  return info;
}

/** Deletes automatic backups beyond the newest `keep` (files and their records). */
export async function pruneAutoBackups(db: Database.Database, keep: number): Promise<number> {
  const old = db
    .prepare("SELECT * FROM backups WHERE kind = 'auto' ORDER BY created_at DESC, id DESC LIMIT -1 OFFSET ?")
    .all(keep) as BackupRow[];
  for (const r of old) {
    await rm(r.path, { force: true });
    db.prepare('DELETE FROM backups WHERE id = ?').run(r.id);
  }
  return old.length;
}

/**
 * A backup before a destructive operation. Call and await it first:
 * `await autoBackup(ctx, 'bulk delete')`. The newest N automatic backups are kept.
 */
export function autoBackup(ctx: BackendContext, reason: string): Promise<BackupInfo> {
  return backupWorkspace(ctx, { kind: 'auto', reason });
}

export function listBackups(db: Database.Database): BackupInfo[] {
  return (db.prepare('SELECT * FROM backups ORDER BY created_at DESC, id DESC').all() as BackupRow[]).map(toInfo);
}
