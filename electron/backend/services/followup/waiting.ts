/**
 * MQLs waiting without an owner, and the person using the app as an owner from the start.
 * Routing runs when a lead enters MQL; leads that found nobody then (no owners yet, a rule
 * added later) wait unassigned until someone routes them again, which the settings screen
 * offers whenever there are any.
 */
import type Database from 'better-sqlite3';
import { readSettings, writeSettings } from './config';
import { routeLeads } from './stages';

/** Open follow-ups whose lead has no active owner. */
function waitingIds(db: Database.Database): number[] {
  return db
    .prepare(
      `SELECT f.lead_id FROM lead_followup f JOIN leads l ON l.id = f.lead_id
       LEFT JOIN owners o ON o.id = l.owner_id AND o.active = 1
       WHERE f.status = 'open' AND o.id IS NULL ORDER BY f.due_at, f.lead_id`,
    )
    .pluck()
    .all() as number[];
}

export function countUnassignedWaiting(db: Database.Database): number {
  return waitingIds(db).length;
}

/** Routes every waiting unassigned MQL by the rules now; returns how many got an owner and how many still wait. */
export function routeWaiting(db: Database.Database, now: number): { routed: number; left: number } {
  const ids = waitingIds(db);
  const routed = routeLeads(db, ids, now);
  return { routed, left: ids.length - routed };
}

export type AppUser = Readonly<{ name: string; email: string }>;

/**
 * Makes the app's user an owner (inside sales, which the seeded catch-all rule routes to)
 * and "me", when the workspace has no owner at all yet, and routes the MQLs already waiting.
 * A workspace that has owners is left alone: there the user picks who they are.
 */
export function ensureMeOwner(db: Database.Database, user: AppUser, now: number): { created: boolean } {
  const me = readSettings(db).meOwnerId;
  const owners = db.prepare('SELECT count(*) FROM owners').pluck().get() as number;
  if (me !== null || owners > 0) return { created: false };
  db.transaction(() => {
    const id = Number(
      db
        .prepare(
          "INSERT INTO owners (name, email, role, team, active, created_at) VALUES (?, ?, 'inside_sales', NULL, 1, ?)",
        )
        .run(user.name, user.email, now).lastInsertRowid,
    );
    writeSettings(db, { meOwnerId: id });
    routeWaiting(db, now);
  })();
  return { created: true };
}
