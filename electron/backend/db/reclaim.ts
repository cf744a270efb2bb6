/**
 * Giving free pages back to the file system after a large delete (an undone import, a bulk
 * delete): SQLite keeps deleted pages on its free list, so a workspace that imported and
 * undid 100,000 leads stayed as large as with them.
 *
 * New workspaces are created with auto_vacuum = INCREMENTAL (db/open.ts), which keeps the
 * pointer maps that let `PRAGMA incremental_vacuum` move pages and truncate the file in a
 * fraction of a VACUUM's time. A workspace made before that has no pointer maps: its first
 * reclaim is a full VACUUM, which also switches it to incremental for the next time.
 */
import type Database from 'better-sqlite3';

/** Free pages below which a reclaim is not worth it (4 MB of 4 KB pages). */
const MIN_FREE_PAGES = 1024;

export type Reclaimed = Readonly<{ freedPages: number; how: 'incremental' | 'vacuum' | 'none' }>;

/**
 * Truncates the file when at least a tenth of it is free pages. Outside a transaction only
 * (VACUUM cannot run inside one); inside one it does nothing.
 */
export function reclaimFreeSpace(db: Database.Database): Reclaimed {
  if (db.inTransaction || db.readonly) return { freedPages: 0, how: 'none' };
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  if (free < MIN_FREE_PAGES || free * 10 < pages) return { freedPages: 0, how: 'none' };
  if ((db.pragma('auto_vacuum', { simple: true }) as number) === 2) {
    db.pragma('incremental_vacuum');
    return { freedPages: free, how: 'incremental' };
  }
  db.pragma('auto_vacuum = INCREMENTAL');
  db.exec('VACUUM');
  return { freedPages: free, how: 'vacuum' };
}

/**
 * Gives back every free page a workspace with pointer maps holds, without a full VACUUM: used
 * after migrations, whose dropped indexes and tables leave free pages (a new workspace held 18
 * of its 129 pages free, so a later undo, which reclaims, left it smaller than it started).
 * Does nothing on a workspace without pointer maps (its next large reclaim VACUUMs it) or
 * inside a transaction.
 */
export function releaseFreePages(db: Database.Database): number {
  if (db.inTransaction || db.readonly) return 0;
  if ((db.pragma('auto_vacuum', { simple: true }) as number) !== 2) return 0;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  if (free > 0) db.pragma('incremental_vacuum');
  return free;
}
