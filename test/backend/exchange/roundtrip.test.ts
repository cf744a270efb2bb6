/**
 * The real round trip: export per-owner packs, edit them as a rep's spreadsheet program
 * would (SheetJS for XLSX, text for CSV, then open + re-save in LibreOffice headless where
 * it is installed), re-import, check every change and every conflict, apply, apply again.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RoundtripPreview } from '../../../shared/contract/exchange';
import { updateLead } from '../../../electron/backend/services/leads/lead-page';
import { tempBackend, tempDir } from '../helpers';
import { NOW, PAYLOADS, findSoffice, libreofficeResave, seed, type Seeded } from './fixtures';
import { editCsv, editXlsx } from './sheet-edit';
import { customSlots, decodeCustom } from '../../../electron/backend/services/leads/custom-store';

const SOFFICE = findSoffice();
const NO_LO = 'LibreOffice (soffice) is not installed; install Debian package libreoffice-calc-nogui to run this test';

type Db = ReturnType<ReturnType<typeof tempBackend>['context']['db']>;

function counts(db: Db) {
  const n = (sql: string) => (db.prepare(sql).pluck().get() as number) ?? 0;
  return {
    leads: n('SELECT count(*) FROM leads'),
    attempts: n('SELECT count(*) FROM attempts'),
    notes: n('SELECT count(*) FROM lead_notes'),
    dispositions: n('SELECT count(*) FROM dispositions'),
    stageChanges: n('SELECT count(*) FROM stage_changes'),
    maxUpdated: n('SELECT max(updated_at) FROM leads'),
  };
}

function leadRow(db: Db, id: number) {
  return db.prepare('SELECT * FROM leads WHERE id = ?').get(id) as Record<string, unknown>;
}

function byId(p: RoundtripPreview) {
  return new Map(p.changes.map((c) => [c.id, c]));
}

async function xlsxRoundTrip(resave: boolean) {
  let now = NOW;
  const backend = tempBackend({ now: () => now });
  const db = backend.context.db();
  const s: Seeded = seed(db);
  const dir = tempDir();
  const book = join(dir, 'packs.xlsx');
  const exp = await backend.invoke('export-owner-packs', {
    layout: 'workbook',
    format: 'xlsx',
    out: book,
    timeZone: 'Europe/Berlin',
  });
  const [ann, ben, cara, dan, eve, finn] = s.uids as [string, string, string, string, string, string];

  // The rep works the sheets.
  editXlsx(book, 'Alice Rep', [
    {
      leadUid: ann,
      set: {
        Phone: '+1 415 555 0199',
        'Attempt date': new Date(Date.UTC(2026, 10, 19, 15, 30)),
        Channel: 'Call',
        Outcome: 'Connected',
        Notes: 'Interested in a Q1 pilot',
        'Next step': 'Send proposal',
      },
    },
    { leadUid: ben, set: { Disposition: 'Unqualified: No budget', Notes: 'No budget this year' } },
    { leadUid: cara, set: { Company: 'Gamma GmbH', 'Job title': 'VP Revenue' } },
    {
      leadUid: null,
      set: {
        Name: 'Gina Green',
        Email: 'gina@eta.example',
        Company: 'Eta Corp',
        'Job title': 'COO',
        Phone: '+31 20 555 0101',
      },
    },
  ]);
  editXlsx(book, 'Bob Rep', [
    { leadUid: dan, set: { Stage: 'Qualified (SQL)' } },
    { leadUid: eve, delete: true },
    { leadUid: finn, set: { 'Attempt date': '2026-11-19 16:00', Channel: 'email', Outcome: 'Email sent' } },
  ]);
  // Meanwhile in Leadbench: Cara's company and title change after the export.
  now += 3_600_000;
  updateLead(db, s.ids[2]!, { fields: { company: 'Gamma SA', title: 'Head of Sales' }, custom: {} }, now);
  if (resave) libreofficeResave(SOFFICE!, book, join(dir, 'lo-profile'));

  now += 3_600_000;
  const preview = await backend.invoke('roundtrip-inspect', { path: book });
  expect(preview.exportUid).toBe(exp.exportUid);
  expect(preview.sheets).toEqual(['Alice Rep', 'Bob Rep']);
  expect(preview.issues).toEqual([]);
  const c = byId(preview);
  expect([...c.keys()].sort()).toEqual(
    [
      `${ann}:field:phone`,
      `${ann}:attempt`,
      `${ben}:note`,
      `${ben}:disposition`,
      `${cara}:field:company`,
      `${cara}:field:title`,
      `${dan}:field:stage`,
      `${finn}:attempt`,
      'new:Alice Rep:5',
    ].sort(),
  );
  expect(c.get(`${ann}:field:phone`)).toMatchObject({
    status: 'apply',
    from: '+1 415 555 0100',
    to: '+1 415 555 0199',
  });
  expect(c.get(`${ann}:attempt`)).toMatchObject({
    status: 'apply',
    summary: 'Attempt: Call, Connected on 2026-11-19 15:30 — Interested in a Q1 pilot / Next step: Send proposal',
  });
  expect(c.get(`${ben}:disposition`)).toMatchObject({ status: 'apply', to: 'Unqualified: No budget' });
  expect(c.get(`${ben}:note`)).toMatchObject({ status: 'apply', to: 'No budget this year' });
  expect(c.get(`${dan}:field:stage`)).toMatchObject({
    kind: 'stage',
    status: 'apply',
    from: 'MQL',
    to: 'Qualified (SQL)',
  });
  expect(c.get(`${finn}:attempt`)).toMatchObject({
    status: 'apply',
    summary: 'Attempt: Email, Email sent on 2026-11-19 16:00',
  });
  expect(c.get('new:Alice Rep:5')).toMatchObject({
    kind: 'new-lead',
    status: 'apply',
    summary: 'New lead: Gina Green <gina@eta.example> (Eta Corp)',
  });
  expect(preview.conflicts).toEqual([
    expect.objectContaining({
      id: `${cara}:field:company`,
      exported: 'Gamma',
      sheet: 'Gamma GmbH',
      current: 'Gamma SA',
    }),
    expect.objectContaining({
      id: `${cara}:field:title`,
      exported: 'VP Sales',
      sheet: 'VP Revenue',
      current: 'Head of Sales',
    }),
  ]);
  expect(preview.counts).toMatchObject({
    matched: 5,
    newRows: 1,
    removedFromSheet: 1,
    missingLeads: 0,
    toApply: 7,
    conflicts: 2,
    alreadyApplied: 0,
    invalid: 0,
  });
  // The injection payloads came back unchanged: no false edits on Ben's or Dan's fields.
  expect(preview.changes.filter((x) => x.field && [ben, dan].includes(x.leadUid ?? ''))).toHaveLength(1);

  const before = counts(db);
  const eveBefore = leadRow(db, s.ids[4]!);
  const result = await backend.invoke('roundtrip-apply', {
    path: book,
    fileSha256: preview.fileSha256,
    choices: { [`${cara}:field:company`]: 'sheet', [`${cara}:field:title`]: 'leadbench' },
  });
  expect(result.refused).toEqual([]);
  expect(result.applied).toEqual({ field: 2, stage: 1, attempt: 2, disposition: 1, note: 1, 'new-lead': 1 });
  expect(result.conflictsTakenFromSheet).toBe(1);
  expect(result.conflictsKeptLeadbench).toBe(1);
  expect(result.backup && existsSync(result.backup.path)).toBe(true);

  const annRow = leadRow(db, s.ids[0]!);
  expect(annRow.phone).toBe('+1 415 555 0199');
  expect(annRow.stage).toBe('sal'); // a first attempt accepts the MQL
  const annAttempt = db.prepare('SELECT * FROM attempts WHERE lead_id = ?').get(s.ids[0]!) as Record<string, unknown>;
  expect(annAttempt).toMatchObject({
    channel: 'call',
    outcome: 'connected',
    attempted_at: Date.UTC(2026, 10, 19, 14, 30), // 15:30 in Berlin
    note: 'Interested in a Q1 pilot\nNext step: Send proposal',
    owner_id: s.alice,
    actor: 'Alice Rep',
  });
  expect(leadRow(db, s.ids[1]!).stage).toBe('disqualified');
  expect(db.prepare('SELECT body FROM lead_notes WHERE lead_id = ?').pluck().all(s.ids[1]!)).toEqual([
    'No budget this year',
  ]);
  const caraRow = leadRow(db, s.ids[2]!);
  expect([caraRow.company, caraRow.title]).toEqual(['Gamma GmbH', 'Head of Sales']);
  expect(leadRow(db, s.ids[3]!).stage).toBe('sql');
  expect(db.prepare('SELECT channel, outcome, attempted_at FROM attempts WHERE lead_id = ?').get(s.ids[5]!)).toEqual({
    channel: 'email',
    outcome: 'email_sent',
    attempted_at: Date.UTC(2026, 10, 19, 15, 0),
  });
  expect(leadRow(db, s.ids[4]!)).toEqual(eveBefore); // deleted from the sheet: nothing changes
  const gina = db.prepare("SELECT * FROM leads WHERE email_norm = 'gina@eta.example'").get() as Record<string, unknown>;
  expect(gina).toMatchObject({
    first_name: 'Gina',
    last_name: 'Green',
    company: 'Eta Corp',
    title: 'COO',
    phone: '+31 20 555 0101',
  });
  const after = counts(db);
  expect(after).toMatchObject({
    leads: before.leads + 1,
    attempts: before.attempts + 2,
    notes: before.notes + 1,
    dispositions: before.dispositions + 1,
  });

  // The same sheet again: recognized as applied, nothing changes.
  now += 3_600_000;
  const again = await backend.invoke('roundtrip-inspect', { path: book });
  expect(again.counts).toMatchObject({ toApply: 0, conflicts: 0, alreadyApplied: 9 });
  const second = await backend.invoke('roundtrip-apply', { path: book, fileSha256: again.fileSha256, choices: {} });
  expect(second.applied).toEqual({ field: 0, stage: 0, attempt: 0, disposition: 0, note: 0, 'new-lead': 0 });
  expect(second.backup).toBeNull();
  expect(counts(db)).toEqual(after);
}

describe('round trip (XLSX)', () => {
  it('applies a rep’s edits, shows conflicts field by field, and changes nothing the second time', async () => {
    await xlsxRoundTrip(false);
  });

  it.skipIf(!SOFFICE)(`survives open + re-save in LibreOffice${SOFFICE ? '' : ` (skipped: ${NO_LO})`}`, async () => {
    await xlsxRoundTrip(true);
  });
});

/** A seeded workspace and its per-owner CSV packs of `columns`. */
async function csvPacks(columns: readonly string[], csv?: { bom: boolean; delimiter: ',' | ';' }) {
  const backend = tempBackend({ now: () => NOW });
  const db = backend.context.db();
  const s = seed(db);
  const dir = tempDir();
  const r = await backend.invoke('export-owner-packs', {
    layout: 'files',
    format: 'csv',
    ...(csv ? { csv } : {}),
    out: dir,
    columns: [...columns],
    timeZone: 'UTC',
  });
  return { backend, db, s, dir, files: r.files };
}

async function csvRoundTrip(resave: boolean, delimiter: ',' | ';') {
  const { backend, db, s, dir, files } = await csvPacks(
    [
      'name',
      'email',
      'phone',
      'company',
      'company_size',
      'stage',
      'custom.Budget',
      'attempt_date',
      'channel',
      'outcome',
      'disposition',
      'notes',
      'next_step',
    ],
    { bom: true, delimiter },
  );
  expect(files.map((f) => f.ownerName)).toEqual(['Alice Rep', 'Bob Rep']);
  const file = files[0]!.path;
  const [ann, ben, cara] = s.uids as [string, string, string];
  editCsv(file, [
    {
      leadUid: ann,
      set: {
        'Company size': delimiter === ';' ? '1.500' : '1,500',
        // A spreadsheet reformatting a number-like text is not an edit.
        Budget: '50000.0',
        'Attempt date': delimiter === ';' ? '19.11.2026 10:15' : '11/19/2026 10:15 AM',
        Channel: 'Phone',
        Outcome: 'left voicemail',
      },
    },
    { leadUid: ben, set: { Budget: '75000' } },
    { leadUid: cara, set: { Stage: 'nonsense stage' } },
    { leadUid: null, set: { Email: 'hal@theta.example', Name: 'Hal' } },
    { leadUid: null, set: { Name: 'Ivy Ingram', Company: 'Iota' } },
  ]);
  if (resave) libreofficeResave(SOFFICE!, file, join(dir, 'lo-profile'));
  const copy = join(dir, 'copy.csv');
  copyFileSync(file, copy);

  const preview = await backend.invoke('roundtrip-inspect', { path: file });
  const c = byId(preview);
  expect(c.get(`${ann}:field:company_size`)).toMatchObject({ status: 'apply', from: '250', to: '1500' });
  expect(c.get(`${ann}:attempt`)).toMatchObject({
    status: 'apply',
    summary: 'Attempt: Call, Left voicemail on 2026-11-19 10:15',
  });
  expect(c.get(`${ben}:field:custom.Budget`)).toMatchObject({ status: 'apply', from: PAYLOADS[3], to: '75000' });
  expect(c.has(`${ann}:field:custom.Budget`)).toBe(false);
  expect(c.get(`${cara}:field:stage`)).toMatchObject({
    status: 'invalid',
    message: '"nonsense stage" is not a stage of this workspace.',
  });
  expect(c.get('new:' + preview.sheets[0]! + ':6')).toMatchObject({
    kind: 'new-lead',
    status: 'invalid',
    message: 'A new lead needs an email: the import matches people by email.',
  });
  expect(preview.counts).toMatchObject({
    matched: 3,
    newRows: 2,
    toApply: 4,
    invalid: 2,
    conflicts: 0,
    removedFromSheet: 0,
  });
  expect(preview.changes.filter((x) => x.field === 'name' || x.field === 'email' || x.field === 'phone')).toEqual([]);

  const applied = await backend.invoke('roundtrip-apply', { path: file, fileSha256: preview.fileSha256 });
  expect(applied.applied).toMatchObject({ field: 2, attempt: 1, 'new-lead': 1 });
  expect(leadRow(db, s.ids[0]!).company_size).toBe(1500);
  expect(decodeCustom(customSlots(db), String(leadRow(db, s.ids[1]!).custom))).toEqual({ Budget: '75000' });
  expect(db.prepare('SELECT attempted_at FROM attempts WHERE lead_id = ?').pluck().get(s.ids[0]!)).toBe(
    Date.UTC(2026, 10, 19, 10, 15),
  );
  const after = counts(db);
  const again = await backend.invoke('roundtrip-inspect', { path: copy });
  expect(again.counts).toMatchObject({ toApply: 0, conflicts: 0, invalid: 2 });
  await backend.invoke('roundtrip-apply', { path: copy, fileSha256: again.fileSha256 });
  expect(counts(db)).toEqual(after);
}

describe('round trip (CSV)', () => {
  it('comma CSV: number, date and choice typing as reps do; invalid values are reported, not applied', async () => {
    await csvRoundTrip(false, ',');
  });
  it('semicolon CSV with decimal comma', async () => {
    await csvRoundTrip(false, ';');
  });
  it.skipIf(!SOFFICE)(`survives open + re-save in LibreOffice${SOFFICE ? '' : ` (skipped: ${NO_LO})`}`, async () => {
    await csvRoundTrip(true, ',');
  });
});

describe('round trip refusals', () => {
  it('lists a change the workspace refuses, applies the rest, and offers the refused one again', async () => {
    const { backend, db, s, files } = await csvPacks(['name', 'email', 'stage', 'custom.Budget', 'disposition']);
    const file = files[0]!.path;
    const [ann, ben] = s.uids as [string, string];
    // "Could not reach" needs attempts first; Ann has none logged. The sheet cannot know that.
    editCsv(file, [
      { leadUid: ann, set: { Disposition: 'Could not reach' } },
      { leadUid: ben, set: { Budget: '75000' } },
    ]);
    const preview = await backend.invoke('roundtrip-inspect', { path: file });
    expect(byId(preview).get(`${ann}:disposition`)).toMatchObject({ status: 'apply' });
    const stageBefore = leadRow(db, s.ids[0]!).stage;

    const result = await backend.invoke('roundtrip-apply', { path: file, fileSha256: preview.fileSha256 });
    expect(result.applied).toMatchObject({ field: 1, disposition: 0 });
    expect(result.refused).toEqual([
      {
        changeId: `${ann}:disposition`,
        leadName: expect.any(String) as string,
        message: expect.stringMatching(/"Could not reach" needs \d+ attempts first \(0 logged\)/) as string,
      },
    ]);
    expect(leadRow(db, s.ids[0]!).stage).toBe(stageBefore);
    expect(db.prepare('SELECT count(*) FROM dispositions').pluck().get()).toBe(0);
    expect(decodeCustom(customSlots(db), String(leadRow(db, s.ids[1]!).custom))).toEqual({ Budget: '75000' });
    // The refused change was not recorded as applied: the same sheet offers it again, and only it.
    const again = await backend.invoke('roundtrip-inspect', { path: file });
    expect(again.changes.filter((c) => c.status === 'apply').map((c) => c.id)).toEqual([`${ann}:disposition`]);
  });

  it('refuses a sheet that is not a round-trip export, and a file changed since inspection', async () => {
    const backend = tempBackend({ now: () => NOW });
    seed(backend.context.db());
    const dir = tempDir();
    const plain = join(dir, 'plain.csv');
    await backend.invoke('export-leads', { source: { kind: 'all' }, format: 'csv', out: plain, roundTrip: false });
    await expect(backend.invoke('roundtrip-inspect', { path: plain })).rejects.toMatchObject({ code: 'VALIDATION' });
    const rt = join(dir, 'rt.csv');
    await backend.invoke('export-leads', {
      source: { kind: 'all' },
      format: 'csv',
      out: rt,
      columns: ['email', 'company'],
    });
    const p = await backend.invoke('roundtrip-inspect', { path: rt });
    expect(p.counts).toMatchObject({ matched: 6, unchanged: 6, toApply: 0 });
    await expect(backend.invoke('roundtrip-apply', { path: rt, fileSha256: '0'.repeat(64) })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    // A lead deleted in Leadbench after the export: its row changes nothing and is reported.
    backend.context.db().prepare("DELETE FROM leads WHERE email_norm = 'finn@zeta.example'").run();
    const q = await backend.invoke('roundtrip-inspect', { path: rt });
    expect(q.counts).toMatchObject({ matched: 5, missingLeads: 1, toApply: 0 });
    expect(q.issues[0]!.message).toMatch(/was deleted in Leadbench after the export/);
  });
});
