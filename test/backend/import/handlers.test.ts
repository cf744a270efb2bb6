/** Preview, rejected rows and their export, history, saved mappings, progress, samples, the CLI. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../shared/contract';
import { runCli } from '../../../electron/backend/cli';
import { FIXTURES, REAL_DATA, tempBackend, tempDir } from '../helpers';

const F = (name: string) => join(FIXTURES, 'import', name);
// A mapping is complete: columns it does not name are kept as custom fields.
const BAD_ROWS_MAPPING = {
  Email: 'email',
  'Prospect ID': 'key',
  Company: 'company',
  Employees: 'company_size',
} as const;

describe('preview', () => {
  it('shows the first rows as they will be stored, rejections included', async () => {
    const b = tempBackend();
    const p = await b.invoke('import-preview', {
      path: F('bad-rows.csv'),
      options: { kind: 'leads', mapping: BAD_ROWS_MAPPING },
    });
    expect(p.headers).toEqual(['Email', 'Prospect ID', 'Company', 'Employees']);
    expect(p.rows.map((r) => [r.row, r.ok])).toEqual([
      [2, true],
      [3, false],
      [4, false],
      [5, false],
      [6, true],
    ]);
    expect(p.rows[0]).toMatchObject({
      email: 'good.one@example.com',
      fields: { company: 'Good Co', company_size: 51 },
      keys: [['Prospect ID', 'P-1']],
    });
    expect(p.rows[4]?.fields.company_size).toBe(1200);
    // Nothing was written.
    expect(b.context.db().prepare('SELECT count(*) FROM leads').pluck().get()).toBe(0);
  });

  it('reports mapping problems instead of rows', async () => {
    const b = tempBackend();
    const p = await b.invoke('import-preview', { path: F('utf8.csv'), options: { kind: 'activities' } });
    expect(p.problems.join(' ')).toMatch(/activity type/);
    expect(p.rows.every((r) => !r.ok)).toBe(true);
  });
});

describe('rejected rows, history and mappings', () => {
  it('keeps every rejected row with row number, column and reason, and exports them as CSV', async () => {
    const b = tempBackend();
    const s = await b.invoke('import-run', {
      path: F('bad-rows.csv'),
      options: { kind: 'leads', mapping: BAD_ROWS_MAPPING },
    });
    expect(s).toMatchObject({ rowsTotal: 5, inserted: 2, errors: 3 });
    const page = await b.invoke('import-errors', { importId: s.importId, limit: 2 });
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => [r.row, r.column, r.reason])).toEqual([
      [3, 'Email', '"not-an-email" is not an email address.'],
      [4, 'Email', 'No email and no identity key: the row cannot be matched to a person.'],
    ]);
    const next = await b.invoke('import-errors', { importId: s.importId, offset: 2 });
    expect(next.rows.map((r) => [r.row, r.column])).toEqual([[5, 'Employees']]);

    const out = join(tempDir(), 'errors.csv');
    expect(await b.invoke('import-errors-export', { importId: s.importId, path: out })).toEqual({ path: out, rows: 3 });
    const parsed = Papa.parse<string[]>(readFileSync(out, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true });
    expect(parsed.data).toEqual([
      ['Row', 'Column', 'Reason', 'Email', 'Prospect ID', 'Company', 'Employees'],
      ['3', 'Email', '"not-an-email" is not an email address.', 'not-an-email', 'P-2', 'Bad Email Co', '10'],
      [
        '4',
        'Email',
        'No email and no identity key: the row cannot be matched to a person.',
        '',
        '',
        'No Identity Co',
        '5',
      ],
      ['5', 'Employees', '"lots" is not a number.', 'size.bad@example.com', 'P-4', 'Bad Size Co', 'lots'],
    ]);

    const history = await b.invoke('imports-list', {});
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      id: s.importId,
      fileName: 'bad-rows.csv',
      kind: 'leads',
      status: 'done',
      rowsTotal: 5,
      inserted: 2,
      errors: 3,
      mapping: { Email: 'email', 'Prospect ID': 'key', Company: 'company', Employees: 'company_size' },
    });
  });

  it('saves a mapping and offers it again for files with the same headers', async () => {
    const b = tempBackend();
    const info = await b.invoke('import-inspect', { path: F('utf8.csv') });
    expect(info.savedMapping).toBeNull();
    const saved = await b.invoke('mapping-save', {
      name: 'Trade show list',
      headers: info.headers,
      settings: { kind: 'leads', mapping: { ...info.mapping, Notes: 'ignore' }, blankPlaceholders: true },
    });
    expect(saved.headerSignature).toBe(info.headerSignature);
    // Same headers, another encoding and delimiter.
    const other = await b.invoke('import-inspect', { path: F('semicolon.csv') });
    expect(other.savedMapping).toMatchObject({ name: 'Trade show list', settings: { mapping: { Notes: 'ignore' } } });
    expect(await b.invoke('mappings-list', { headerSignature: info.headerSignature })).toHaveLength(1);
    expect(await b.invoke('mappings-list', { headerSignature: 'nope' })).toHaveLength(0);
  });
});

describe('progress and samples', () => {
  it('reports progress by bytes with rows done and rate, and finishes', async () => {
    const events: JobProgress[] = [];
    const b = tempBackend({
      emit: (name, payload) => {
        if (name === 'job-progress') events.push(payload as JobProgress);
      },
    });
    const s = await b.invoke('import-run', {
      path: join(REAL_DATA, 'olist_marketing_qualified_leads.csv'),
      options: { kind: 'leads' },
      jobId: 'olist-job',
    });
    expect(events.every((e) => e.jobId === 'olist-job' && e.kind === 'import')).toBe(true);
    const importing = events.filter((e) => e.phase === 'importing');
    expect(importing.length).toBeGreaterThan(0);
    expect(importing.every((e) => e.fraction !== null && e.fraction > 0 && e.fraction <= 1)).toBe(true);
    expect(events.at(-1)).toMatchObject({ finished: true, phase: 'done', done: s.rowsTotal, fraction: 1 });
  });

  it('loads the starter sample through the import engine', async () => {
    const b = tempBackend();
    const r = await b.invoke('sample-load', { id: 'starter' });
    expect(r.imports.map((s) => [s.kind, s.rowsTotal, s.errors])).toEqual([
      ['leads', 200, 0],
      ['activities', 1500, 0],
    ]);
    const info = await b.invoke('workspace-info', {});
    expect(info).toMatchObject({ leadCount: 200, activityCount: 1500, importCount: 2 });
    const types = b.context.db().prepare('SELECT DISTINCT type FROM activities ORDER BY type').pluck().all();
    expect(types).toEqual([
      'download',
      'email_click',
      'email_open',
      'form_fill',
      'page_visit',
      'video_watched',
      'webinar_attended',
      'webinar_registered',
    ]);
    await expect(b.invoke('sample-load', { id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('leadbench import (CLI)', () => {
  function cli(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    return runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }).then((code) => ({ code, out, err }));
  }

  it('imports with a key column and prints the summary', async () => {
    const db = join(tempDir(), 'cli.leadbench');
    const r = await cli(['import', join(REAL_DATA, 'xeducation_leads.csv'), '--db', db, '--key', 'Prospect ID']);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/Rows\s+9,240\nInserted\s+9,240\nUpdated\s+0/);
    const again = await cli([
      'import',
      join(REAL_DATA, 'xeducation_leads.csv'),
      '--db',
      db,
      '--key',
      'Prospect ID',
      '--blank-placeholders',
      '--json',
    ]);
    expect(JSON.parse(again.out.join('\n'))).toMatchObject({ inserted: 0, unchanged: 9240 });
  });

  it('reads placeholders ("Select", "N/A") as blank, as the import wizard does, unless --keep-placeholders', async () => {
    const cityOf = async (...flags: string[]) => {
      const db = join(tempDir(), 'cli.leadbench');
      const r = await cli(['import', F('placeholders.csv'), '--db', db, ...flags]);
      expect(r.err).toEqual([]);
      const file = new Database(db, { readonly: true });
      try {
        return file.prepare('SELECT city FROM leads ORDER BY id LIMIT 1').pluck().get();
      } finally {
        file.close();
      }
    };
    expect(await cityOf()).toBeNull();
    expect(await cityOf('--blank-placeholders')).toBeNull();
    expect(await cityOf('--keep-placeholders')).toBe('Select');
    const both = await cli([
      'import',
      F('placeholders.csv'),
      '--db',
      join(tempDir(), 'x.leadbench'),
      '--keep-placeholders',
      '--blank-placeholders',
    ]);
    expect(both.code).not.toBe(0);
    expect(both.err.join('\n')).toMatch(/--keep-placeholders and --blank-placeholders contradict/);
  });

  it('applies a mapping file, and a saved mapping by name', async () => {
    const dir = tempDir();
    const db = join(dir, 'cli.leadbench');
    const mappingFile = join(dir, 'mapping.json');
    writeFileSync(
      mappingFile,
      JSON.stringify({
        kind: 'activities',
        mapping: {
          'Work Email': 'email',
          Activity: 'activity.type',
          'Page URL': 'activity.asset',
          Date: 'activity.time',
          'Time Spent (minutes)': 'activity.duration',
        },
      }),
    );
    const r = await cli(['import', F('activities.csv'), '--db', db, '--mapping', mappingFile]);
    expect(r.code).toBe(0);
    // "Teleported" becomes a workspace activity type (no row is rejected for its type); only
    // the impossible date 31-02-2026 is an error.
    expect(r.out.join('\n')).toMatch(/Activities\s+5 new/);
    expect(r.out.join('\n')).toMatch(/Errors\s+1 /);
    const missing = await cli(['import', F('activities.csv'), '--db', db, '--mapping', 'No such mapping']);
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toContain('There is no saved mapping named "No such mapping"');
  });

  it('exits non-zero with the message on a fatal error', async () => {
    const db = join(tempDir(), 'cli.leadbench');
    const r = await cli(['import', F('binary.csv'), '--db', db]);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      'leadbench import: "binary.csv" cannot be imported: it is a binary file, not text. Choose a CSV, TSV or XLSX file.',
    ]);
    const usage = await cli(['import', '--db', db]);
    expect(usage.code).toBe(2);
  });
});
