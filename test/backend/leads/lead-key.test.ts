/**
 * Leads told apart by their import key (X Education: "Prospect ID", no name or email): the
 * key is the lead's label, a grid column, found by quick search and by `explain`, and a
 * default export carries it. Migration 0110 fills it for workspaces that had keys before.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../../electron/backend/db/migrations';
import { openWorkspaceDb } from '../../../electron/backend/db/open';
import { leadsQuery, type LeadPageArgs } from '../../../electron/backend/services/leads/grid';
import { setLeadKeyName } from '../../../electron/backend/services/leads/lead-key';
import { cli, tempDir, xeducationRows, xeducationWorkspace } from '../helpers';

const rows = xeducationRows();
const page: LeadPageArgs = { filters: [], search: '', sort: null, offset: 0, limit: 50, withTotal: true };

describe('X Education keyed by Prospect ID', () => {
  let ws = '';
  beforeAll(async () => {
    ws = await xeducationWorkspace();
  });

  it('explain finds a lead by its Prospect ID', async () => {
    const lead = rows[4321]!;
    const explained = await cli('explain', '--db', ws, lead['Prospect ID']!);
    expect(explained.code).toBe(0);
    expect(explained.out.split('\n')[0]).toMatch(new RegExp(`^${lead['Prospect ID']}: model "Default"`));
    const missing = await cli('explain', '--db', ws, 'no-such-prospect');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('No lead matches "no-such-prospect"');
  });

  it('exports the key column by default, headed by its name, one value per lead', async () => {
    const out = join(tempDir(), 'all.csv');
    expect((await cli('export', '--db', ws, '--all', '--out', out)).code).toBe(0);
    const sheet = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8').replace(/^\uFEFF/, ''), {
      header: true,
      skipEmptyLines: true,
    });
    expect(sheet.meta.fields).toContain('Prospect ID');
    const exported = new Set(sheet.data.map((r) => r['Prospect ID']));
    expect(exported.size).toBe(9240);
    expect(rows.every((r) => exported.has(r['Prospect ID']))).toBe(true);
  });

  it('labels every grid row by its key, sorts and quick-searches the key column', () => {
    const db = openWorkspaceDb(ws);
    try {
      const first = leadsQuery(db, page);
      expect(first.total).toBe(9240);
      for (const r of first.rows) {
        expect(r.label).toBe(r.lead_key);
        expect(r.label).toMatch(/^[0-9a-f]{8}-/);
      }
      const ids = rows.map((r) => r['Prospect ID']!).sort((a, b) => a.localeCompare(b, 'en'));
      const sorted = leadsQuery(db, { ...page, sort: { column: 'lead_key', dir: 'asc' }, limit: 3 });
      expect(sorted.rows.map((r) => r.lead_key)).toEqual(ids.slice(0, 3));
      const wanted = rows[777]!['Prospect ID']!;
      const found = leadsQuery(db, { ...page, search: wanted });
      expect(found.rows.map((r) => r.lead_key)).toEqual([wanted]);
      const prefix = leadsQuery(db, { ...page, search: wanted.slice(0, 8).toUpperCase() });
      expect(prefix.rows.map((r) => r.lead_key)).toContain(wanted);
    } finally {
      db.close();
    }
  });

  it('shows leads by another column when asked (Lead Number), and finds them by it', async () => {
    const db = openWorkspaceDb(ws);
    try {
      expect(setLeadKeyName(db, 'Lead Number')).toBe(9240);
      const lead = rows[10]!;
      const found = leadsQuery(db, { ...page, search: lead['Lead Number']! });
      expect(found.rows[0]!.label).toBe(lead['Lead Number']);
    } finally {
      db.close();
    }
    const explained = await cli('explain', '--db', ws, rows[10]!['Prospect ID']!);
    expect(explained.out.split('\n')[0]).toMatch(new RegExp(`^${rows[10]!['Lead Number']}: model`));
  });
});

describe('migration 0110-lead-key', () => {
  it('fills lead_key from the most common key name and records that name', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 110),
    );
    db.prepare(
      `INSERT INTO leads (id, uid, email, created_at, updated_at) VALUES
         (1, 'u1', NULL, 0, 0), (2, 'u2', NULL, 0, 0), (3, 'u3', 'jo@acme.com', 0, 0), (4, 'u4', NULL, 0, 0),
         (5, 'u5', NULL, 0, 0)`,
    ).run();
    db.prepare(
      `INSERT INTO lead_keys (lead_id, key_name, key_value) VALUES
         (1, 'Prospect ID', 'p-1'), (2, 'Prospect ID', 'p-2'), (2, 'CRM id', 'c-2'), (3, 'CRM id', 'c-3'),
         (4, 'Prospect ID', 'p-4')`,
    ).run();
    migrate(db, MIGRATIONS);
    expect(db.prepare('SELECT lead_key FROM leads ORDER BY id').pluck().all()).toEqual([
      'p-1',
      'p-2',
      'c-3',
      'p-4',
      null,
    ]);
    expect(db.prepare("SELECT value FROM workspace_meta WHERE key = 'lead_key_name'").pluck().get()).toBe(
      'Prospect ID',
    );
    expect(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'leads_g_lead_key'").get()).toBeDefined();
    db.close();
  });
});
