/** Workspace facts for the status bar, title and `leadbench info`. */
import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { WorkspaceInfo } from '../../../shared/contract';
import { schemaVersion } from '../db/migrate';
import { appVersion } from '../paths';
import { rescorePendingMark } from './scoring/pending';

function count(db: Database.Database, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function workspaceInfo(db: Database.Database, path: string): WorkspaceInfo {
  // WAL mode keeps recent writes in the -wal file until a checkpoint: count both.
  const sizeBytes = fileSize(path) + fileSize(`${path}-wal`);
  return {
    path,
    name: basename(path).replace(/\.leadbench$/i, ''),
    schemaVersion: schemaVersion(db),
    appVersion: appVersion(),
    sizeBytes,
    leadCount: count(db, 'leads'),
    activityCount: count(db, 'activities'),
    importCount: count(db, 'imports'),
    scoresStale: rescorePendingMark(db) !== null,
  };
}
