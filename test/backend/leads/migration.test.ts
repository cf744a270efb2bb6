import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../../electron/backend/db/migrations';
import { migration0040Leads } from '../../../electron/backend/db/migrations/0040-leads';
import { migration0070GridPairs } from '../../../electron/backend/db/migrations/0070-grid-pairs';
import { migration0080GridCovering } from '../../../electron/backend/db/migrations/0080-grid-covering';
import { migration0090GridStageSla } from '../../../electron/backend/db/migrations/0090-grid-stage-sla';
import { migration0100GridEngagementPair } from '../../../electron/backend/db/migrations/0100-grid-engagement-pair';
import { migration0320DropOwnerIdIndex } from '../../../electron/backend/db/migrations/0320-drop-owner-id-index';
import { migration0410ActivityTypes } from '../../../electron/backend/db/migrations/0410-activity-types';
import {
  DROPPED_STORE_COLUMN_INDEXES,
  migration0540GridStoreDates,
} from '../../../electron/backend/db/migrations/0540-grid-store-dates';
import {
  DROPPED_SCORE_INDEXES,
  migration0310GridScoreStore,
} from '../../../electron/backend/db/migrations/0310-grid-score-store';
import {
  FIRST_USE_INDEXED_COLUMNS,
  firstUseIndexes,
  migration0550FirstUseIndexes,
} from '../../../electron/backend/db/migrations/0550-first-use-indexes';
import { ensureGridIndexes } from '../../../electron/backend/services/leads/grid';
import { ensureLeadSearch } from '../../../electron/backend/services/leads/lead-search';
import {
  FIRST_USE_GRID_INDEXES,
  migration0610FirstUseGrid,
} from '../../../electron/backend/db/migrations/0610-first-use-grid';
import { tempDir } from '../helpers';

/** The leads indexes, without those 0550 and 0610 leave to first use (kept or not by what leads fill). */
function leadIndexesBesidesFirstUse(db: Database.Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'leads'").pluck().all() as string[]
  ).filter((n) => !FIRST_USE_INDEX_NAMES.has(n));
}

const FIRST_USE_INDEX_NAMES = new Set([
  ...[...FIRST_USE_INDEXED_COLUMNS].flatMap((c) => firstUseIndexes(c).map((i) => i.name)),
  ...FIRST_USE_GRID_INDEXES.map((i) => i.name),
]);

/** Every migration before 0310 (which drops the score indexes that 0040-0100 add). */
const BEFORE_SCORE_STORE = MIGRATIONS.filter((m) => m.version < 310);

/** An in-memory workspace migrated up to, not including, migration `version`. */
function workspaceBefore(version: number): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version < version),
  );
  return db;
}

describe('migration 0040-leads', () => {
  it('upgrades a workspace that already has leads: owner names, tags and search are backfilled', () => {
    const db = new Database(join(tempDir(), 'upgrade.leadbench'));
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 40),
    );
    db.prepare("INSERT INTO owners (id, name, email, created_at) VALUES (1, 'Ann', 'ann@x.test', 0)").run();
    db.prepare(
      `INSERT INTO leads (id, uid, email, first_name, last_name, company, owner_id, tags, created_at, updated_at)
       VALUES (1, 'u1', 'jo@acme.com', 'Jo', 'Smith', 'Acme', 1, '["vip","q3"]', 0, 0),
              (2, 'u2', 'li@beta.io', 'Li', 'Wu', 'Beta', NULL, '[]', 0, 0)`,
    ).run();
    migrate(db, BEFORE_SCORE_STORE);
    expect(schemaVersion(db)).toBe(BEFORE_SCORE_STORE.at(-1)!.version);
    expect(db.prepare('SELECT owner_name FROM leads ORDER BY id').pluck().all()).toEqual(['Ann', null]);
    expect(db.prepare('SELECT tag FROM lead_tags ORDER BY tag').pluck().all()).toEqual(['q3', 'vip']);
    expect(db.prepare('SELECT rowid FROM leads_search WHERE leads_search MATCH \'"smit"\'').pluck().all()).toEqual([1]);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'saved_views',
        'lead_notes',
        'bulk_batches',
        'bulk_before',
        'bulk_deleted',
        'lead_tags',
        'leads_search',
      ]),
    );
    const indexes = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'leads_g_%'")
      .pluck()
      .all();
    expect(indexes.length).toBeGreaterThanOrEqual(27);
    db.close();
  });

  it('keeps the mirrors in step: owner rename and delete, tag edits, search on edit and delete', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS);
    // A new workspace builds its search table on first use (0610); from then on its triggers keep it.
    ensureLeadSearch(db);
    db.prepare(
      "INSERT INTO owners (id, name, email, created_at) VALUES (1, 'Ann', 'ann@x.test', 0), (2, 'Bob', 'bob@x.test', 0)",
    ).run();
    db.prepare(
      "INSERT INTO leads (id, uid, email, first_name, company, owner_id, tags, created_at, updated_at) VALUES (1, 'u1', 'a@b.c', 'Jo', 'Acme', 1, '[\"x\"]', 0, 0)",
    ).run();
    expect(db.prepare('SELECT owner_name FROM leads').pluck().get()).toBe('Ann');
    db.prepare("UPDATE owners SET name = 'Ann B.' WHERE id = 1").run();
    expect(db.prepare('SELECT owner_name FROM leads').pluck().get()).toBe('Ann B.');
    db.prepare('UPDATE leads SET owner_id = 2').run();
    expect(db.prepare('SELECT owner_name FROM leads').pluck().get()).toBe('Bob');
    db.prepare('DELETE FROM owners WHERE id = 2').run();
    expect(db.prepare('SELECT owner_name FROM leads').pluck().get()).toBeNull();
    db.prepare(`UPDATE leads SET tags = '["y","z"]'`).run();
    expect(db.prepare('SELECT tag FROM lead_tags ORDER BY tag').pluck().all()).toEqual(['y', 'z']);
    db.prepare("UPDATE leads SET company = 'Globex'").run();
    expect(db.prepare(`SELECT count(*) FROM leads_search WHERE leads_search MATCH '"acme"'`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT count(*) FROM leads_search WHERE leads_search MATCH '"globex"'`).pluck().get()).toBe(1);
    db.prepare('DELETE FROM leads').run();
    expect(db.prepare(`SELECT count(*) FROM leads_search WHERE leads_search MATCH '"globex"'`).pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM lead_tags').pluck().get()).toBe(0);
    db.close();
  });

  it('is version 40', () => {
    expect(migration0040Leads.version).toBe(40);
  });
});

describe('migration 0070-grid-pairs', () => {
  it('adds the score pair indexes to a workspace at 0060 that already has leads', () => {
    const db = workspaceBefore(70);
    db.prepare(
      "INSERT INTO leads (id, uid, score_total, score_fit, grade, segment, is_mql, created_at, updated_at) VALUES (1, 'u1', 80, 50, 'A1', 'Hot', 1, 0, 0)",
    ).run();
    migrate(db, BEFORE_SCORE_STORE);
    expect(migration0070GridPairs.version).toBe(70);
    const sql = db
      .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN (?, ?, ?, ?) ORDER BY name")
      .all('leads_g_grade_segment', 'leads_g_is_mql_segment', 'leads_g_is_mql_score', 'leads_g_score_fit_score');
    expect(sql).toEqual([
      { name: 'leads_g_grade_segment', sql: 'CREATE INDEX leads_g_grade_segment ON leads(grade, segment)' },
      { name: 'leads_g_is_mql_score', sql: 'CREATE INDEX leads_g_is_mql_score ON leads(is_mql, score_total)' },
      { name: 'leads_g_is_mql_segment', sql: 'CREATE INDEX leads_g_is_mql_segment ON leads(is_mql, segment)' },
      { name: 'leads_g_score_fit_score', sql: 'CREATE INDEX leads_g_score_fit_score ON leads(score_fit, score_total)' },
    ]);
    expect(
      db.prepare('SELECT count(*) FROM leads INDEXED BY leads_g_is_mql_score WHERE is_mql = 1').pluck().get(),
    ).toBe(1);
    db.close();
  });
});

describe('migration 0080-grid-covering', () => {
  it('adds the covering indexes to a workspace at 0070 that already has leads', () => {
    const db = workspaceBefore(80);
    db.prepare(
      "INSERT INTO leads (id, uid, email, first_name, last_name, company, website, created_at, updated_at) VALUES (1, 'u1', 'jo@acme.com', 'Jo', 'Smith', 'Acme', 'https://acme.com', 0, 0)",
    ).run();
    migrate(db, MIGRATIONS);
    expect(migration0080GridCovering.version).toBe(80);
    const sql = db
      .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN (?, ?, ?) ORDER BY name")
      .all('leads_g_company_website', 'leads_g_id_name', 'leads_g_id_email');
    expect(sql).toEqual([
      {
        name: 'leads_g_company_website',
        sql: 'CREATE INDEX leads_g_company_website ON leads(company COLLATE NOCASE, website COLLATE NOCASE)',
      },
      { name: 'leads_g_id_email', sql: 'CREATE INDEX leads_g_id_email ON leads(id, email COLLATE NOCASE)' },
      {
        name: 'leads_g_id_name',
        sql: 'CREATE INDEX leads_g_id_name ON leads(id, last_name COLLATE NOCASE, first_name COLLATE NOCASE)',
      },
    ]);
    expect(
      db
        .prepare("SELECT website FROM leads INDEXED BY leads_g_company_website WHERE company = 'acme' COLLATE NOCASE")
        .pluck()
        .get(),
    ).toBe('https://acme.com');
    db.close();
  });
});

describe('migration 0090-grid-stage-sla', () => {
  it('adds the (stage, sla_due_at) index to a workspace at 0080 that already has leads', () => {
    const db = workspaceBefore(90);
    db.prepare(
      "INSERT INTO leads (id, uid, stage, sla_due_at, created_at, updated_at) VALUES (1, 'u1', 'mql', 5000, 0, 0)",
    ).run();
    migrate(db, MIGRATIONS);
    expect(migration0090GridStageSla.version).toBe(90);
    expect(
      db
        .prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'leads_g_stage_sla_due_at'")
        .pluck()
        .get(),
    ).toBe('CREATE INDEX leads_g_stage_sla_due_at ON leads(stage, sla_due_at)');
    expect(
      db.prepare("SELECT sla_due_at FROM leads INDEXED BY leads_g_stage_sla_due_at WHERE stage = 'mql'").pluck().get(),
    ).toBe(5000);
    db.close();
  });
});

describe('migration 0100-grid-engagement-pair', () => {
  it('adds the (score_engagement, score_total) index to a workspace at 0090 that already has leads', () => {
    const db = workspaceBefore(100);
    db.prepare(
      "INSERT INTO leads (id, uid, stage, score_engagement, score_total, created_at, updated_at) VALUES (1, 'u1', 'new', 12, 40, 0, 0)",
    ).run();
    migrate(db, BEFORE_SCORE_STORE);
    expect(migration0100GridEngagementPair.version).toBe(100);
    expect(
      db
        .prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'leads_g_score_engagement_score'")
        .pluck()
        .get(),
    ).toBe('CREATE INDEX leads_g_score_engagement_score ON leads(score_engagement, score_total)');
    expect(
      db
        .prepare('SELECT score_total FROM leads INDEXED BY leads_g_score_engagement_score WHERE score_engagement = 12')
        .pluck()
        .get(),
    ).toBe(40);
    db.close();
  });
});

describe('migration 0310-grid-score-store', () => {
  it('drops the 18 score indexes of a workspace that has leads and adds the covering index the score store reads', () => {
    const db = workspaceBefore(310);
    db.prepare(
      `INSERT INTO leads (id, uid, score_total, score_fit, score_engagement, grade, segment, is_mql, scored_at, created_at, updated_at)
       VALUES (1, 'u1', 80, 50, 30, 'A1', 'Hot', 1, 5, 0, 0), (2, 'u2', NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, 0)`,
    ).run();
    const indexes = () => leadIndexesBesidesFirstUse(db);
    expect(indexes()).toEqual(expect.arrayContaining([...DROPPED_SCORE_INDEXES]));
    const before = indexes().length;
    migrate(db, MIGRATIONS);
    expect(migration0310GridScoreStore.version).toBe(310);
    expect(indexes().filter((n) => (DROPPED_SCORE_INDEXES as readonly string[]).includes(n))).toEqual([]);
    // 0320 drops leads_g_owner_id too, and 0540 the indexes of four dates and sizes.
    expect(indexes().length).toBe(before - DROPPED_SCORE_INDEXES.length + 1 - 1 - DROPPED_STORE_COLUMN_INDEXES.length);
    // No index left on leads names a score column except the store's own.
    const scoreIndexes = (
      db
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'leads' AND sql IS NOT NULL")
        .all() as { name: string; sql: string }[]
    ).filter((i) => /\b(score_total|score_fit|score_engagement|grade|segment|is_mql|scored_at)\b/.test(i.sql));
    expect(scoreIndexes.map((i) => i.name)).toEqual(['leads_g_scores']);
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT count(id + score_total + score_fit + score_engagement + is_mql + scored_at), count(grade || segment) FROM leads INDEXED BY leads_g_scores',
      )
      .all() as { detail: string }[];
    expect(plan.map((r) => r.detail).join(' | ')).toMatch(/SCAN leads USING COVERING INDEX leads_g_scores/);
    expect(db.prepare('SELECT id, segment FROM leads INDEXED BY leads_g_scores ORDER BY id').all()).toEqual([
      { id: 1, segment: 'Hot' },
      { id: 2, segment: null },
    ]);
    db.close();
  });
});

describe('migration 0320-drop-owner-id-index', () => {
  it('drops leads_g_owner_id; lookups by owner seek (owner_id, stage) instead', () => {
    const db = workspaceBefore(320);
    db.prepare("INSERT INTO owners (id, name, email, created_at) VALUES (7, 'Ann', 'ann@x.test', 0)").run();
    db.prepare(
      "INSERT INTO leads (id, uid, owner_id, stage, created_at, updated_at) VALUES (1, 'u1', 7, 'new', 0, 0), (2, 'u2', NULL, 'new', 0, 0)",
    ).run();
    const exists = () =>
      db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = 'leads_g_owner_id'").get() !== undefined;
    expect(exists()).toBe(true);
    migrate(db, MIGRATIONS);
    expect(migration0320DropOwnerIdIndex.version).toBe(320);
    expect(exists()).toBe(false);
    const plan = (
      db.prepare('EXPLAIN QUERY PLAN SELECT id FROM leads WHERE owner_id = ?').all(7) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toMatch(/SEARCH leads USING (COVERING )?INDEX leads_owner_stage \(owner_id=\?\)/);
    expect(db.prepare('SELECT id FROM leads WHERE owner_id = ?').pluck().all(7)).toEqual([1]);
    db.close();
  });
});

describe('migration 0410-activity-types', () => {
  it("backfills a workspace's types with their counts; triggers keep the counts on insert, delete, retype and cascade", () => {
    const db = workspaceBefore(410);
    db.prepare(
      "INSERT INTO leads (id, uid, stage, created_at, updated_at) VALUES (1, 'u1', 'new', 0, 0), (2, 'u2', 'new', 0, 0)",
    ).run();
    const add = db.prepare('INSERT INTO activities (lead_id, type, asset, occurred_at) VALUES (?, ?, ?, ?)');
    add.run(1, 'email_open', '', 1);
    add.run(1, 'ws:SMS Sent', '', 2);
    add.run(2, 'ws:SMS Sent', '', 3);
    add.run(2, 'ws:Olark Chat Conversation', 'bot', 4);
    migrate(db, MIGRATIONS);
    expect(migration0410ActivityTypes.version).toBe(410);
    const counts = () =>
      Object.fromEntries(
        (
          db.prepare('SELECT key, activities FROM activity_types ORDER BY key').all() as {
            key: string;
            activities: number;
          }[]
        ).map((r) => [r.key, r.activities]),
      );
    const grouped = () =>
      Object.fromEntries(
        (
          db.prepare('SELECT type, count(*) AS n FROM activities GROUP BY type').all() as { type: string; n: number }[]
        ).map((r) => [r.type, r.n]),
      );
    expect(counts()).toEqual({ email_open: 1, 'ws:Olark Chat Conversation': 1, 'ws:SMS Sent': 2 });
    expect(
      db
        .prepare('SELECT count(*) FROM activity_types WHERE label IS NOT NULL OR merged_into IS NOT NULL')
        .pluck()
        .get(),
    ).toBe(0);

    add.run(1, 'ws:Email Bounced', '', 5); // a new type gets its row
    add.run(1, 'ws:SMS Sent', '', 6);
    db.prepare('INSERT OR IGNORE INTO activities (lead_id, type, asset, occurred_at) VALUES (1, ?, ?, 6)').run(
      'ws:SMS Sent',
      '',
    ); // ignored: no count
    db.prepare("UPDATE activities SET type = 'ws:SMS Sent' WHERE type = 'ws:Olark Chat Conversation'").run();
    db.prepare("DELETE FROM activities WHERE type = 'email_open'").run();
    // A type whose last activity was deleted goes; one emptied by a retype (a merge) stays.
    expect(counts()).toEqual({ 'ws:Email Bounced': 1, 'ws:Olark Chat Conversation': 0, 'ws:SMS Sent': 4 });
    db.prepare('DELETE FROM leads WHERE id = 2').run(); // its activities go by the foreign key's cascade
    expect(counts()).toEqual({ 'ws:Email Bounced': 1, 'ws:Olark Chat Conversation': 0, 'ws:SMS Sent': 2 });
    expect(Object.fromEntries(Object.entries(counts()).filter(([, n]) => n > 0))).toEqual(grouped());
    // A renamed type keeps its row (and its name) with no activities left.
    db.prepare("UPDATE activity_types SET label = 'Bounced' WHERE key = 'ws:Email Bounced'").run();
    db.prepare("DELETE FROM activities WHERE type = 'ws:Email Bounced'").run();
    expect(counts()).toMatchObject({ 'ws:Email Bounced': 0 });
    db.close();
  });
});

describe('migration 0540-grid-store-dates', () => {
  it("drops the indexes of created_at, updated_at, last_activity_at and company_size; the store's covering index holds them, its rows kept", () => {
    const db = workspaceBefore(540);
    db.prepare(
      `INSERT INTO leads (id, uid, score_total, grade, segment, is_mql, created_at, updated_at, last_activity_at, company_size)
       VALUES (1, 'u1', 80, 'A1', 'Hot', 1, 10, 11, 12, 250), (2, 'u2', NULL, NULL, NULL, 0, 20, 21, NULL, NULL)`,
    ).run();
    const indexes = () => leadIndexesBesidesFirstUse(db);
    expect(indexes()).toEqual(expect.arrayContaining([...DROPPED_STORE_COLUMN_INDEXES, 'leads_g_scores']));
    const before = indexes().length;
    migrate(db, MIGRATIONS);
    expect(migration0540GridStoreDates.version).toBe(540);
    expect(indexes().filter((n) => (DROPPED_STORE_COLUMN_INDEXES as readonly string[]).includes(n))).toEqual([]);
    expect(indexes().length).toBe(before - DROPPED_STORE_COLUMN_INDEXES.length);
    const columns = 'id, score_total, grade, segment, is_mql, created_at, updated_at, last_activity_at, company_size';
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN SELECT ${columns} FROM leads INDEXED BY leads_g_scores`).all() as {
        detail: string;
      }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toMatch(/SCAN leads USING COVERING INDEX leads_g_scores/);
    expect(db.prepare(`SELECT ${columns} FROM leads INDEXED BY leads_g_scores ORDER BY id`).all()).toEqual([
      {
        id: 1,
        score_total: 80,
        grade: 'A1',
        segment: 'Hot',
        is_mql: 1,
        created_at: 10,
        updated_at: 11,
        last_activity_at: 12,
        company_size: 250,
      },
      {
        id: 2,
        score_total: null,
        grade: null,
        segment: null,
        is_mql: 0,
        created_at: 20,
        updated_at: 21,
        last_activity_at: null,
        company_size: null,
      },
    ]);
    db.close();
  });
});

describe('migration 0550-first-use-indexes', () => {
  it('drops the indexes of hidden columns no lead fills, keeps those of filled ones; first use builds one back', () => {
    const db = workspaceBefore(550);
    db.prepare(
      `INSERT INTO leads (id, uid, country, city, created_at, updated_at)
       VALUES (1, 'u1', 'DE', NULL, 0, 0), (2, 'u2', 'FR', NULL, 0, 0), (3, 'u3', NULL, NULL, 0, 0)`,
    ).run();
    const indexSql = (name: string) =>
      db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?").pluck().get(name) as
        string | undefined;
    const declared = Object.fromEntries([...FIRST_USE_INDEXED_COLUMNS].map((c) => [c, indexSql(`leads_g_${c}`)]));
    expect(Object.values(declared).every((sql) => sql !== undefined)).toBe(true);
    migrate(db, MIGRATIONS);
    expect(migration0550FirstUseIndexes.version).toBe(550);
    // country is filled: kept as 0040 made it; the others (city among them) are gone.
    expect(indexSql('leads_g_country')).toBe(declared.country);
    for (const c of FIRST_USE_INDEXED_COLUMNS) if (c !== 'country') expect(indexSql(`leads_g_${c}`)).toBeUndefined();
    expect(indexSql('leads_g_company_website')).toBeUndefined();
    // The grid's first use of city builds its index again, the same as 0040 declared it;
    // website's builds the (company, website) pair of 0080 with it.
    ensureGridIndexes(db, ['city']);
    expect(indexSql('leads_g_city')?.replace(' IF NOT EXISTS', '')).toBe(declared.city);
    ensureGridIndexes(db, ['website']);
    expect(indexSql('leads_g_company_website')).toMatch(/ON leads\(company COLLATE NOCASE, website COLLATE NOCASE\)/);
    const plan = (
      db.prepare('EXPLAIN QUERY PLAN SELECT id FROM leads ORDER BY city COLLATE NOCASE LIMIT 5').all() as {
        detail: string;
      }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toMatch(/SCAN leads USING (COVERING )?INDEX leads_g_city/);
    db.close();
  });
});

describe('migration 0610-first-use-grid', () => {
  const indexSql = (db: Database.Database, name: string) =>
    db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?").pluck().get(name) as
      string | undefined;
  const hasSearch = (db: Database.Database) =>
    db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'leads_search'").get() !== undefined;

  it('an empty workspace gives up the grid indexes and the search table; first use builds them as declared', () => {
    const db = workspaceBefore(610);
    const declared = Object.fromEntries(FIRST_USE_GRID_INDEXES.map((i) => [i.name, indexSql(db, i.name)]));
    expect(Object.values(declared).every((sql) => sql !== undefined)).toBe(true);
    expect(hasSearch(db)).toBe(true);
    migrate(db, MIGRATIONS);
    expect(migration0610FirstUseGrid.version).toBe(610);
    for (const i of FIRST_USE_GRID_INDEXES) expect(indexSql(db, i.name)).toBeUndefined();
    expect(hasSearch(db)).toBe(false);
    const triggers = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'leads_search%'");
    expect(triggers.pluck().all()).toEqual([]);
    // Kept at import: uniqueness, the score store's index, the suppressed count's, follow-up's.
    expect(indexSql(db, 'leads_g_scores')).toBeDefined();
    expect(indexSql(db, 'leads_g_suppressed_reason')).toBeDefined();
    expect(indexSql(db, 'leads_owner_stage')).toBeDefined();
    expect(indexSql(db, 'leads_email_norm')).toBeDefined();
    // A view sorting by company builds company's index; one filtering stage sorted by SLA due the pair too.
    ensureGridIndexes(db, ['company']);
    expect(indexSql(db, 'leads_g_company')?.replace(' IF NOT EXISTS', '')).toBe(declared.leads_g_company);
    expect(indexSql(db, 'leads_g_stage_sla_due_at')).toBeUndefined();
    ensureGridIndexes(db, ['stage', 'sla_due_at']);
    expect(indexSql(db, 'leads_g_stage')?.replace(' IF NOT EXISTS', '')).toBe(declared.leads_g_stage);
    expect(indexSql(db, 'leads_g_stage_sla_due_at')?.replace(' IF NOT EXISTS', '')).toBe(
      declared.leads_g_stage_sla_due_at,
    );
    db.close();
  });

  it('an upgraded workspace keeps the indexes of the columns its leads fill, and its search table', () => {
    const db = workspaceBefore(610);
    db.prepare(
      `INSERT INTO leads (id, uid, email, company, created_at, updated_at)
       VALUES (1, 'u1', 'jo@acme.com', 'Acme', 0, 0), (2, 'u2', NULL, 'Beta', 0, 0)`,
    ).run();
    migrate(db, MIGRATIONS);
    for (const kept of ['leads_g_email', 'leads_g_id_email', 'leads_g_company', 'leads_g_stage']) {
      expect(indexSql(db, kept)).toBeDefined();
    }
    for (const dropped of [
      'leads_g_title',
      'leads_g_name',
      'leads_g_id_name',
      'leads_g_owner_name',
      'leads_g_lead_key',
    ]) {
      expect(indexSql(db, dropped)).toBeUndefined();
    }
    expect(hasSearch(db)).toBe(true);
    expect(db.prepare(`SELECT rowid FROM leads_search WHERE leads_search MATCH '"acme"'`).pluck().all()).toEqual([1]);
    db.close();
  });

  it('the first search builds the table from every lead, and its triggers keep it current', () => {
    const db = workspaceBefore(610);
    migrate(db, MIGRATIONS);
    db.prepare(
      `INSERT INTO leads (id, uid, first_name, last_name, email, company, created_at, updated_at)
       VALUES (1, 'u1', 'Jo', 'Smith', 'jo@acme.com', 'Acme', 0, 0), (2, 'u2', 'Li', 'Wu', 'li@beta.io', 'Beta', 0, 0)`,
    ).run();
    expect(ensureLeadSearch(db)).toBe(true);
    expect(ensureLeadSearch(db)).toBe(false);
    const match = (q: string) =>
      db.prepare('SELECT rowid FROM leads_search WHERE leads_search MATCH ? ORDER BY rowid').pluck().all(q);
    expect(match('"smith"')).toEqual([1]);
    expect(match('"beta"')).toEqual([2]);
    db.prepare(
      "INSERT INTO leads (id, uid, first_name, company, created_at, updated_at) VALUES (3, 'u3', 'Ann', 'Acme Beta', 0, 0)",
    ).run();
    db.prepare("UPDATE leads SET company = 'Gamma', email = 'jo@gamma.com' WHERE id = 1").run();
    db.prepare('DELETE FROM leads WHERE id = 2').run();
    expect(match('"acme"')).toEqual([3]);
    expect(match('"beta"')).toEqual([3]);
    expect(match('"gamma"')).toEqual([1]);
    db.close();
  });
});
