/**
 * Bad files, clear answers (issue 18): each refusal says what is wrong in words and leaves
 * the workspace exactly as it was; each row-level fault costs only its own row, with true
 * counts. Real files in a temp folder, imported into real workspace files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { strToU8, zipSync } from 'fflate';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../../electron/backend/db/migrations';
import { MAX_CELL_CHARS, MAX_ROW_CELLS } from '../../../electron/backend/services/import/csv-records';
import { tempBackend, tempDir } from '../helpers';
import { customSlots, decodeCustom } from '../../../electron/backend/services/leads/custom-store';

type B = ReturnType<typeof tempBackend>;

const dir = tempDir();
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Everything an import can change, to compare before and after a refusal. */
function state(b: B): string {
  const db = b.context.db();
  const all = (sql: string) => db.prepare(sql).all();
  return JSON.stringify([
    all('SELECT * FROM leads ORDER BY id'),
    all('SELECT * FROM imports ORDER BY id'),
    all('SELECT * FROM import_errors ORDER BY import_id, row_number'),
    all('SELECT * FROM activities ORDER BY id'),
    all('SELECT * FROM lead_keys ORDER BY lead_id, key_id'),
    all('SELECT * FROM lead_key_names ORDER BY id'),
  ]);
}

/** A workspace holding one earlier import, so "unchanged" has something to keep. */
async function workspace(): Promise<B> {
  const b = tempBackend();
  await b.invoke('import-run', {
    path: file('first.csv', 'Email,First Name,Company\nzed@first.example,Zed,First Co\n'),
    options: { kind: 'leads' },
  });
  return b;
}

async function refusal(b: B, path: string, options: object = {}): Promise<string> {
  const before = state(b);
  const err = await b.invoke('import-run', { path, options: { kind: 'leads', ...options } }).then(
    () => null,
    (e: unknown) => e as { code: string; message: string },
  );
  expect(err, 'the import should be refused').not.toBeNull();
  expect(state(b)).toBe(before);
  return err!.message;
}

function leads(b: B) {
  return b.context
    .db()
    .prepare('SELECT email, email_norm, first_name, company, custom FROM leads ORDER BY id')
    .all() as {
    email: string | null;
    email_norm: string | null;
    first_name: string | null;
    company: string | null;
    custom: string;
  }[];
}

function errors(b: B, importId: number) {
  return b.context
    .db()
    .prepare('SELECT row_number AS row, column_name AS "column", reason FROM import_errors WHERE import_id = ?')
    .all(importId);
}

function workbook(bookType: 'xlsx' | 'biff8'): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(
    wb,
    XLSX.utils.aoa_to_sheet([
      ['Email', 'First Name'],
      ['ann@acme.example', 'Ann'],
    ]),
    'Leads',
  );
  return XLSX.write(wb, { type: 'buffer', bookType }) as Buffer;
}

describe('damaged workbooks', () => {
  const xlsx = workbook('xlsx');
  const xls = workbook('biff8');
  const flipped = (buf: Buffer, from: number) => {
    const out = Buffer.from(buf);
    for (let i = from; i < out.length - 200; i += 7) out[i] = (out[i] ?? 0) ^ 0x5a;
    return out;
  };
  it.each([
    ['cut-short.xlsx', xlsx.subarray(0, xlsx.length >> 1), 'xlsx'],
    ['bytes-changed.xlsx', flipped(xlsx, 200), 'xlsx'],
    ['only-the-start.xlsx', xlsx.subarray(0, 40), 'xlsx'],
    // A whole ZIP file, but not a workbook (a renamed archive).
    ['an-archive.xlsx', Buffer.from(zipSync({ 'notes.txt': strToU8('hello') })), 'xlsx'],
    ['cut-short.xls', xls.subarray(0, xls.length >> 1), 'xls'],
    ['bytes-changed.xls', flipped(xls, 600), 'xls'],
  ])('%s is called damaged in words, and nothing changes', async (name, bytes, ext) => {
    const b = await workspace();
    const message = await refusal(b, file(name, bytes));
    expect(message).toBe(
      `"${name}" cannot be imported: this .${ext} is damaged: it is not a complete workbook. ` +
        'Open it in Excel and save it again, or save it as CSV.',
    );
    await expect(b.invoke('import-inspect', { path: join(dir, name) })).rejects.toMatchObject({ message });
  });
});

describe('headers', () => {
  it('keeps duplicate and blank header names, renamed "Company (2)" and "Column 4"', async () => {
    const b = await workspace();
    const path = file('dup-headers.csv', 'Email,Company,Company,,Notes\nann@acme.example,Acme,Acme GmbH,x,hi\n');
    const info = await b.invoke('import-inspect', { path });
    expect(info.headers).toEqual(['Email', 'Company', 'Company (2)', 'Column 4', 'Notes']);
    const s = await b.invoke('import-run', { path, options: { kind: 'leads' } });
    expect(s).toMatchObject({ rowsTotal: 1, inserted: 1, errors: 0 });
    expect(decodeCustom(customSlots(b.context.db()), leads(b)[1]!.custom)).toEqual({
      'Company (2)': 'Acme GmbH',
      'Column 4': 'x',
      Notes: 'hi',
    });
  });

  it('reads a very long header name as a header, not as "no header row"', async () => {
    const b = await workspace();
    const question = 'How did you first hear about our product and what made you want to try it? '.repeat(3).trim();
    const path = file('survey.csv', `Email,${question}\nann@acme.example,A friend\n`);
    const info = await b.invoke('import-inspect', { path });
    expect(info.headers).toEqual(['Email', question]);
    expect(await b.invoke('import-run', { path, options: { kind: 'leads' } })).toMatchObject({ inserted: 1 });
  });
});

describe('rows', () => {
  it('ends rows at CRLF, bare LF and bare CR alike: no rows merge', async () => {
    const b = await workspace();
    const path = file('mixed-endings.csv', 'Email,First Name\r\na@x.example,Ann\nb@x.example,Bob\rc@x.example,Cy\r\n');
    const s = await b.invoke('import-run', { path, options: { kind: 'leads' } });
    expect(s).toMatchObject({ rowsTotal: 3, inserted: 3, errors: 0 });
    expect(leads(b).map((l) => l.first_name)).toEqual(['Zed', 'Ann', 'Bob', 'Cy']);
  });

  it('an unbalanced quote costs only its own row, and the counts say so', async () => {
    const b = await workspace();
    const path = file(
      'stray-quote.csv',
      'Email,First Name,Company\na@x.example,"Ann,Acme\nb@x.example,Bob,"Beta, Inc."\nc@x.example,Cy,Corp\n',
    );
    const preview = await b.invoke('import-preview', { path, options: { kind: 'leads' } });
    expect(preview.rows.map((r) => [r.row, r.ok])).toEqual([
      [2, false],
      [3, true],
      [4, true],
    ]);
    const s = await b.invoke('import-run', { path, options: { kind: 'leads' } });
    expect(s).toMatchObject({ rowsTotal: 3, inserted: 2, errors: 1 });
    expect(errors(b, s.importId)).toEqual([
      {
        row: 2,
        column: 'First Name',
        reason:
          'The row cannot be read: a quote opens this cell but never closes it, so the row cannot be split into cells.',
      },
    ]);
    expect(leads(b).slice(1)).toMatchObject([{ first_name: 'Bob', company: 'Beta, Inc.' }, { first_name: 'Cy' }]);
  });

  it('a cell over the size limit costs its row with a clear reason; the rest imports', async () => {
    const b = await workspace();
    const path = file(
      'huge-cell.csv',
      `Email,First Name,Notes\na@x.example,Ann,${'x'.repeat(MAX_CELL_CHARS + 1)}\nb@x.example,Bob,short\n`,
    );
    const s = await b.invoke('import-run', { path, options: { kind: 'leads' } });
    expect(s).toMatchObject({ rowsTotal: 2, inserted: 1, errors: 1 });
    expect(errors(b, s.importId)).toEqual([
      {
        row: 2,
        column: 'Notes',
        reason: 'The row cannot be read: the cell holds more than 1,000,000 characters (the limit for one cell).',
      },
    ]);
  });
});

describe('one huge line', () => {
  it('a row of more cells than a spreadsheet row holds costs its row; the rest imports', async () => {
    const b = await workspace();
    const path = file(
      'wide-row.csv',
      `Email,First Name\na@x.example,Ann${','.repeat(MAX_ROW_CELLS)}\nb@x.example,Bob\n`,
    );
    const s = await b.invoke('import-run', { path, options: { kind: 'leads' } });
    expect(s).toMatchObject({ rowsTotal: 2, inserted: 1, errors: 1 });
    expect(errors(b, s.importId)).toEqual([
      {
        row: 2,
        column: null,
        reason: 'The row cannot be read: the row has more than 16,384 cells (the most a spreadsheet row holds).',
      },
    ]);
  });

  it.each([
    // 20 MB of "lorem ipsum," without a line break: 1.7 million cells, not one header.
    [
      'one-line.csv',
      () => 'lorem ipsum,'.repeat(20_000_000 / 12),
      'the row has more than 16,384 cells (the most a spreadsheet row holds).',
    ],
    [
      'one-cell.csv',
      () => `${'x'.repeat(MAX_CELL_CHARS + 1)}\nann@acme.example\n`,
      'the cell holds more than 1,000,000 characters (the limit for one cell).',
    ],
  ])('%s, whose first line cannot be read, is refused as having no header row it can read', async (name, text, why) => {
    const b = await workspace();
    const path = file(name, text());
    const message = `"${name}" has no header row it can read: row 1. The row cannot be read: ${why}`;
    await expect(b.invoke('import-inspect', { path })).rejects.toMatchObject({ message });
    expect(await refusal(b, path)).toBe(message);
    expect(await refusal(b, path, { headerRow: 1 })).toBe(
      `Row 1 of "${name}" is no header row. The row cannot be read: ${why}`,
    );
  });
});

describe('text that is not UTF-8', () => {
  const cp1252 = Buffer.from('Email,First Name\nj@x.example,J\xe9r\xf4me\n', 'latin1');

  it('is imported only after its encoding is confirmed, and the inspection shows it decoded', async () => {
    const b = await workspace();
    const path = file('latin.csv', cp1252);
    const info = await b.invoke('import-inspect', { path });
    expect(info).toMatchObject({ encoding: 'windows-1252', encodingSample: 'j@x.example,Jérôme' });
    expect(await refusal(b, path)).toBe(
      '"latin.csv" is not valid UTF-8 text. Read as windows-1252 one of its lines says "j@x.example,Jérôme". ' +
        'If that reads correctly, confirm the encoding (leadbench import --encoding windows-1252, or the ' +
        'confirmation in the import wizard); if not, name the right one. Nothing was imported.',
    );
    const confirmed = await b.invoke('import-inspect', { path, encoding: 'windows-1252' });
    expect(confirmed.encodingSample).toBeNull();
    await b.invoke('import-run', { path, options: { kind: 'leads', encoding: 'windows-1252' } });
    expect(leads(b)[1]?.first_name).toBe('Jérôme');
  });

  it('stops, changing nothing, when bytes past the detected start are not UTF-8', async () => {
    const b = await workspace();
    const rows = Array.from({ length: 3000 }, (_, i) => `p${i}@x.example,Person ${i}`).join('\n');
    const path = file(
      'late-latin.csv',
      Buffer.concat([Buffer.from(`Email,First Name\n${rows}\n`), cp1252.subarray(17)]),
    );
    expect(await refusal(b, path)).toMatch(
      /^"late-latin\.csv" is not valid UTF-8 text after its first [\d,]+ bytes\. Name its encoding to import it \(e\.g\. leadbench import --encoding windows-1252, or Encoding in the import wizard\)\. Nothing was imported\.$/,
    );
  });
});

describe('emails', () => {
  it('one person whatever the form: IDN Unicode or punycode domain, NFC or NFD, invisible characters', async () => {
    const b = await workspace();
    const path = file(
      'emails.csv',
      [
        'Email,First Name',
        'ann@bücher.example,Ann',
        'ann@xn--bcher-kva.example,Ann',
        'ANN@B\u0075\u0308CHER.example,Ann',
        'bob\u200b@acme.example,Bob',
        'bob@acme.example\u2060,Bob',
      ].join('\n'),
    );
    const s = await b.invoke('import-run', { path, options: { kind: 'leads' } });
    expect(s).toMatchObject({ rowsTotal: 5, inserted: 2, errors: 0 });
    expect(
      leads(b)
        .slice(1)
        .map((l) => [l.email, l.email_norm]),
    ).toEqual([
      ['ann@bücher.example', 'ann@xn--bcher-kva.example'],
      ['bob@acme.example', 'bob@acme.example'],
    ]);
  });
});

describe('migration 0250-email-norm-idn', () => {
  it('puts stored non-ASCII emails in the one form, leaving a second lead of the same address alone', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 250),
    );
    db.prepare(
      `INSERT INTO leads (id, uid, email, email_norm, created_at, updated_at) VALUES
         (1, 'u1', 'ann@bücher.example', 'ann@bücher.example', 0, 0),
         (2, 'u2', 'jo@acme.example', 'jo@acme.example', 0, 0),
         (3, 'u3', 'zoë@acme.example', 'zoe\u0308@acme.example', 0, 0),
         (4, 'u4', 'zoë@acme.example', 'zoë@acme.example', 0, 0)`,
    ).run();
    migrate(db, MIGRATIONS);
    expect(db.prepare('SELECT email_norm FROM leads ORDER BY id').pluck().all()).toEqual([
      'ann@xn--bcher-kva.example',
      'jo@acme.example',
      'zoe\u0308@acme.example',
      'zoë@acme.example',
    ]);
    db.close();
  });
});
