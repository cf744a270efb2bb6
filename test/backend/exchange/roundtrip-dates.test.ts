/**
 * Dates typed into an edited sheet (#13 item 5): 05/12/2026 in a custom date field is read in
 * the order the sheet's own dates prove, else the order the workspace's imports read, and the
 * user can switch it; the preview counts the rows whose dates read both ways and notes both
 * readings on the change; the apply stores what the preview showed.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { uidTextSql } from '../../../electron/backend/services/leads/lead-uid-sql';
import { tempBackend, tempDir } from '../helpers';
import { editCsv } from './sheet-edit';
import { customSlots, decodeCustom } from '../../../electron/backend/services/leads/custom-store';

const FIELD = 'Event Date';
const KEY = `custom.${FIELD}`;

/** Leads whose "Event Date" the import typed as a date, read day first (20/01/2026), exported for a round trip. */
async function exportedWorkspace() {
  const backend = tempBackend();
  const dir = tempDir();
  const leads = join(dir, 'leads.csv');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    leads,
    'Email,First Name,Event Date\r\nann@alpha.example,Ann,20/01/2026\r\nben@beta.example,Ben,03/02/2026\r\ncara@gamma.example,Cara,14/02/2026\r\n',
  );
  const imported = await backend.invoke('import-run', { path: leads, options: { kind: 'leads' } });
  expect(imported.dates).toEqual({ order: 'dmy', chosen: false, ambiguousRows: 1, range: null });
  const sheet = join(dir, 'sheet.csv');
  await backend.invoke('export-leads', {
    source: { kind: 'all' },
    columns: ['name', 'email', KEY],
    format: 'csv',
    out: sheet,
    timeZone: 'UTC',
  });
  const db = backend.context.db();
  const uid = (email: string) =>
    db
      .prepare(`SELECT ${uidTextSql('uid')} FROM leads WHERE email = ?`)
      .pluck()
      .get(email) as string;
  const eventDate = (email: string) =>
    decodeCustom(customSlots(db), db.prepare('SELECT custom FROM leads WHERE email = ?').pluck().get(email) as string)[
      FIELD
    ];
  return { backend, sheet, uid, eventDate };
}

describe('dates in an edited sheet', () => {
  it('reads 05/12/2026 day first as the workspace imported, flags it, and applies what it showed', async () => {
    const { backend, sheet, uid, eventDate } = await exportedWorkspace();
    const ann = uid('ann@alpha.example');
    editCsv(sheet, [{ leadUid: ann, set: { [FIELD]: '05/12/2026' } }]);

    const preview = await backend.invoke('roundtrip-inspect', { path: sheet });
    expect(preview.dates).toMatchObject({ order: 'dmy', source: 'imports', detected: 'dmy', ambiguousRows: 1 });
    expect(preview.dates.examples).toEqual([{ sheet: 'sheet.csv', row: 2, column: FIELD, value: '05/12/2026' }]);
    const change = preview.changes.find((c) => c.id === `${ann}:field:${KEY}`);
    expect(change).toMatchObject({
      status: 'apply',
      from: '2026-01-20',
      to: '2026-12-05',
      message: '05/12/2026 reads both ways: read day first as 2026-12-05 (month first: 2026-05-12).',
    });
    // The other rows' dates came back as exported: no change.
    expect(preview.counts).toMatchObject({ toApply: 1, invalid: 0 });

    await backend.invoke('roundtrip-apply', { path: sheet, fileSha256: preview.fileSha256, backup: false });
    expect(eventDate('ann@alpha.example')).toBe(Date.UTC(2026, 11, 5));
  });

  it('lets the user switch to month first for the preview and the apply', async () => {
    const { backend, sheet, uid, eventDate } = await exportedWorkspace();
    const ann = uid('ann@alpha.example');
    editCsv(sheet, [{ leadUid: ann, set: { [FIELD]: '05/12/2026' } }]);
    const preview = await backend.invoke('roundtrip-inspect', { path: sheet, dateOrder: 'mdy' });
    expect(preview.dates).toMatchObject({ order: 'mdy', source: 'chosen', detected: 'dmy', ambiguousRows: 1 });
    expect(preview.changes.find((c) => c.id === `${ann}:field:${KEY}`)).toMatchObject({
      to: '2026-05-12',
      message: '05/12/2026 reads both ways: read month first as 2026-05-12 (day first: 2026-12-05).',
    });
    await backend.invoke('roundtrip-apply', {
      path: sheet,
      fileSha256: preview.fileSha256,
      backup: false,
      dateOrder: 'mdy',
    });
    expect(eventDate('ann@alpha.example')).toBe(Date.UTC(2026, 4, 12));
  });

  it('lets the sheet’s own dates decide over the imports', async () => {
    const { backend, sheet, uid } = await exportedWorkspace();
    const [ann, ben] = [uid('ann@alpha.example'), uid('ben@beta.example')];
    // 12/25/2026 can only be month first: so is the sheet's 05/12/2026.
    editCsv(sheet, [
      { leadUid: ann, set: { [FIELD]: '05/12/2026' } },
      { leadUid: ben, set: { [FIELD]: '12/25/2026' } },
    ]);
    const preview = await backend.invoke('roundtrip-inspect', { path: sheet });
    expect(preview.dates).toMatchObject({ order: 'mdy', source: 'sheet', ambiguousRows: 1 });
    const to = new Map(preview.changes.map((c) => [c.id, c.to]));
    expect(to.get(`${ann}:field:${KEY}`)).toBe('2026-05-12');
    expect(to.get(`${ben}:field:${KEY}`)).toBe('2026-12-25');
  });
});
