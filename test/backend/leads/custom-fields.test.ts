/**
 * Typed custom fields on the real X Education file: each column gets a type from all its
 * values, values are stored typed, and the grid sorts, filters and counts them by that type
 * through the field's expression index. Migration 0120 types workspaces imported before.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../../electron/backend/db/migrations';
import { openWorkspaceDb } from '../../../electron/backend/db/open';
import {
  distinctValues,
  gridMeta,
  leadsQuery,
  pagePlan,
  type LeadPageArgs,
} from '../../../electron/backend/services/leads/grid';
import { cli, XEDUCATION, xeducationRows, xeducationWorkspace } from '../helpers';
import { customSlots, decodeCustom } from '../../../electron/backend/services/leads/custom-store';

const rows = xeducationRows();
const TIME = 'custom.Total Time Spent on Website';
const page: LeadPageArgs = { filters: [], search: '', sort: null, offset: 0, limit: 20, withTotal: true };
const times = rows.map((r) => Number(r['Total Time Spent on Website']));

describe('X Education custom fields, typed', () => {
  let ws = '';
  beforeAll(async () => {
    ws = await xeducationWorkspace();
  });

  it('types each column from all its values; labels never repeat a standard field', async () => {
    const db = openWorkspaceDb(ws);
    try {
      const cols = new Map(gridMeta(db).columns.map((c) => [c.key, c]));
      expect(cols.get(TIME)?.kind).toBe('number');
      expect(cols.get('custom.Page Views Per Visit')?.kind).toBe('number');
      expect(cols.get('custom.Do Not Email')?.kind).toBe('bool');
      expect(cols.get('custom.Lead Quality')?.kind).toBe('enum');
      expect(cols.get('custom.Tags')?.label).toBe('Tags (from file)');
      const labels = [...cols.values()].map((c) => c.label.toLowerCase());
      expect(new Set(labels).size).toBe(labels.length);
      // "Select" is no data: Specialization keeps only chosen values.
      const specs = distinctValues(db, 'custom.Specialization', '', 100);
      expect(specs.some((v) => v.value === 'Select')).toBe(false);
      const chosen = rows.filter((r) => r.Specialization && r.Specialization !== 'Select').length;
      expect(specs.reduce((n, v) => n + (v.value === null ? 0 : v.count), 0)).toBe(chosen);
    } finally {
      db.close();
    }
  });

  it('sorts "Total Time Spent on Website" as numbers: descending starts at 2272', () => {
    const db = openWorkspaceDb(ws);
    try {
      const desc = leadsQuery(db, { ...page, sort: { column: TIME, dir: 'desc' } });
      const expected = [...times].sort((a, b) => b - a);
      expect(expected[0]).toBe(2272);
      expect(desc.rows.map((r) => r.custom['Total Time Spent on Website'])).toEqual(expected.slice(0, 20));
      const asc = leadsQuery(db, { ...page, sort: { column: TIME, dir: 'asc' }, limit: 3 });
      expect(asc.rows.map((r) => r.custom['Total Time Spent on Website'])).toEqual([0, 0, 0]);
    } finally {
      db.close();
    }
  });

  it('filters it by range, counted and served by the field index', () => {
    const db = openWorkspaceDb(ws);
    try {
      const args: LeadPageArgs = {
        ...page,
        filters: [{ column: TIME, op: 'range', min: 1000, max: 1500 }],
        sort: { column: TIME, dir: 'desc' },
      };
      const res = leadsQuery(db, args);
      expect(res.total).toBe(times.filter((t) => t >= 1000 && t <= 1500).length);
      expect(res.rows[0]!.custom['Total Time Spent on Website']).toBe(Math.max(...times.filter((t) => t <= 1500)));
      const plan = pagePlan(db, args);
      const explained = db.prepare(`EXPLAIN QUERY PLAN SELECT leads.id ${plan.from} LIMIT 20`).all(...plan.params) as {
        detail: string;
      }[];
      expect(explained.map((e) => e.detail).join(' ')).toMatch(/USING (COVERING )?INDEX leads_cfs_\d+\b/);
      // Yes/no: "Do Not Email" = Yes.
      const yes = leadsQuery(db, { ...page, filters: [{ column: 'custom.Do Not Email', op: 'in', values: ['true'] }] });
      expect(yes.total).toBe(rows.filter((r) => r['Do Not Email'] === 'Yes').length);
    } finally {
      db.close();
    }
  });

  it('a second import of the same file changes nothing (typed values compare equal)', async () => {
    const again = await cli('import', XEDUCATION, '--db', ws, '--json');
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.out) as { updated: number; unchanged: number };
    expect(summary.updated).toBe(0);
    expect(summary.unchanged).toBe(9240);
  });
});

describe('migration 0120-custom-field-types', () => {
  it('types the custom values of a workspace imported before, dropping placeholders', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 120),
    );
    const insert = db.prepare('INSERT INTO leads (uid, custom, created_at, updated_at) VALUES (?, ?, 0, 0)');
    const customs = [
      { Time: '998', Opt: 'Yes', Seen: '2024-03-05', City: 'Select', Tag: 'a', Note: 'first' },
      { Time: '2272', Opt: 'No', Seen: '2024-03-07', City: 'Pune', Tag: 'b', Note: 'second' },
      { Time: '15', Opt: '--', Seen: '', City: 'Pune', Tag: 'a', Note: 'third' },
      { Time: '1,200', Opt: 'No', Seen: '2024-04-01', City: 'Pune', Tag: 'a', Note: 'fourth' },
    ];
    customs.forEach((c, i) => insert.run(`u${i}`, JSON.stringify(c)));
    migrate(db, MIGRATIONS);
    const types = Object.fromEntries(
      (db.prepare('SELECT name, type FROM custom_fields').all() as { name: string; type: string }[]).map((r) => [
        r.name,
        r.type,
      ]),
    );
    expect(types).toEqual({
      Time: 'number',
      Opt: 'bool',
      Seen: 'date',
      City: 'category',
      Tag: 'category',
      Note: 'text',
    });
    const stored = (db.prepare('SELECT custom FROM leads ORDER BY id').pluck().all() as string[]).map((c) =>
      decodeCustom(customSlots(db), c),
    );
    expect(stored.map((c) => c.Time)).toEqual([998, 2272, 15, 1200]);
    expect(stored.map((c) => c.Opt)).toEqual([true, false, undefined, false]);
    expect(stored[0]!.Seen).toBe(Date.UTC(2024, 2, 5));
    expect(stored[0]!.City).toBeUndefined();
    expect(stored[3]!.Note).toBe('fourth');
    db.close();
  });
});
