/** Reading files: encodings, delimiters, quoting, XLSX sheets, multi-section exports, bad files. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Lead } from '../../../shared/domain';
import { FIXTURES, tempBackend } from '../helpers';
import { customSlots, decodeCustom } from '../../../electron/backend/services/leads/custom-store';

const F = (name: string) => join(FIXTURES, 'import', name);

type LeadRow = Omit<Lead, 'custom'> & { custom: string };

/** The leads as stored, their custom values decoded (custom-store.ts). */
function leadsOf(b: ReturnType<typeof tempBackend>): Lead[] {
  const db = b.context.db();
  const rows = db.prepare('SELECT * FROM leads ORDER BY id').all() as LeadRow[];
  return rows.map((r) => ({ ...r, custom: decodeCustom(customSlots(db), r.custom) }));
}

async function errorCode(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a failure');
}

describe('encodings and delimiters', () => {
  it.each([
    ['utf8.csv', 'utf-8', ','],
    ['utf8-bom.csv', 'utf-8', ','],
    ['utf16le.csv', 'utf-16le', ','],
    ['utf16be.csv', 'utf-16be', ','],
    ['windows-1252.csv', 'windows-1252', ','],
    ['semicolon.csv', 'utf-8', ';'],
    ['tab.tsv', 'utf-8', '\t'],
    ['pipe.txt', 'utf-8', '|'],
  ])('%s is read as %s with %j and stores accents and the euro sign', async (file, encoding, delimiter) => {
    const b = tempBackend();
    const info = await b.invoke('import-inspect', { path: F(file) });
    expect(info.encoding).toBe(encoding);
    expect(info.delimiter).toBe(delimiter);
    expect(info.headers).toEqual(['Email', 'First Name', 'Last Name', 'Company', 'Job Title', 'Notes']);
    expect(info.kind).toBe('leads');

    // A file that is not UTF-8 imports once its encoding is named (confirmed; bad-files.test.ts).
    const confirmed = encoding === 'windows-1252' ? ({ encoding } as const) : {};
    const s = await b.invoke('import-run', { path: F(file), options: { kind: 'leads', ...confirmed } });
    expect(s).toMatchObject({ rowsTotal: 5, inserted: 5, errors: 0 });
    const leads = leadsOf(b);
    expect(leads[0]).toMatchObject({
      email: 'renee.muller@cafe-zurich.example',
      first_name: 'Renée',
      last_name: 'Müller',
      company: 'Café Zürich GmbH',
      title: 'Geschäftsführerin',
    });
    expect(leads[0]?.custom).toEqual({ Notes: 'Budget 5.000 €' });
    expect(leads.map((l) => l.first_name)).toEqual(['Renée', 'José', 'François', 'Jürgen', 'Ana']);
  });

  it('lets the user override a detected encoding', async () => {
    const b = tempBackend();
    const info = await b.invoke('import-inspect', { path: F('windows-1252.csv'), encoding: 'utf-8' });
    expect(info.encoding).toBe('utf-8');
    expect(info.sampleRows[0]?.[1]).toBe('Ren\uFFFDe');
  });
});

describe('quoting and layout quirks', () => {
  it('keeps quoted commas and newlines (CRLF and LF) inside fields', async () => {
    const b = tempBackend();
    const s = await b.invoke('import-run', { path: F('quoted-newlines.csv'), options: { kind: 'leads' } });
    expect(s).toMatchObject({ rowsTotal: 3, inserted: 3, errors: 0 });
    const leads = leadsOf(b);
    expect(leads.map((l) => [l.company, l.title])).toEqual([
      ['Acme, Inc.', 'CTO'],
      ['Globex', 'VP Sales'],
      ['Initech', 'Manager, IT'],
    ]);
    expect(leads[0]?.custom).toEqual({
      'Full Notes': 'Met at the booth.\r\nAsked for pricing, then a demo.',
    });
    expect(leads[1]?.custom).toEqual({ 'Full Notes': 'Line one\nline two\nline "three"' });
  });

  it('accepts a trailing empty column', async () => {
    const b = tempBackend();
    const info = await b.invoke('import-inspect', { path: F('trailing-column.csv') });
    expect(info.headers).toEqual(['Email', 'First Name', 'Company', 'Column 4']);
    const s = await b.invoke('import-run', { path: F('trailing-column.csv'), options: { kind: 'leads' } });
    expect(s).toMatchObject({ rowsTotal: 3, inserted: 3, errors: 0 });
    expect(leadsOf(b).map((l) => [l.first_name, l.custom])).toEqual([
      ['Xavier', {}],
      ['Yara', {}],
      ['Zed', {}],
    ]);
  });

  it('treats placeholder values as blank unless asked to keep them', async () => {
    const b = tempBackend();
    await b.invoke('import-run', { path: F('placeholders.csv'), options: { kind: 'leads' } });
    const leads = leadsOf(b);
    expect(leads.map((l) => [l.city, l.title, l.custom])).toEqual([
      [null, null, { Specialization: 'Finance' }],
      ['Mumbai', null, {}],
      ['Pune', 'Analyst', { Specialization: 'Marketing' }],
    ]);
    const raw = tempBackend();
    await raw.invoke('import-run', {
      path: F('placeholders.csv'),
      options: { kind: 'leads', blankPlaceholders: false },
    });
    expect(leadsOf(raw)[0]).toMatchObject({ city: 'Select', title: 'N/A' });
  });
});

describe('XLSX', () => {
  it('lists the sheets and imports the chosen one', async () => {
    const b = tempBackend();
    const info = await b.invoke('import-inspect', { path: F('two-sheets.xlsx') });
    expect(info).toMatchObject({ format: 'xlsx', sheets: ['Leads', 'Activities'], sheet: 'Leads', kind: 'leads' });
    expect(info.headers).toEqual(['Email', 'First Name', 'Last Name', 'Company', 'Job Title', 'Notes']);
    const leads = await b.invoke('import-run', { path: F('two-sheets.xlsx'), options: { kind: 'leads' } });
    expect(leads).toMatchObject({ rowsTotal: 5, inserted: 5, errors: 0 });
    expect(leadsOf(b)[0]).toMatchObject({ first_name: 'Renée', company: 'Café Zürich GmbH' });

    const acts = await b.invoke('import-inspect', { path: F('two-sheets.xlsx'), sheet: 'Activities' });
    expect(acts.kind).toBe('activities');
    expect(acts.mapping).toMatchObject({
      Email: 'email',
      Type: 'activity.type',
      Asset: 'activity.asset',
      'Occurred At': 'activity.time',
    });
    const s = await b.invoke('import-run', {
      path: F('two-sheets.xlsx'),
      options: { kind: 'activities', sheet: 'Activities' },
    });
    expect(s).toMatchObject({ rowsTotal: 3, inserted: 3, activitiesInserted: 3, errors: 0, leadsCreated: 0 });
    const rows = b.context.db().prepare('SELECT type, asset, occurred_at FROM activities ORDER BY id').all();
    expect(rows).toEqual([
      { type: 'page_visit', asset: '/pricing', occurred_at: Date.UTC(2025, 11, 1, 9, 30) },
      { type: 'email_open', asset: 'Newsletter', occurred_at: Date.UTC(2025, 11, 2, 10, 0) },
      { type: 'download', asset: 'Playbook', occurred_at: Date.UTC(2025, 11, 9) }, // Excel serial 46000
    ]);
  });

  it('names a missing sheet', async () => {
    const b = tempBackend();
    const err = await errorCode(b.invoke('import-inspect', { path: F('two-sheets.xlsx'), sheet: 'Nope' }));
    expect(err.code).toBe('IMPORT_UNREADABLE');
    expect(err.message).toContain('Sheets: Leads, Activities');
  });
});

describe('multi-section webinar export (Zoom)', () => {
  it('offers the section header rows and picks Attendee Details', async () => {
    const b = tempBackend();
    const info = await b.invoke('import-inspect', { path: F('zoom-webinar.csv') });
    expect(info.headerCandidates.map((c) => [c.row, c.label])).toEqual([
      [3, null],
      [7, 'Host Details'],
      [11, 'Attendee Details'],
    ]);
    expect(info.headerRow).toBe(11);
    expect(info.kind).toBe('event');
    expect(info.mapping).toMatchObject({
      Attended: 'event.attended',
      Email: 'email',
      'First Name': 'first_name',
      'Registration Time': 'activity.time',
      'Join Time': 'event.join_time',
      'Time in Session (minutes)': 'activity.duration',
    });
  });

  it('imports attendees as leads plus registered/attended activities in one step', async () => {
    const b = tempBackend();
    const s = await b.invoke('import-run', {
      path: F('zoom-webinar.csv'),
      options: { kind: 'event', asset: 'Scoring Leads Without a Data Team', blankPlaceholders: true },
    });
    expect(s).toMatchObject({ rowsTotal: 4, inserted: 4, errors: 0, activitiesInserted: 7 });
    const db = b.context.db();
    const acts = db
      .prepare(
        `SELECT l.email, a.type, a.occurred_at, a.duration_sec FROM activities a JOIN leads l ON l.id = a.lead_id
         ORDER BY l.id, a.type DESC`,
      )
      .all();
    expect(acts.slice(0, 2)).toEqual([
      {
        email: 'renee.muller@cafe-zurich.example',
        type: 'webinar_registered',
        occurred_at: Date.UTC(2025, 9, 1, 8, 12),
        duration_sec: null,
      },
      {
        email: 'renee.muller@cafe-zurich.example',
        type: 'webinar_attended',
        occurred_at: Date.UTC(2025, 9, 12, 10, 1),
        duration_sec: 59 * 60,
      },
    ]);
    expect(acts.filter((a) => (a as { email: string }).email === 'sam.lee@example.com')).toHaveLength(1);
    expect(db.prepare('SELECT count(*) FROM leads WHERE email = ?').pluck().get('host@leadbench.example')).toBe(0);

    const again = await b.invoke('import-run', {
      path: F('zoom-webinar.csv'),
      options: { kind: 'event', asset: 'Scoring Leads Without a Data Team', blankPlaceholders: true },
    });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 4, activitiesInserted: 0 });
  });

  it('imports a separate list as all attended', async () => {
    const b = tempBackend();
    const s = await b.invoke('import-run', {
      path: F('utf8.csv'),
      options: { kind: 'event', eventList: 'attended', asset: 'Demo Day', eventTime: Date.UTC(2025, 5, 1) },
    });
    expect(s).toMatchObject({ inserted: 5, activitiesInserted: 10 });
  });
});

describe('activity logs', () => {
  it('maps synonyms, detects day-first dates, creates unknown people, keeps unknown types and reports bad rows', async () => {
    const b = tempBackend();
    await b.invoke('import-run', { path: F('utf8.csv'), options: { kind: 'leads' } });
    const info = await b.invoke('import-inspect', { path: F('activities.csv') });
    expect(info.kind).toBe('activities');
    expect(info.dateOrder).toBe('dmy');
    const s = await b.invoke('import-run', { path: F('activities.csv'), options: { kind: 'activities' } });
    expect(s).toMatchObject({ rowsTotal: 6, inserted: 5, errors: 1, leadsCreated: 1, activitiesInserted: 5 });
    const acts = b.context
      .db()
      .prepare('SELECT type, asset, occurred_at, duration_sec FROM activities ORDER BY id')
      .all();
    expect(acts).toHaveLength(5);
    expect(acts).toEqual(
      expect.arrayContaining([
        {
          type: 'page_visit',
          asset: 'https://example.com/pricing',
          occurred_at: Date.UTC(2025, 11, 25, 14, 30),
          duration_sec: 120,
        },
        { type: 'email_click', asset: 'Newsletter December', occurred_at: Date.UTC(2025, 11, 26), duration_sec: null },
        {
          type: 'download',
          asset: 'Lead Scoring Guide',
          occurred_at: Date.UTC(2026, 0, 13, 9, 0, 5),
          duration_sec: null,
        },
        { type: 'webinar_attended', asset: 'Product Demo', occurred_at: Date.UTC(2026, 1, 2), duration_sec: 2700 },
        // A type the file names in its own words becomes a workspace type, not an error.
        { type: 'ws:Teleported', asset: 'Nowhere', occurred_at: Date.UTC(2026, 1, 2), duration_sec: null },
      ]),
    );
    const errors = await b.invoke('import-errors', { importId: s.importId });
    expect(errors.rows.map((e) => [e.row, e.column, e.reason])).toEqual([[7, 'Date', '"31-02-2026" is not a date.']]);
    const last = b.context.db().prepare('SELECT last_activity_at FROM leads WHERE email = ?').pluck();
    expect(last.get('renee.muller@cafe-zurich.example')).toBe(Date.UTC(2025, 11, 26));
  });

  it('can reject activities of unknown people', async () => {
    const b = tempBackend();
    const s = await b.invoke('import-run', {
      path: F('activities.csv'),
      options: { kind: 'activities', unknownLeads: 'reject' },
    });
    expect(s).toMatchObject({ inserted: 0, leadsCreated: 0, errors: 6 });
  });
});

describe('files that cannot be imported', () => {
  it.each([
    ['empty.csv', 'IMPORT_EMPTY', '"empty.csv" is empty'],
    ['blank-lines.csv', 'IMPORT_EMPTY', '"blank-lines.csv" is empty'],
    ['header-only.csv', 'IMPORT_EMPTY', 'has a header row but no data rows'],
    ['no-header.csv', 'IMPORT_BAD_HEADER', '"no-header.csv" has no header row'],
    ['binary.csv', 'IMPORT_UNREADABLE', '"binary.csv" cannot be imported: it is a binary file'],
    ['fake.csv', 'IMPORT_UNREADABLE', 'it is a PDF document'],
    ['does-not-exist.csv', 'IMPORT_UNREADABLE', 'does not exist'],
  ])('%s -> %s', async (file, code, message) => {
    const b = tempBackend();
    const err = await errorCode(b.invoke('import-inspect', { path: F(file) }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(message);
    const run = await errorCode(b.invoke('import-run', { path: F(file), options: { kind: 'leads' } }));
    expect(run.code).toBe(code);
    expect(b.context.db().prepare('SELECT count(*) FROM imports').pluck().get()).toBe(0);
  });

  it('refuses a mapping without identity', async () => {
    const b = tempBackend();
    const err = await errorCode(
      b.invoke('import-run', { path: F('utf8.csv'), options: { kind: 'leads', mapping: { Email: 'custom' } } }),
    );
    expect(err.code).toBe('IMPORT_BAD_MAPPING');
  });
});
