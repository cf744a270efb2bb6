/**
 * Nothing stored changes when an import fails or is cancelled (committed batches included);
 * re-importing is harmless; undo restores the workspace as one step.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../../shared/contract/import';
import { runImport } from '../../../electron/backend/services/import/run';
import { cancelPastRows, FIXTURES, REAL_DATA, REPO_ROOT, tempBackend, tempDir } from '../helpers';
import { contentDump } from './dump';

const NOW = 1_790_000_000_000;
const F = (name: string) => join(FIXTURES, 'import', name);
const VISIBLE = ['leads', 'lead_keys', 'activities', 'lead_scores', 'leads_search'];

let eventFile = '';
const ROWS = 12_000;

beforeAll(() => {
  // An event list: the first 100 people already exist (their company gets filled in), the
  // rest are new; every row adds a registration, every third an attendance.
  const lines = ['Email,First Name,Company,Registration Time,Attended,Join Time'];
  for (let i = 0; i < ROWS; i++) {
    const email = i === 10_000 ? 'fail.here@example.com' : `person${i}@example.com`;
    const day = String(1 + (i % 28)).padStart(2, '0');
    lines.push(`${email},P${i},Company ${i},2025-10-${day} 09:00,${i % 3 === 0 ? 'Yes' : 'No'},2025-11-${day} 10:00`);
  }
  eventFile = join(tempDir(), 'event.csv');
  writeFileSync(eventFile, `${lines.join('\r\n')}\r\n`);
});

async function seeded(emit?: (name: string, payload: unknown) => void) {
  const b = tempBackend({ now: () => NOW, ...(emit ? { emit } : {}) });
  await b.invoke('import-run', { path: F('utf8.csv'), options: { kind: 'leads' } });
  await b.invoke('import-run', { path: F('activities.csv'), options: { kind: 'activities' } });
  const seed = ['Email,First Name'];
  for (let i = 0; i < 100; i++) seed.push(`person${i}@example.com,Seed${i}`);
  const seedFile = join(tempDir(), 'seed.csv');
  writeFileSync(seedFile, `${seed.join('\n')}\n`);
  await b.invoke('import-run', { path: seedFile, options: { kind: 'leads' } });
  return b;
}

const eventOptions = { kind: 'event', asset: 'Big Webinar' } as const;

describe('failed and cancelled imports', () => {
  it('a cancelled import leaves the content unchanged', async () => {
    const jobId = 'import-cancel-test';
    // Cancel from the progress stream once rows have been written, as the UI would.
    const cancel = cancelPastRows(jobId, 2000);
    const b = await seeded(cancel.emit);
    cancel.attach(b);
    const db = b.context.db();
    const before = contentDump(db);
    await expect(b.invoke('import-run', { path: eventFile, options: eventOptions, jobId })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(cancel.cancelled()).toBe(true);
    expect(contentDump(db)).toBe(before);
    expect(await b.invoke('imports-list', {})).toHaveLength(3);
  });

  it.each([
    ['committing about every 10 s (default)', undefined],
    ['committing after every batch', 0],
  ])('a failing import leaves the content unchanged, %s', async (_label, commitEveryMs) => {
    const b = await seeded();
    const db = b.context.db();
    db.exec(`CREATE TRIGGER fail_import BEFORE INSERT ON leads WHEN NEW.email_norm = 'fail.here@example.com'
             BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END`);
    const before = contentDump(db);
    let batches = 0;
    const err = await runImport(b.context, eventFile, importOptionsSchema.parse(eventOptions), undefined, {
      afterBatch: () => batches++,
      ...(commitEveryMs === undefined ? {} : { commitEveryMs }),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'IMPORT_FAILED' });
    expect((err as Error).message).toContain('simulated disk failure');
    expect(batches).toBeGreaterThan(10);
    expect(db.inTransaction).toBe(false);
    expect(contentDump(db)).toBe(before);
  });

  it('the same import succeeds without the failure and counts every row', async () => {
    const b = await seeded();
    const s = await b.invoke('import-run', { path: eventFile, options: eventOptions });
    expect(s).toMatchObject({ rowsTotal: ROWS, inserted: ROWS - 100, updated: 100, unchanged: 0, errors: 0 });
    expect(s.activitiesInserted).toBe(ROWS + ROWS / 3);
    const db = b.context.db();
    expect(db.prepare('SELECT company FROM leads WHERE email = ?').pluck().get('person5@example.com')).toBe(
      'Company 5',
    );
    expect(db.prepare('SELECT first_name FROM leads WHERE email = ?').pluck().get('person5@example.com')).toBe('Seed5');
  });
});

describe('re-import and undo', () => {
  it('re-importing the same file changes nothing', async () => {
    const b = tempBackend({ now: () => NOW });
    const path = join(REAL_DATA, 'xeducation_leads.csv');
    const options = { kind: 'leads', blankPlaceholders: true, mapping: { 'Prospect ID': 'key' } } as const;
    const first = await b.invoke('import-run', { path, options });
    expect(first).toMatchObject({ rowsTotal: 9240, inserted: 9240 });
    const db = b.context.db();
    const before = contentDump(db, VISIBLE);
    const again = await b.invoke('import-run', { path, options });
    expect(again).toMatchObject({ rowsTotal: 9240, inserted: 0, updated: 0, unchanged: 9240, errors: 0, rescored: 0 });
    expect(contentDump(db, VISIBLE)).toBe(before);
  });

  it('undo restores updated leads and removes what the import added, as one step', async () => {
    const b = tempBackend({ now: () => NOW });
    await b.invoke('sample-load', { id: 'starter' });
    const db = b.context.db();
    const before = contentDump(db, VISIBLE);

    // A second list: two known people with new titles (overwrite) and one new person, all
    // registered for a webinar, the new person attended. (Nobody crosses the MQL threshold:
    // a stage transition the new scores trigger is follow-up history, which undo keeps.)
    const first = db.prepare('SELECT email, title FROM leads ORDER BY id LIMIT 2').all() as { email: string }[];
    const file = join(tempDir(), 'update.csv');
    writeFileSync(
      file,
      [
        'Email,Job Title,Attended,Registration Time',
        `${first[0]?.email},Chief Revenue Officer,No,2026-11-01 10:00`,
        `${first[1]?.email},Head of Growth,No,2026-11-01 10:00`,
        'brand.new@example.com,Analyst,Yes,2026-11-01 10:00',
        '',
      ].join('\n'),
    );
    const s = await b.invoke('import-run', {
      path: file,
      options: { kind: 'event', update: 'overwrite', asset: 'Launch Webinar' },
    });
    expect(s).toMatchObject({ inserted: 1, updated: 2, activitiesInserted: 4 });
    expect(db.prepare('SELECT title FROM leads WHERE email = ?').pluck().get(first[0]?.email)).toBe(
      'Chief Revenue Officer',
    );
    expect(contentDump(db, VISIBLE)).not.toBe(before);

    const undo = await b.invoke('import-undo', { importId: s.importId });
    expect(undo).toEqual({ importId: s.importId, leadsDeleted: 1, leadsRestored: 2, activitiesDeleted: 4 });
    expect(contentDump(db, VISIBLE)).toBe(before);
    const history = await b.invoke('imports-list', {});
    expect(history[0]).toMatchObject({ id: s.importId, status: 'undone' });
    await expect(b.invoke('import-undo', { importId: s.importId })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('an import interrupted by a crash is rolled back when the workspace is next opened', async () => {
    const b = await seeded();
    const db = b.context.db();
    const before = contentDump(db);
    // Another process imports into the same workspace and dies after committing batches.
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), b.path, eventFile],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.status, child.stderr).toBe(3);
    expect(db.prepare("SELECT count(*) FROM imports WHERE status = 'running'").pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM leads').pluck().get()).toBeGreaterThan(3000);
    b.context.openWorkspace(b.path, false);
    expect(contentDump(b.context.db())).toBe(before);
  });
});
