import * as XLSX from '@e965/xlsx';
import Papa from 'papaparse';
import { unzipSync, strFromU8 } from 'fflate';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rescoreLeads } from '../../../electron/backend/services/scoring/rescore';
import { tempBackend, tempDir } from '../helpers';
import { LEADS, NOW, PAYLOADS, findSoffice, libreofficeResave, seed, type Seeded } from './fixtures';

const SOFFICE = findSoffice();
const NO_LO = 'skipped: LibreOffice (soffice) is not installed; install Debian package libreoffice-calc-nogui';

const backend = tempBackend({ now: () => NOW });
let s: Seeded;
beforeAll(() => {
  s = seed(backend.context.db());
});

function readXlsx(path: string) {
  return XLSX.read(readFileSync(path), { cellNF: true, cellFormula: true });
}

describe('export-leads', () => {
  it('writes a typed XLSX: numbers, dates with a format, frozen header, widths, filter', async () => {
    const out = join(tempDir(), 'leads.xlsx');
    const r = await backend.invoke('export-leads', {
      source: { kind: 'all' },
      columns: [
        'name',
        'email',
        'company',
        'company_size',
        'score_total',
        'grade',
        'last_activity_at',
        'sla_due_at',
        'owner_name',
        'stage',
        'custom.Budget',
      ],
      format: 'xlsx',
      out,
      timeZone: 'Europe/Berlin',
    });
    expect(r.rows).toBe(LEADS.length);
    expect(r.roundTrip).toBe(true);
    expect(r.headers.slice(0, 3)).toEqual(['Leadbench ID', 'Leadbench export', 'Name']);
    const wb = readXlsx(out);
    const ws = wb.Sheets[wb.SheetNames[0]!]!;
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(ws, { raw: true });
    const ann = rows.find((row) => row.Email === 'ann@acme.example')!;
    expect(ann['Leadbench ID']).toBe(s.uids[0]);
    expect(ann['Leadbench export']).toBe(r.exportUid);
    expect(ann['Company size']).toBe(250);
    expect(ann.Score).toBe(91);
    expect(ann.Stage).toBe('MQL');
    expect(ann.Owner).toBe('Alice Rep');
    expect(ann.Budget).toBe('50000');
    // Dates are numbers with a date format, in the export's zone (Berlin is UTC+1 in November).
    const dateCell = ws[XLSX.utils.encode_cell({ r: 1 + rows.indexOf(ann), c: r.headers.indexOf('Last activity') })]!;
    expect(dateCell.t).toBe('n');
    expect(XLSX.SSF.is_date(String(dateCell.z))).toBe(true);
    expect(XLSX.SSF.format(String(dateCell.z), dateCell.v as number)).toBe('2026-11-19 10:00');
    const files = unzipSync(readFileSync(out));
    const sheetXml = strFromU8(files['xl/worksheets/sheet1.xml']!);
    expect(sheetXml).toContain('state="frozen"');
    expect(sheetXml).toMatch(/<col min="1" max="1" width="\d+" customWidth="1"/);
    expect(sheetXml).toContain('<autoFilter ref="A1:');
  });

  it('neutralizes formula payloads in XLSX and CSV; numbers stay numbers', async () => {
    const dir = tempDir();
    for (const format of ['xlsx', 'csv'] as const) {
      const out = join(dir, `payloads.${format}`);
      await backend.invoke('export-leads', {
        source: { kind: 'all' },
        columns: ['first_name', 'last_name', 'company', 'title', 'custom.Budget', 'company_size'],
        format,
        out,
        roundTrip: false,
      });
      const wb = readXlsx(out);
      const ws = wb.Sheets[wb.SheetNames[0]!]!;
      const cells = Object.entries(ws).filter(([k]) => !k.startsWith('!'));
      // No cell is a formula, and every payload reads back as text with the guard quote.
      expect(cells.filter(([, c]) => (c as XLSX.CellObject).f !== undefined)).toEqual([]);
      const texts = cells.map(([, c]) => (c as XLSX.CellObject).v).filter((v) => typeof v === 'string') as string[];
      for (const p of PAYLOADS) expect(texts).toContain(`'${p}`);
      const sizes = cells.filter(([, c]) => (c as XLSX.CellObject).t === 'n').map(([, c]) => (c as XLSX.CellObject).v);
      expect(sizes).toEqual(expect.arrayContaining([250, 40, 1200]));
    }
  });

  it('CSV: BOM or not, comma or semicolon (with decimal comma)', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.csv');
    await backend.invoke('export-leads', {
      source: { kind: 'segment', segment: 'hot' },
      columns: ['email', 'score_total'],
      format: 'csv',
      out: a,
      roundTrip: false,
    });
    const textA = readFileSync(a, 'utf8');
    expect(textA.startsWith('\uFEFFEmail,Score\r\n')).toBe(true);
    // Segment exports are ordered by score, best first.
    expect(textA.split('\r\n').slice(1, 4)).toEqual([
      'ann@acme.example,91',
      'eve@epsilon.example,81',
      'ben@beta.example,77.5',
    ]);
    const b = join(dir, 'b.csv');
    await backend.invoke('export-leads', {
      source: { kind: 'segment', segment: 'hot' },
      columns: ['email', 'score_total'],
      format: 'csv',
      csv: { bom: false, delimiter: ';' },
      out: b,
      roundTrip: false,
    });
    const textB = readFileSync(b, 'utf8');
    expect(textB.startsWith('Email;Score\r\n')).toBe(true);
    expect(textB).toContain('ben@beta.example;77,5');
  });

  it('exports a grid query and a selection with exactly the grid filter', async () => {
    const dir = tempDir();
    const q = join(dir, 'q.csv');
    const r = await backend.invoke('export-leads', {
      source: {
        kind: 'query',
        query: {
          filters: [{ column: 'country', op: 'in', values: ['US'] }],
          sort: { column: 'score_total', dir: 'asc' },
        },
      },
      columns: ['email'],
      format: 'csv',
      out: q,
      roundTrip: false,
    });
    expect(r.rows).toBe(2);
    expect(readFileSync(q, 'utf8')).toBe('\uFEFFEmail\r\neve@epsilon.example\r\nann@acme.example\r\n');
    const sel = join(dir, 'sel.csv');
    const r2 = await backend.invoke('export-leads', {
      source: { kind: 'selection', selection: { kind: 'ids', ids: [s.ids[2]!, s.ids[0]!] } },
      columns: ['email'],
      format: 'csv',
      out: sel,
      roundTrip: false,
    });
    expect(r2.rows).toBe(2);
  });

  it('presets name columns for HubSpot, Salesforce and Pipedrive', async () => {
    const dir = tempDir();
    const expected = {
      hubspot: ['Email', 'First Name', 'Last Name', 'Phone Number', 'Company Name', 'Job Title'],
      salesforce: ['FirstName', 'LastName', 'Email', 'Company', 'Title', 'Phone'],
      pipedrive: ['Lead - Title', 'Person - Name', 'Person - First name', 'Person - Last name', 'Person - Email'],
    } as const;
    for (const preset of ['hubspot', 'salesforce', 'pipedrive'] as const) {
      const out = join(dir, `${preset}.csv`);
      const r = await backend.invoke('export-leads', { source: { kind: 'all' }, preset, format: 'csv', out });
      expect(r.roundTrip).toBe(false);
      const parsed = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8').replace(/^\uFEFF/, ''), {
        header: true,
        skipEmptyLines: true,
      });
      expect(parsed.meta.fields!.slice(0, expected[preset].length)).toEqual(expected[preset]);
      const ann = parsed.data.find((row) => Object.values(row).includes('ann@acme.example'))!;
      if (preset === 'hubspot') {
        expect(ann['Lifecycle Stage']).toBe('marketingqualifiedlead');
        expect(ann['Contact owner']).toBe('alice@us.example');
      }
      if (preset === 'salesforce') {
        expect(ann.Status).toBe('Open - Not Contacted');
        expect(ann.Rating).toBe('Hot');
        expect(ann.NumberOfEmployees).toBe('250');
      }
      if (preset === 'pipedrive') expect(ann['Lead - Title']).toBe('Acme');
    }
  });

  it('per-owner packs: one file per owner, or one workbook with a sheet per owner', async () => {
    const dir = tempDir();
    const files = await backend.invoke('export-owner-packs', {
      layout: 'files',
      format: 'xlsx',
      out: join(dir, 'packs'),
    });
    expect(files.files.map((f) => [f.ownerName, f.rows])).toEqual([
      ['Alice Rep', 3],
      ['Bob Rep', 3],
    ]);
    expect(readdirSync(join(dir, 'packs')).sort()).toEqual([
      'Alice Rep - leads 2026-11-20.xlsx',
      'Bob Rep - leads 2026-11-20.xlsx',
    ]);
    const book = join(dir, 'team.xlsx');
    const wbr = await backend.invoke('export-owner-packs', { layout: 'workbook', format: 'xlsx', out: book });
    const wb = readXlsx(book);
    expect(wb.SheetNames).toEqual(['Alice Rep', 'Bob Rep']);
    const header = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['Alice Rep']!, { header: 1 })[0]!;
    expect(header).toEqual(
      expect.arrayContaining([
        'Leadbench ID',
        'Leadbench export',
        'Attempt date',
        'Channel',
        'Outcome',
        'Disposition',
        'Notes',
        'Next step',
        'Score breakdown',
        'SLA due',
      ]),
    );
    expect(wbr.exportUid).toMatch(/^EX-20261120-[0-9a-z]{7}$/);
    const csvPacks = await backend.invoke('export-owner-packs', {
      layout: 'files',
      format: 'csv',
      out: join(dir, 'csvpacks'),
      ownerIds: [s.bob],
    });
    expect(csvPacks.files).toHaveLength(1);
    expect(readFileSync(csvPacks.files[0]!.path, 'utf8')).toContain('dan@delta.example');
  });

  it('refuses a wrong extension and leaves no partial file when cancelled', async () => {
    const dir = tempDir();
    await expect(
      backend.invoke('export-leads', { source: { kind: 'all' }, format: 'xlsx', out: join(dir, 'x.csv') }),
    ).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    const out = join(dir, 'cancelled.xlsx');
    const p = backend.invoke('export-leads', { source: { kind: 'all' }, format: 'xlsx', out, jobId: 'cancel-me' });
    expect((await backend.invoke('export-cancel', { jobId: 'cancel-me' })).cancelled).toBe(true);
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(readdirSync(dir)).toEqual([]);
    const list = await backend.invoke('exports-list', {});
    expect(list[0]!.status).toBe('cancelled');
  });

  it.skipIf(!SOFFICE)(
    `payloads stay inert when LibreOffice opens the files${SOFFICE ? '' : ` (${NO_LO})`}`,
    async () => {
      const dir = tempDir();
      const profile = join(dir, 'lo-profile');
      // Control: the same payloads unguarded ARE evaluated by LibreOffice's CSV import.
      const raw = join(dir, 'raw.csv');
      writeFileSync(
        raw,
        `a\r\n${PAYLOADS.slice(0, 4)
          .map((p) => `"${p.replace(/"/g, '""')}"`)
          .join('\r\n')}\r\n`,
      );
      const rawXlsx = join(dir, 'raw.xlsx');
      libreofficeResave(SOFFICE!, raw, profile, 'xlsx');
      const control = Object.values(readXlsx(rawXlsx).Sheets.raw!).filter((c) => (c as XLSX.CellObject).f);
      expect(control.length).toBeGreaterThan(0);
      for (const format of ['csv', 'xlsx'] as const) {
        const out = join(dir, `inert.${format}`);
        await backend.invoke('export-leads', {
          source: { kind: 'all' },
          columns: ['first_name', 'last_name', 'company', 'title', 'custom.Budget', 'company_size'],
          format,
          out,
          roundTrip: false,
        });
        libreofficeResave(SOFFICE!, out, profile, 'xlsx');
        const wb = readXlsx(out.replace(/\.csv$/, '.xlsx'));
        const cells = Object.entries(wb.Sheets[wb.SheetNames[0]!]!).filter(([k]) => !k.startsWith('!'));
        expect(cells.filter(([, c]) => (c as XLSX.CellObject).f !== undefined)).toEqual([]);
        const texts = cells.map(([, c]) => String((c as XLSX.CellObject).v));
        for (const p of PAYLOADS.filter((x) => !x.startsWith(' ') && !x.startsWith('\t')))
          expect(texts).toContain(`'${p}`);
        const numbers = cells
          .filter(([, c]) => (c as XLSX.CellObject).t === 'n')
          .map(([, c]) => (c as XLSX.CellObject).v);
        expect(numbers).toEqual(expect.arrayContaining([250, 40, 1200]));
      }
    },
  );

  it('export-report writes a report table with numbers as numbers', async () => {
    const dir = tempDir();
    const x = await backend.invoke('export-report', {
      report: 'funnel',
      format: 'xlsx',
      out: join(dir, 'funnel.xlsx'),
    });
    expect(x.headers[0]).toBe('Step');
    const rows = XLSX.utils.sheet_to_json<unknown[]>(readXlsx(x.files[0]!.path).Sheets.Funnel!, { header: 1 });
    expect(rows[1]).toEqual(['All leads', LEADS.length, 100, 100]);
    const c = await backend.invoke('export-report', { report: 'grades', format: 'csv', out: join(dir, 'grades.csv') });
    expect(readFileSync(c.files[0]!.path, 'utf8')).toContain('Segment,hot,3,50');
  });

  it('export-options lists columns (with custom fields), presets, owners, segments', async () => {
    const o = await backend.invoke('export-options', {});
    expect(o.columns.map((c) => c.key)).toEqual(
      expect.arrayContaining(['lead_id', 'score_total', 'ledger', 'custom.Budget']),
    );
    expect(o.presets.map((p) => p.id)).toEqual(['hubspot', 'salesforce', 'pipedrive']);
    expect(o.owners).toEqual([
      { id: s.alice, name: 'Alice Rep', email: 'alice@us.example', leads: 3 },
      { id: s.bob, name: 'Bob Rep', email: 'bob@us.example', leads: 3 },
    ]);
    expect(o.segments).toEqual(['cold', 'hot', 'warm']);
  });

  it('writes the score ledger as readable text', async () => {
    const db = backend.context.db();
    rescoreLeads(db, s.ids, NOW);
    const out = join(tempDir(), 'ledger.csv');
    await backend.invoke('export-leads', {
      source: { kind: 'selection', selection: { kind: 'ids', ids: [s.ids[0]!] } },
      columns: ['email', 'score_total', 'ledger'],
      format: 'csv',
      out,
      roundTrip: false,
    });
    const parsed = Papa.parse<string[]>(readFileSync(out, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true });
    const [email, score, ledger] = parsed.data[1]!;
    expect(email).toBe('ann@acme.example');
    expect(ledger).toMatch(/^Score -?\d+ \(fit -?\d+, engagement -?\d+\), grade \w+, segment \w+/);
    expect(String(ledger).split('\n').at(-1)).toBe(`  = ${score}`);
  });
});
