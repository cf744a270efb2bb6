/**
 * Date order at import (#13 item 5): the order the file's dates prove (25/12/2025 is day
 * first) is shown before the import and reported after it, the user can switch it (wizard
 * option, CLI --date-order), and rows whose dates read both ways (05/12/2026) are counted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/backend/cli';
import { openWorkspaceDb } from '../../../electron/backend/db/open';
import { FIXTURES, REAL_DATA, tempBackend, tempDir } from '../helpers';

const FILE = join(FIXTURES, 'import', 'dates-both-ways.csv');
const OLIST_MQL = join(REAL_DATA, 'olist_marketing_qualified_leads.csv');

function clickedAt(db: { prepare: (sql: string) => { pluck: () => { get: () => unknown } } }): unknown {
  return db.prepare("SELECT occurred_at FROM activities WHERE type = 'email_click'").pluck().get();
}

describe('date order at import', () => {
  it('profiles the detected order and the rows that read both ways', async () => {
    const b = tempBackend();
    const profile = await b.invoke('import-profile', { path: FILE });
    expect(profile.dates).toEqual({
      detected: 'dmy',
      ambiguousRows: 2,
      examples: [
        { row: 3, column: 'Date', value: '05/12/2026' },
        { row: 5, column: 'Date', value: '03/04/2026 09:00' },
      ],
    });
  });

  it('reads dates in the detected order unless the user switches it, and reports both', async () => {
    const detected = tempBackend();
    const s = await detected.invoke('import-run', { path: FILE, options: { kind: 'activities' } });
    expect(s).toMatchObject({ errors: 0, dates: { order: 'dmy', chosen: false, ambiguousRows: 2 } });
    // The rows' dates as stored: 25/12/2025 14:30 the first, 05/12/2026 (5 December) the last.
    expect(s.dates.range).toEqual({ first: Date.UTC(2025, 11, 25, 14, 30), last: Date.UTC(2026, 11, 5) });
    expect(clickedAt(detected.context.db())).toBe(Date.UTC(2026, 11, 5));

    const switched = tempBackend();
    const m = await switched.invoke('import-run', { path: FILE, options: { kind: 'activities', dateOrder: 'mdy' } });
    expect(m).toMatchObject({ errors: 0, dates: { order: 'mdy', chosen: true, ambiguousRows: 2 } });
    // Month first, 05/12/2026 is 12 May: the last date of the rows.
    expect(m.dates.range).toEqual({ first: Date.UTC(2025, 11, 25, 14, 30), last: Date.UTC(2026, 4, 12) });
    expect(clickedAt(switched.context.db())).toBe(Date.UTC(2026, 4, 12));
    // A date only one order can read is read that way whatever the choice.
    const christmas = switched.context
      .db()
      .prepare("SELECT count(*) FROM activities WHERE occurred_at = ? AND type = 'page_visit'")
      .pluck()
      .get(Date.UTC(2025, 11, 25, 14, 30));
    expect(christmas).toBe(1);
  });

  it('counts the dates that read both ways once: the wizard’s profile and the import’s summary agree', async () => {
    const b = tempBackend();
    const fixture = await b.invoke('import-profile', { path: FILE });
    const fixtureRun = await b.invoke('import-run', { path: FILE, options: { kind: 'activities' } });
    expect(fixtureRun.dates.ambiguousRows).toBe(fixture.dates.ambiguousRows);
    expect(fixture.dates.ambiguousRows).toBe(2);

    // Olist's marketing-qualified leads: first contact dates written 01-02-2018, 8,000 rows.
    const rows = Papa.parse<Record<string, string>>(readFileSync(OLIST_MQL, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const bothWays = rows.filter((r) => {
      const [d, m] = (r.first_contact_date ?? '').split('-').map(Number);
      return d !== m && d! >= 1 && d! <= 12 && m! >= 1 && m! <= 12;
    }).length;
    expect(bothWays).toBeGreaterThan(1000);
    const profile = await b.invoke('import-profile', { path: OLIST_MQL });
    expect(profile.dates).toMatchObject({ detected: 'dmy', ambiguousRows: bothWays });
    const run = await b.invoke('import-run', { path: OLIST_MQL, options: { kind: 'leads' } });
    expect(run).toMatchObject({ errors: 0, dates: { ambiguousRows: bothWays } });
  });

  it('takes --date-order on the command line and says how it read the dates', async () => {
    const ws = join(tempDir(), 'cli.leadbench');
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const code = await runCli(['import', FILE, '--db', ws, '--kind', 'activities', '--date-order', 'mdy'], io);
    expect(code, out.join('\n')).toBe(0);
    expect(out.join('\n')).toContain(
      'Dates       month first (chosen); 2 rows have dates that read both ways (e.g. 05/12/2026): --date-order dmy reads them the other way',
    );
    expect(out.join('\n')).toContain('Dated       2025-12-25 to 2026-05-12');
    const db = openWorkspaceDb(ws);
    try {
      expect(clickedAt(db)).toBe(Date.UTC(2026, 4, 12));
    } finally {
      db.close();
    }

    const err: string[] = [];
    const bad = await runCli(['import', FILE, '--db', ws, '--date-order', 'ymd'], {
      out: () => undefined,
      err: (l) => err.push(l),
    });
    expect(bad).not.toBe(0);
    expect(err.join('\n')).toContain('--date-order ymd: write dmy (day first, 31/12/2025) or mdy');
  });
});
