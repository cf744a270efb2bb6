/**
 * Migration 0710-uid-bytes-history-index (services/leads/lead-uid-sql.ts): a workspace file written by the
 * schema before it, with leads, their child rows, a first-use index and the search table, is
 * rebuilt with each canonical uid stored as its 16 bytes. Every uid reads back as the text it
 * was (lookup, export loader, scoring's read), no child row is lost, the indexes and triggers
 * are the same, foreign keys hold again, and the leads take less room. Its score history index
 * is keyed by lead alone and still serves the reads by lead.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, type Migration } from '../../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../../electron/backend/db/migrations';
import {
  FIRST_USE_GRID_INDEXES,
  LEAD_SEARCH_FILL,
  LEAD_SEARCH_TABLE,
  LEAD_SEARCH_TRIGGERS,
} from '../../../electron/backend/db/migrations/0610-first-use-grid';
import { openWorkspaceDb } from '../../../electron/backend/db/open';
import { newLeadUid } from '../../../electron/backend/services/import/lead-uid';
import { createLeadLoader } from '../../../electron/backend/services/exchange/lead-rows';
import { findLeadId } from '../../../electron/backend/services/leads/lead-key';
import { uidMatchSql } from '../../../electron/backend/services/leads/lead-uid-sql';
import { leadsInRange } from '../../../electron/backend/services/scoring/lead-data';
import { leadsUidIsText } from '../../../electron/backend/db/migrations/0710-uid-bytes-history-index';
import { migration0970RepairUidBytesHistoryIndex } from '../../../electron/backend/db/migrations/0970-repair-uid-bytes-history-index';
import { tempBackend, tempDir, workspaceAtSchema } from '../helpers';

const LEADS = 2000;
/** A uid no Leadbench wrote (a script's): kept as text. */
const HAND_WRITTEN = 'crm-0042';

/**
 * A workspace file at the schema before 0710 (or as `schema` leaves it): LEADS leads with child
 * rows, company index, search.
 */
function workspaceBefore0710(schema: (m: Migration) => boolean = (m) => m.version < 710): {
  path: string;
  uids: string[];
} {
  const path = join(tempDir(), 'uids.leadbench');
  const db = workspaceAtSchema(path, schema);
  db.pragma('foreign_keys = ON');
  const uids = Array.from({ length: LEADS }, (_, i) =>
    i === 7 ? HAND_WRITTEN : i % 2 === 0 ? randomUUID() : newLeadUid(),
  );
  db.prepare("INSERT INTO owners (id, name, email, created_at) VALUES (1, 'Ann', 'ann@x.io', 0)").run();
  const lead = db.prepare(
    `INSERT INTO leads (id, uid, email, email_norm, first_name, last_name, company, owner_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'Smith', ?, 1, 0, 0)`,
  );
  const activity = db.prepare("INSERT INTO activities (lead_id, type, occurred_at) VALUES (?, 'email_open', ?)");
  const change = db.prepare(
    "INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at, actor) VALUES (?, NULL, 'new', 0, 'test')",
  );
  db.transaction(() => {
    uids.forEach((uid, i) => {
      const id = i + 1;
      lead.run(id, uid, `p${id}@acme${id % 50}.com`, `p${id}@acme${id % 50}.com`, `Pat${id}`, `Acme ${id % 50}`);
      activity.run(id, id);
      change.run(id);
    });
  })();
  db.exec(FIRST_USE_GRID_INDEXES.find((i) => i.name === 'leads_g_company')!.sql);
  db.exec(LEAD_SEARCH_TABLE);
  db.exec(LEAD_SEARCH_FILL);
  for (const sql of Object.values(LEAD_SEARCH_TRIGGERS)) db.exec(sql);
  db.close();
  return { path, uids };
}

/** The SQL of every index and trigger of leads (the table's own UNIQUE index has none). */
const leadsSchema = (db: Database.Database): string[] =>
  db
    .prepare(
      "SELECT name || ': ' || sql FROM sqlite_schema WHERE tbl_name = 'leads' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name",
    )
    .pluck()
    .all() as string[];

const count = (db: Database.Database, table: string): number =>
  db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

const uidBytes = (db: Database.Database): number =>
  db
    .prepare("SELECT sum(pgsize) FROM dbstat WHERE name IN ('leads', 'sqlite_autoindex_leads_1')")
    .pluck()
    .get() as number;

describe('migration 0710-uid-bytes-history-index', () => {
  it("stores a workspace's uids as 16 bytes: each reads back as its text, nothing else changes, less room", () => {
    const { path, uids } = workspaceBefore0710();
    const old = new Database(path, { readonly: true });
    const schemaBefore = leadsSchema(old);
    const childrenBefore = ['activities', 'stage_changes', 'leads_search'].map((t) => count(old, t));
    const bytesBefore = uidBytes(old);
    old.close();

    const db = openWorkspaceDb(path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      const types = db.prepare('SELECT typeof(uid) AS t, count(*) AS n FROM leads GROUP BY 1 ORDER BY 1').all();
      expect(types).toEqual([
        { t: 'blob', n: LEADS - 1 },
        { t: 'text', n: 1 },
      ]);
      expect(db.prepare('SELECT length(uid) FROM leads WHERE typeof(uid) = ? LIMIT 1').pluck().get('blob')).toBe(16);

      // Read back as text where uids leave the workspace: lookups, exports, scoring.
      uids.forEach((uid, i) => expect(findLeadId(db, uid)).toBe(i + 1));
      const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM leads WHERE ${uidMatchSql('?')}`).all(uids[0]);
      expect(plan.map((r) => (r as { detail: string }).detail)).toContain(
        'SEARCH leads USING COVERING INDEX sqlite_autoindex_leads_1 (uid=?)',
      );
      const ids = uids.map((_, i) => i + 1);
      expect(
        createLeadLoader(db, { ledger: false })
          .load(ids)
          .map((l) => l.uid),
      ).toEqual(uids);
      expect(
        createLeadLoader(db, { ledger: false, fields: ['id', 'uid'] })
          .load(ids)
          .map((l) => l.uid),
      ).toEqual(uids);
      expect(leadsInRange(db, 1, LEADS).map((l) => l.uid)).toEqual(uids);

      // The same indexes and triggers, every child row kept, and the keys hold.
      // (Migration 0800, after this one, adds the two triggers that keep the lead total.)
      expect(leadsSchema(db).filter((s) => !s.startsWith('leads_total_'))).toEqual(schemaBefore);
      expect(['activities', 'stage_changes', 'leads_search'].map((t) => count(db, t))).toEqual(childrenBefore);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(uidBytes(db)).toBeLessThan(bytesBefore * 0.9);

      // A new uid is unique against the converted ones; the triggers and cascades still act.
      expect(() =>
        db.prepare(`INSERT INTO leads (uid, created_at, updated_at) VALUES (unhex(?, '-'), 0, 0)`).run(uids[0]),
      ).toThrow(/UNIQUE/);
      db.prepare("UPDATE leads SET company = 'Zebracorp' WHERE id = 3").run();
      expect(db.prepare("SELECT rowid FROM leads_search WHERE leads_search MATCH 'Zebracorp'").pluck().all()).toEqual([
        3,
      ]);
      db.prepare('DELETE FROM leads WHERE id = 3').run();
      expect(db.prepare('SELECT count(*) FROM activities WHERE lead_id = 3').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it("keys a workspace's history index by lead alone: lead reads and cascades still seek it, in less room", () => {
    const path = join(tempDir(), 'history.leadbench');
    const db = new Database(path);
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 710),
    );
    const lead = db.prepare('INSERT INTO leads (id, uid, created_at, updated_at) VALUES (?, ?, 0, 0)');
    const history = db.prepare(
      `INSERT INTO score_history (lead_id, model_id, model_version, total, fit, engagement, grade, segment, is_mql, scored_at)
       VALUES (?, 1, 1, ?, 0, 0, 'D4', 'cold', 0, ?)`,
    );
    db.transaction(() => {
      for (let id = 1; id <= LEADS; id++) {
        lead.run(id, `u${id}`);
        history.run(id, id, 1_000);
        history.run(id, id + 1, 2_000);
      }
    })();
    const indexBytes = () =>
      db.prepare("SELECT sum(pgsize) FROM dbstat WHERE name = 'score_history_by_lead'").pluck().get() as number;
    const before = indexBytes();
    const rowsOf5 = () =>
      db.prepare('SELECT id, total FROM score_history WHERE lead_id = 5 ORDER BY scored_at, id').raw(true).all();
    const expected = rowsOf5();

    migrate(db, MIGRATIONS);
    expect(db.prepare("SELECT name FROM pragma_index_info('score_history_by_lead')").pluck().all()).toEqual([
      'lead_id',
    ]);
    expect(rowsOf5()).toEqual(expected);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT id FROM score_history WHERE lead_id = ? ORDER BY scored_at, id')
      .all(5)
      .map((r) => (r as { detail: string }).detail);
    expect(plan).toContain('SEARCH score_history USING INDEX score_history_by_lead (lead_id=?)');
    expect(indexBytes()).toBeLessThan(before * 0.8);
    db.prepare('DELETE FROM leads WHERE id = 5').run();
    expect(db.prepare('SELECT count(*) FROM score_history').pluck().get()).toBe(2 * (LEADS - 1));
    db.close();
  });
});

describe('migration 0970-repair-uid-bytes-history-index', () => {
  /** As a build between 0740 and 0700/0710's landing left a workspace: at 740 without either. */
  const skipped = (m: Migration) => m.version <= 740 && m.version !== 700 && m.version !== 710;

  it("does 0710's work on a workspace at 0740 that skipped it; imports work there again", async () => {
    const { path, uids } = workspaceBefore0710(skipped);
    const old = new Database(path);
    expect(old.pragma('user_version', { simple: true })).toBe(740);
    expect(leadsUidIsText(old)).toBe(true);
    old
      .prepare(
        `INSERT INTO score_history (lead_id, model_id, model_version, total, fit, engagement, grade, segment, is_mql, scored_at)
         VALUES (5, 1, 1, 40, 0, 0, 'D4', 'cold', 0, 1000)`,
      )
      .run();
    const schemaBefore = leadsSchema(old);
    const childrenBefore = ['activities', 'stage_changes', 'leads_search', 'score_history'].map((t) => count(old, t));
    old.close();

    const db = openWorkspaceDb(path);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(leadsUidIsText(db)).toBe(false);
    expect(db.prepare('SELECT typeof(uid) AS t, count(*) AS n FROM leads GROUP BY 1 ORDER BY 1').all()).toEqual([
      { t: 'blob', n: LEADS - 1 },
      { t: 'text', n: 1 },
    ]);
    uids.forEach((uid, i) => expect(findLeadId(db, uid)).toBe(i + 1));
    // Migration 0800, run before this one here, adds the lead total's two triggers; the
    // rebuild keeps them, and the total.
    expect(leadsSchema(db).filter((s) => !s.startsWith('leads_total_'))).toEqual(schemaBefore);
    expect(leadsSchema(db).filter((s) => s.startsWith('leads_total_'))).toHaveLength(2);
    expect(db.prepare('SELECT n FROM lead_total').pluck().get()).toBe(count(db, 'leads'));
    expect(['activities', 'stage_changes', 'leads_search', 'score_history'].map((t) => count(db, t))).toEqual(
      childrenBefore,
    );
    expect(db.prepare("SELECT name FROM pragma_index_info('score_history_by_lead')").pluck().all()).toEqual([
      'lead_id',
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    // An import writes new uids as bytes: refused by the TEXT column before.
    const csv = join(tempDir(), 'new.csv');
    writeFileSync(csv, 'Email,First Name\nnew1@firm.example,Ann\nnew2@firm.example,Bob\n');
    const b = tempBackend({ workspacePath: path });
    const s = await b.invoke('import-run', { path: csv, options: { kind: 'leads' } });
    expect(s.inserted).toBe(2);
    expect(b.context.db().prepare('SELECT count(*) FROM leads').pluck().get()).toBe(LEADS + 2);
  });

  it('changes nothing where 0710 ran, and keeps foreign keys on for it there', () => {
    const db = openWorkspaceDb(join(tempDir(), 'fresh.leadbench'), { create: true });
    const schema = () =>
      db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY type, name').raw(true).all() as unknown[];
    const before = schema();
    expect(leadsUidIsText(db)).toBe(false);
    const keysOff = migration0970RepairUidBytesHistoryIndex.rebuildsReferencedTable as (
      d: Database.Database,
    ) => boolean;
    expect(keysOff(db)).toBe(false);
    migration0970RepairUidBytesHistoryIndex.up(db);
    expect(schema()).toEqual(before);
    db.close();
  });
});
