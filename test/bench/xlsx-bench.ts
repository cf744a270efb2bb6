/**
 * XLSX import memory (issue 15): the bench's lead rows, 200,000 at scale 1, imported once
 * from a CSV and once from an XLSX (written as Excel writes one: every text in the shared
 * strings), each into a new workspace in a process of its own (xlsx-memory-child.ts), so
 * each peak is the kernel's high-water mark of that import alone (maxRSS).
 *
 * - xlsxImportPeakRssMB: the XLSX import's peak (goal < 400; 812 MB when SheetJS read the
 *   whole workbook);
 * - csvImportPeakRssMB: the same rows from CSV (streamed all along), for comparison;
 * - xlsxImportSec, csvImportSec: their times, rescore included.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LEADS_CSV_HEADER, leadRows, writeLeadsCsv } from './import-bench';
import { writeXlsxFile } from './xlsx-file';

const CHILD = resolve(import.meta.dirname, '../backend/import/xlsx-memory-child.ts');
const MB = 2 ** 20;

function importInChild(dir: string, file: string): { sec: number; peakRssMB: number; rows: number } {
  const workspace = join(dir, `${Date.now()}.leadbench`);
  const t0 = performance.now();
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, workspace, file, 'leads'], {
    cwd: resolve(import.meta.dirname, '../..'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const sec = (performance.now() - t0) / 1000;
  for (const ext of ['', '-wal', '-shm']) rmSync(workspace + ext, { force: true });
  if (child.status !== 0) throw new Error(`import of ${file} failed (exit ${child.status})`);
  const out = JSON.parse(child.stdout) as { summary: { rowsTotal: number }; peakRssMB: number };
  return { sec, peakRssMB: out.peakRssMB, rows: out.summary.rowsTotal };
}

export async function benchXlsx(o: { dir: string; rows: number }): Promise<Record<string, number>> {
  mkdirSync(o.dir, { recursive: true });
  const csv = join(o.dir, 'leads.csv');
  const xlsx = join(o.dir, 'leads.xlsx');
  await writeLeadsCsv(csv, o.rows);
  const row = leadRows();
  const employees = LEADS_CSV_HEADER.indexOf('Employees');
  writeXlsxFile(xlsx, 'Leads', LEADS_CSV_HEADER, o.rows, (i) =>
    row(i).map((v, c) => (c === employees ? Number(v) : v)),
  );
  const x = importInChild(o.dir, xlsx);
  const c = importInChild(o.dir, csv);
  if (x.rows !== o.rows || c.rows !== o.rows) throw new Error(`imported ${x.rows} / ${c.rows} rows of ${o.rows}`);
  return {
    xlsxRows: o.rows,
    xlsxFileMB: statSync(xlsx).size / MB,
    xlsxImportPeakRssMB: x.peakRssMB,
    xlsxImportSec: x.sec,
    csvImportPeakRssMB: c.peakRssMB,
    csvImportSec: c.sec,
  };
}
