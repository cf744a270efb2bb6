/**
 * Custom field indexes named by slot (lead-query-sql.ts customFieldIndexName, migration 0960).
 * Named before by the hex of the field's name cut at 60 bytes, a long name read back as a cut
 * one (a phantom grid column) and two long names sharing a prefix shared one index. Fields here:
 * a 200-character name, a Unicode name longer than 60 bytes, and two long names that differ
 * only after their first 100 characters. Sorting and filtering by each gives the rows of the
 * plain query (the same SQL with no index), through an index on that field's own slot.
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { legacyCustomFieldIndexName } from '../../../electron/backend/db/migrations/0960-custom-index-slot-names';
import { openWorkspaceDb } from '../../../electron/backend/db/open';
import { customEncoder, customSlots } from '../../../electron/backend/services/leads/custom-store';
import {
  gridMeta,
  leadsQuery,
  pagePlan,
  querySqlOptions,
  type LeadPageArgs,
} from '../../../electron/backend/services/leads/grid';
import { buildLeadQuerySql } from '../../../electron/backend/services/leads/lead-query-sql';
import type { LeadFilter } from '../../../shared/contract/leads';
import { tempDir, workspaceAtSchema } from '../helpers';

const LONG = 'How did you first hear about our training programmes and which of them '.repeat(3).slice(0, 200);
const UNICODE = 'Größe des Budgets — 予算の見積もり 💼 (Schätzung, netto, ohne MwSt., in €)';
const PREFIX = 'Estimated number of seats the customer will need in the first year of the contract, '.padEnd(100, '.');
const SHARED_A = `${PREFIX} (sales estimate)`;
const SHARED_B = `${PREFIX} (customer estimate)`;
const FIELDS = [LONG, UNICODE, SHARED_A, SHARED_B];
const LEADS = 400;
const WORDS = ['alpha', 'Bravo', 'charlie', 'Delta', 'echo', 'Foxtrot', 'golf', 'Hotel', 'india', 'Juliett', 'kilo'];

/** Each field's value of lead i: its own order (a different step per field), some blank, mixed case. */
function valueOf(field: number, i: number): string | null {
  if ((i + field) % 9 === 0) return null;
  return `${WORDS[(i * (3 + 2 * field)) % WORDS.length]} ${(i * (7 + field)) % 13}`;
}

function addLeads(db: Database.Database): void {
  const insert = db.prepare(
    'INSERT INTO leads (uid, email_norm, custom, created_at, updated_at) VALUES (?, ?, ?, 0, 0)',
  );
  db.transaction(() => {
    const encoder = customEncoder(db);
    for (let i = 0; i < LEADS; i++) {
      const values = Object.fromEntries(FIELDS.map((f, k) => [f, valueOf(k, i)]));
      insert.run(`u${i}`, `p${i}@x.example`, encoder.encode(values));
    }
  })();
}

const page: LeadPageArgs = { filters: [], search: '', sort: null, offset: 0, limit: 50, withTotal: true };

/** The view's ids by the same SQL with no index at all. */
function plainIds(db: Database.Database, args: LeadPageArgs): { ids: number[]; total: number } {
  const q = buildLeadQuerySql(args, querySqlOptions(db));
  const ids = db
    .prepare(`SELECT leads.id FROM leads NOT INDEXED WHERE ${q.where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...q.params, args.limit, args.offset) as number[];
  const total = db
    .prepare(`SELECT count(*) FROM leads NOT INDEXED WHERE ${q.where}`)
    .pluck()
    .get(...q.params) as number;
  return { ids, total };
}

/** The views checked for each field: sorts both ways and deep, value lists, substrings, blanks, crossed with another field. */
function views(field: string, other: string): LeadPageArgs[] {
  const col = `custom.${field}`;
  const inList: LeadFilter = { column: col, op: 'in', values: ['bravo 3', 'ECHO 5', 'golf 0', 'kilo 12'] };
  return [
    { ...page, sort: { column: col, dir: 'asc' } },
    { ...page, sort: { column: col, dir: 'desc' } },
    { ...page, sort: { column: col, dir: 'asc' }, offset: 300 },
    { ...page, filters: [inList] },
    { ...page, filters: [inList], sort: { column: col, dir: 'desc' } },
    { ...page, filters: [{ column: col, op: 'contains', value: 'lta' }], sort: { column: col, dir: 'asc' } },
    { ...page, filters: [{ column: col, op: 'blank' }], sort: { column: col, dir: 'asc' } },
    { ...page, filters: [{ column: col, op: 'not-blank' }], sort: { column: `custom.${other}`, dir: 'desc' } },
    {
      ...page,
      filters: [{ column: `custom.${other}`, op: 'contains', value: 'o 1' }],
      sort: { column: col, dir: 'asc' },
    },
  ];
}

/** The index a sort by `field` reads, from the query plan, and its SQL. */
function sortIndexSql(db: Database.Database, field: string): string {
  const plan = pagePlan(db, { ...page, sort: { column: `custom.${field}`, dir: 'asc' } });
  const detail = (
    db.prepare(`EXPLAIN QUERY PLAN SELECT leads.id ${plan.from} LIMIT 50`).all(...plan.params) as { detail: string }[]
  )
    .map((r) => r.detail)
    .join('\n');
  const index = /USING (?:COVERING )?INDEX (\S+)/.exec(detail)?.[1];
  expect(index, detail).toBeDefined();
  return db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?").pluck().get(index) as string;
}

function expectExact(db: Database.Database): void {
  const slotOf = customSlots(db).slotOf;
  FIELDS.forEach((field, k) => {
    const other = FIELDS[(k + 1) % FIELDS.length]!;
    for (const args of views(field, other)) {
      const res = leadsQuery(db, args);
      const plain = plainIds(db, args);
      expect(plain.ids.length, JSON.stringify(args)).toBeGreaterThan(0);
      expect(
        res.rows.map((r) => r.id),
        JSON.stringify(args),
      ).toEqual(plain.ids);
      expect(res.total, JSON.stringify(args)).toBe(plain.total);
    }
    // Its sort reads an index on its own slot's value.
    expect(sortIndexSql(db, field)).toContain(`json_extract(custom, '$[${slotOf.get(field)}]')`);
  });
  // One index per field, and the grid lists each field once under its whole name.
  const cf = db
    .prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND sql LIKE '%json_extract(custom, ''$[%'")
    .pluck()
    .get();
  expect(cf).toBe(FIELDS.length);
  const custom = gridMeta(db)
    .columns.filter((c) => c.custom)
    .map((c) => c.key);
  expect(custom.sort()).toEqual(FIELDS.map((f) => `custom.${f}`).sort());
}

describe('custom field indexes named by slot', () => {
  it('sort and filter by long, Unicode and prefix-sharing field names exactly as the plain query', () => {
    expect(new TextEncoder().encode(UNICODE).length).toBeGreaterThan(60);
    expect(SHARED_A.slice(0, 100)).toBe(SHARED_B.slice(0, 100));
    const db = openWorkspaceDb(join(tempDir(), 'names.leadbench'), { create: true });
    addLeads(db);
    expectExact(db);
    db.close();
  });
});

describe('migration 0960-custom-index-slot-names', () => {
  /** A file at the schema before 0960 with the leads and the indexes the grid built under the old names. */
  function workspaceBefore(): string {
    const path = join(tempDir(), 'before-0960.leadbench');
    const db = workspaceAtSchema(path, (m) => m.version < 960);
    addLeads(db);
    const slotOf = customSlots(db).slotOf;
    // As ensureGridIndexes named them: SHARED_B's name is SHARED_A's, so it got no index of its own.
    for (const field of FIELDS) {
      db.exec(
        `CREATE INDEX IF NOT EXISTS "${legacyCustomFieldIndexName(field)}" ON leads(json_extract(custom, '$[${slotOf.get(field)}]') COLLATE NOCASE)`,
      );
    }
    const names = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'leads\\_cf\\_%' ESCAPE '\\'")
      .pluck()
      .all();
    expect(names).toHaveLength(3);
    db.close();
    return path;
  }

  it('builds each old index again under its slot name, from its own SQL', () => {
    const db = openWorkspaceDb(workspaceBefore());
    const slotOf = customSlots(db).slotOf;
    const indexes = db
      .prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql LIKE '%json_extract(custom%' ORDER BY name",
      )
      .all() as { name: string; sql: string }[];
    const expected = [LONG, UNICODE, SHARED_A].map((f) => slotOf.get(f)!).sort();
    expect(indexes.map((i) => i.name)).toEqual(expected.map((s) => `leads_cfs_${s}`).sort());
    for (const i of indexes) expect(i.sql).toContain(`'$[${i.name.slice('leads_cfs_'.length)}]'`);
    expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    // SHARED_B's index is built on its first sort.
    expectExact(db);
    db.close();
  });
});
