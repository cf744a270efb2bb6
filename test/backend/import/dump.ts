/**
 * A workspace's content as one comparable string: every table (FTS shadow tables excluded,
 * their virtual tables included by content), rows sorted. Two dumps are equal
 * exactly when nothing a user could see or query differs. The migration ledger counts
 * without the time each migration ran (the clock when the workspace was opened).
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

export function contentDump(db: Database.Database, only?: readonly string[]): string {
  const tables = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string; sql: string }[];
  const virtual = tables.filter((t) => /^CREATE VIRTUAL/i.test(t.sql)).map((t) => t.name);
  const lines: string[] = [];
  for (const t of tables) {
    if (only && !only.includes(t.name)) continue;
    if (virtual.some((v) => t.name.startsWith(`${v}_`))) continue;
    // Rows as a sorted set: tables may be WITHOUT ROWID, and content, not order, is compared.
    const columns = t.name === 'schema_migrations' ? 'version, name' : '*';
    const rows = (db.prepare(`SELECT ${columns} FROM "${t.name}"`).raw().all() as unknown[])
      .map((r) => JSON.stringify(r))
      .sort();
    lines.push(`## ${t.name} ${rows.length}`, ...rows);
  }
  return lines.join('\n');
}

export function contentHash(db: Database.Database, only?: readonly string[]): string {
  return createHash('sha256').update(contentDump(db, only)).digest('hex');
}

/**
 * Everything stored, without what differs between any two workspaces: the uid (set to the
 * id; uids carry their creation time) and when the default model was created (the clock at
 * creation). Rewrites those columns in `db`.
 */
export function contentDumpWithoutUids(db: Database.Database): string {
  db.exec(
    'UPDATE leads SET uid = id; UPDATE models SET created_at = 0, updated_at = 0; UPDATE model_versions SET published_at = 0',
  );
  return contentDump(db);
}

/**
 * Score history with its ids left out (rewrites `db`). A lead left to the rescore after an
 * import gets its history row after those of the leads scored in the import's pass
 * (score-in-pass.ts), where a rescore of all of them writes them in lead order: the same rows,
 * with other ids (nothing orders history rows of different leads by id).
 */
export function historyWithoutIds(db: Database.Database): void {
  db.exec(`CREATE TABLE history_rows AS
             SELECT lead_id, model_id, model_version, total, fit, engagement, grade, segment, is_mql, scored_at FROM score_history;
           DROP TABLE score_history;
           ALTER TABLE history_rows RENAME TO score_history;`);
}

/** Replaces stage_changes by its rows without their ids (what two write orders share). */
export function stageChangesWithoutIds(db: Database.Database): void {
  db.exec(`CREATE TABLE stage_rows AS
             SELECT lead_id, from_stage, to_stage, changed_at, actor, reason FROM stage_changes;
           DROP TABLE stage_changes;
           ALTER TABLE stage_rows RENAME TO stage_changes;`);
}
