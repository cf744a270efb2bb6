/**
 * A fresh grid's columns (services/leads/default-columns.ts): the lead's label, the built-in
 * person columns some lead fills, the file's own informative columns, then the app's. On the
 * real X Education file (keyed only by "Prospect ID") the key is the label column, not a Name
 * column repeating it, and Email / Company / Job title, empty for every lead, are not shown.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempBackend, XEDUCATION, xeducationRows } from '../helpers';

const SCORE_COLUMNS = ['score_total', 'segment', 'grade'];
const APP_COLUMNS = ['owner_name', 'stage', 'score_fit', 'score_engagement', 'last_activity_at', 'sla_due_at'];

describe('default grid columns', () => {
  it('on a key-only file: the key as label, no empty person columns, the file\u2019s informative columns', async () => {
    const backend = tempBackend();
    const run = await backend.invoke('import-run', {
      path: XEDUCATION,
      options: { kind: 'leads', blankPlaceholders: true, outcome: { column: 'Converted', won: ['1'] } },
    });
    expect(run).toMatchObject({ status: 'done', inserted: 9240 });
    const meta = await backend.invoke('leads-columns', {});
    const label = (key: string) => meta.columns.find((c) => c.key === key)!.label;
    const defaults = meta.defaultColumns;

    expect(defaults.slice(0, 4)).toEqual(['lead_key', ...SCORE_COLUMNS]);
    expect(label('lead_key')).toBe('Prospect ID');
    // Wide enough for the whole 36-character ID, where the usual key column holds 200 px.
    expect(meta.columns.find((c) => c.key === 'lead_key')!.width).toBeGreaterThanOrEqual(36 * 7.5);
    for (const empty of ['name', 'email', 'company', 'title']) expect(defaults).not.toContain(empty);
    // The file's own columns, by their headers: filled for most leads and varied.
    const file = defaults.slice(4, -APP_COLUMNS.length);
    // Text columns in file order ("Last Activity" is named apart from the app's own column).
    expect(file.map(label)).toEqual([
      'Lead Origin',
      'Lead source',
      'Last Activity (from file)',
      'Specialization',
      'Tags (from file)',
    ]);
    // Checked against the file itself: each is filled on at least half the rows ("Select" is a
    // blank placeholder); "Do Not Email" (92% "No") and Country (96% India) say little.
    const rows = xeducationRows();
    const filled = (h: string) => rows.filter((r) => r[h] && r[h] !== 'Select');
    for (const h of ['Lead Origin', 'Lead Source', 'Last Activity', 'Specialization', 'Tags']) {
      expect(filled(h).length / rows.length, h).toBeGreaterThanOrEqual(0.5);
    }
    const share = (h: string, v: string) => filled(h).filter((r) => r[h] === v).length / filled(h).length;
    expect(share('Do Not Email', 'No')).toBeGreaterThan(0.8);
    expect(share('Country', 'India')).toBeGreaterThan(0.8);
    expect(defaults).not.toContain('custom.Do Not Email');
    expect(defaults).not.toContain('country');
    // "Lead Number" differs on every lead: an identifier, not an informative column.
    expect(defaults).not.toContain('custom.Lead Number');
    expect(defaults.slice(-APP_COLUMNS.length)).toEqual(APP_COLUMNS);
    // The catalog's defaultVisible says the same.
    expect(
      meta.columns
        .filter((c) => c.defaultVisible)
        .map((c) => c.key)
        .sort(),
    ).toEqual([...defaults].sort());
  });

  it('on a file with people: name, email, company and title, as before', async () => {
    const backend = tempBackend();
    await backend.invoke('import-run', {
      path: join(REPO_ROOT, 'resources/samples/starter-leads.csv'),
      options: { kind: 'leads' },
    });
    const { defaultColumns } = await backend.invoke('leads-columns', {});
    expect(defaultColumns.slice(0, 7)).toEqual(['name', ...SCORE_COLUMNS, 'email', 'company', 'title']);
    // First and last name are the label already; no column repeats them.
    expect(defaultColumns).not.toContain('first_name');
    expect(defaultColumns).not.toContain('last_name');
    expect(defaultColumns.slice(-APP_COLUMNS.length)).toEqual(APP_COLUMNS);
  });

  it('on an empty workspace: the person columns, ready for the first import', async () => {
    const { defaultColumns } = await tempBackend().invoke('leads-columns', {});
    expect(defaultColumns.slice(0, 7)).toEqual(['name', ...SCORE_COLUMNS, 'email', 'company', 'title']);
  });
});
