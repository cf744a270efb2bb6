/**
 * Saying what a one-time build is doing. The grid builds some of its structures the first time
 * a view needs them (sort indexes, the quick search's table: services/leads/grid.ts and
 * lead-search.ts): on a million leads that is seconds to tens of seconds during which the
 * request that triggered it waits. The backend registers, per workspace connection, how to
 * announce such a build (the status bar shows it as a job); without one it runs silently.
 */
import type Database from 'better-sqlite3';

/** Announces a build by its phase text; returns what to call when it ends. */
export type BuildAnnouncer = (phase: string) => () => void;

const announcers = new WeakMap<Database.Database, BuildAnnouncer>();

export function announceFirstUseBuilds(db: Database.Database, announce: BuildAnnouncer): void {
  announcers.set(db, announce);
}

/** Runs `build` (synchronous), announced as `phase` while it runs. */
export function buildAnnounced<T>(db: Database.Database, phase: string, build: () => T): T {
  const ended = announcers.get(db)?.(phase);
  try {
    return build();
  } finally {
    ended?.();
  }
}
