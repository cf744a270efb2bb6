/**
 * Custom fields stored by slot (migration 0740, services/leads/custom-store.ts): a workspace
 * file made by the schema before, holding X Education's leads with `custom` as JSON objects
 * (and copies of them in an import's undo journal and a bulk delete's snapshot), converts
 * to arrays without losing or changing a value, in well under half the room; its custom
 * field index is rebuilt on the new path and still serves the grid's sort.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../../electron/backend/db/migrations';
import {
  customEncoder,
  customSlots,
  decodeCustom,
  NO_CUSTOM_TEXT,
} from '../../../electron/backend/services/leads/custom-store';
import { customFieldIndexName } from '../../../electron/backend/services/leads/lead-query-sql';
import { legacyCustomFieldIndexName } from '../../../electron/backend/db/migrations/0960-custom-index-slot-names';
import { querySqlOptions } from '../../../electron/backend/services/leads/grid';
import { buildLeadQuerySql } from '../../../electron/backend/services/leads/lead-query-sql';
import { leadQuerySchema } from '../../../shared/contract/leads';
import { tempDir, xeducationRows } from '../helpers';

const LEADS = 3000;
const ORIGIN = 'Lead Origin';

/** X Education's first LEADS rows as the custom values the import stored before (every column but the email). */
function customsOfFile(): Record<string, string>[] {
  return xeducationRows()
    .slice(0, LEADS)
    .map((row) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== '')));
}

/** A workspace file at the schema before 0740 with those leads, an undo journal entry, a bulk delete snapshot and a custom index. */
function workspaceBefore(customs: Record<string, string>[]): Database.Database {
  const db = new Database(join(tempDir(), 'custom.leadbench'));
  db.pragma('foreign_keys = ON');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version < 740),
  );
  const lead = db.prepare('INSERT INTO leads (id, uid, custom, created_at, updated_at) VALUES (?, ?, ?, 0, 0)');
  db.transaction(() => {
    customs.forEach((c, i) => lead.run(i + 1, `u${i + 1}`, JSON.stringify(c)));
    lead.run(LEADS + 1, 'no-custom', NO_CUSTOM_TEXT);
    db.prepare(
      "INSERT INTO imports (id, file_name, file_path, kind, status, started_at) VALUES (1, 'x.csv', '/x.csv', 'leads', 'done', 0)",
    ).run();
    db.prepare(
      "INSERT INTO import_journal (import_id, seq, action, lead_id, before) VALUES (1, 1, 'update', 2, ?)",
    ).run(JSON.stringify({ email: null, custom: JSON.stringify(customs[1]), updated_at: 0 }));
    db.prepare(
      "INSERT INTO bulk_batches (id, kind, label, affected, created_at) VALUES (1, 'delete', 'Delete', 1, 0)",
    ).run();
    db.prepare(
      `INSERT INTO bulk_deleted (batch_id, tbl, data) VALUES (1, 'leads', json_object('id', 9999, 'uid', 'gone', 'custom', ?))`,
    ).run(JSON.stringify(customs[2]));
  })();
  db.exec(
    `CREATE INDEX "${legacyCustomFieldIndexName(ORIGIN)}" ON leads(json_extract(custom, '$."${ORIGIN}"') COLLATE NOCASE)`,
  );
  return db;
}

const leadsBytes = (db: Database.Database): number =>
  db.prepare("SELECT sum(pgsize) FROM dbstat WHERE name = 'leads'").pluck().get() as number;

describe('migration 0740-custom-field-slots', () => {
  it('converts every lead and the undo copies without a change, each field name stored once', () => {
    const customs = customsOfFile();
    const db = workspaceBefore(customs);
    db.exec('VACUUM');
    const bytesBefore = leadsBytes(db);
    migrate(db, MIGRATIONS);
    db.exec('VACUUM');

    const slots = customSlots(db);
    expect(new Set(slots.names)).toEqual(new Set(customs.flatMap((c) => Object.keys(c))));
    expect(slots.names.slice(0, 3)).toEqual(Object.keys(customs[0]!).slice(0, 3)); // the file's column order
    const stored = db.prepare('SELECT custom FROM leads ORDER BY id').pluck().all() as string[];
    expect(stored.slice(0, LEADS).map((t) => decodeCustom(slots, t))).toEqual(customs);
    expect(stored[0]!.startsWith('[')).toBe(true);
    expect(stored[LEADS]).toBe(NO_CUSTOM_TEXT);

    const journal = JSON.parse(
      db.prepare('SELECT before FROM import_journal WHERE seq = 1').pluck().get() as string,
    ) as { custom: string };
    expect(decodeCustom(slots, journal.custom)).toEqual(customs[1]);
    expect(journal.custom.startsWith('[')).toBe(true);
    const deleted = JSON.parse(db.prepare('SELECT data FROM bulk_deleted').pluck().get() as string) as {
      custom: string;
      uid: string;
    };
    expect(deleted.uid).toBe('gone');
    expect(decodeCustom(slots, deleted.custom)).toEqual(customs[2]);

    expect(leadsBytes(db)).toBeLessThan(bytesBefore * 0.5);
    expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    db.close();
  });

  it('rebuilds a custom field index on its slot (named by it since 0960), and the grid sort reads through it', () => {
    const db = workspaceBefore(customsOfFile());
    migrate(db, MIGRATIONS);
    const slot = customSlots(db).slotOf.get(ORIGIN)!;
    const sql = db
      .prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?")
      .pluck()
      .get(customFieldIndexName(slot)) as string;
    expect(sql).toContain(`json_extract(custom, '$[${slot}]') COLLATE NOCASE`);

    const q = buildLeadQuerySql(
      leadQuerySchema.parse({ sort: { column: `custom.${ORIGIN}`, dir: 'asc' } }),
      querySqlOptions(db),
    );
    const plan = (
      db
        .prepare(`EXPLAIN QUERY PLAN SELECT id FROM leads WHERE ${q.where} ORDER BY ${q.orderBy} LIMIT 50`)
        .all(...q.params) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(new RegExp(`USING (COVERING )?INDEX ${customFieldIndexName(slot)}\\b`));
    expect(plan).not.toContain('TEMP B-TREE');
    db.close();
  });
});

describe('custom-store', () => {
  it('gives a new field the next slot, keeps old slots, and leaves trailing blanks out', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    const encoder = customEncoder(db);
    expect(encoder.encode({ A: 'x', B: 2 })).toBe('["x",2]');
    expect(encoder.encode({ B: 3 })).toBe('[null,3]');
    expect(encoder.encode({ C: true, A: 'y' })).toBe('["y",null,true]');
    expect(encoder.encode({ A: null, B: 'z' })).toBe('[null,"z"]');
    expect(encoder.encode({})).toBe(NO_CUSTOM_TEXT);
    // Another writer (a second encoder) sees the slots given and adds after them.
    expect(customEncoder(db).encode({ D: 'd' })).toBe('[null,null,null,"d"]');
    expect(encoder.encode({ E: 'e', A: 1 })).toBe('[1,null,null,null,"e"]');
    const slots = customSlots(db);
    expect(slots.names).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(decodeCustom(slots, '["y",null,true]')).toEqual({ A: 'y', C: true });
    // A cell edited by hand in the old layout still reads; text that is not JSON reads as none.
    expect(decodeCustom(slots, '{"Z":"old"}')).toEqual({ Z: 'old' });
    expect(decodeCustom(slots, 'not json')).toEqual({});
  });
});
