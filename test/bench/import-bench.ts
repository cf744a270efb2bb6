/**
 * Import benchmark: generates a deterministic lead CSV and activity CSV, imports both
 * through the real handler table (import-run: stream, map, dedupe, journal, rescore), and
 * measures in the same run the bare limit for the activity file: papaparse streaming the
 * same file with no work, plus better-sqlite3 inserting the same rows into the same table
 * in one prepared transaction. importRatio = activity import time / bare time.
 *
 * The activity import runs in a forked process of its own (import-child.ts), so that its
 * memory is the import's and not this process's generated data: peakRssMB is that
 * process's kernel high-water mark (maxRSS), rssBeforeMB its RSS with the backend loaded
 * and the workspace open, peakRssGrowthMB the difference. The import's time includes the
 * rescore that import-run runs after the write phase; the write phase alone and the
 * rescore are reported too (activityWritePhaseSec, activityRescoreSec).
 */
import { fork } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import Papa from 'papaparse';
import { createBackend } from '../../electron/backend/backend';
import { openWorkspaceDb } from '../../electron/backend/db/open';
import type { ImportChildResult } from './import-child';
import { mulberry32 } from '../support/seeded-random';
import { seededPicker } from './seed';

const PAGES = [
  '/',
  '/pricing',
  '/product',
  '/product/integrations',
  '/customers',
  '/careers',
  '/blog/lead-scoring-101',
  '/blog/mql-vs-sql',
  '/docs/getting-started',
  '/contact',
];
const ASSETS = [
  ...PAGES.map((p) => `https://www.leadbench.example${p}`),
  'Lead Scoring Playbook (ebook)',
  'State of B2B Marketing 2026 (whitepaper)',
  'Newsletter November',
  'Webinar Invite',
  'Scoring Leads Without a Data Team',
  'Product Tour (3 min)',
];
/** Activity type labels as an export would write them, and the type each maps to. */
const TYPES: readonly (readonly [string, string])[] = [
  ['Page View', 'page_visit'],
  ['Page View', 'page_visit'],
  ['Page View', 'page_visit'],
  ['Email Opened', 'email_open'],
  ['Email Clicked', 'email_click'],
  ['Downloaded', 'download'],
  ['Webinar Registered', 'webinar_registered'],
  ['Webinar Attended', 'webinar_attended'],
  ['Form Submitted', 'form_fill'],
  ['Video Watched', 'video_watched'],
];
const FIRST = ['Ava', 'Liam', 'Noah', 'Emma', 'Olivia', 'Mateo', 'Sofia', 'Lucas', 'Mia', 'Elena', 'Hugo', 'Chloé'];
const LAST = ['Johnson', 'Müller', 'Garcia', 'Nguyen', 'Smith', 'Rossi', 'Dubois', 'Kowalski', 'Tanaka', 'Patel'];
const TITLES = ['VP of Marketing', 'CTO', 'Director of IT', 'Marketing Manager', 'Data Analyst', 'Student', 'CEO'];
const INDUSTRIES = ['Software', 'Financial Services', 'Manufacturing', 'Healthcare', 'Retail', 'Education'];
const COUNTRIES = ['United States', 'Germany', 'France', 'United Kingdom', 'India', 'Brazil', 'Canada'];
const T0 = Date.UTC(2026, 0, 1);

const emailOf = (i: number) => `lead${i}@company${i % 9973}.example`;

/** The bench's lead file: `count` generated leads, one per email (lead-import-bench.ts imports it too). */
export async function writeLeadsCsv(path: string, count: number): Promise<void> {
  const row = leadRows();
  await writeLines(path, LEADS_CSV_HEADER.join(','), count, (i) => row(i).join(','));
}

/** The bench's lead rows (LEADS_CSV_HEADER's columns), in order: call with i = 0, 1, 2, ... */
export function leadRows(): (i: number) => string[] {
  const { rnd: rl, pick } = seededPicker(42);
  return (i) => [
    emailOf(i),
    pick(FIRST),
    pick(LAST),
    `Company ${i % 9973}`,
    pick(TITLES),
    pick(INDUSTRIES),
    String(Math.floor(rl() * 5000) + 1),
    pick(COUNTRIES),
    pick(['Organic Search', 'Paid Search', 'Referral', 'Webinar']),
  ];
}

export const LEADS_CSV_HEADER = [
  'Email',
  'First Name',
  'Last Name',
  'Company',
  'Job Title',
  'Industry',
  'Employees',
  'Country',
  'Lead Source',
] as const;

/** Buffered line writer with back-pressure. */
async function writeLines(path: string, header: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  let buf = `${header}\r\n`;
  for (let i = 0; i < count; i++) {
    buf += `${line(i)}\r\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'close');
}

type ActivityRows = {
  lead: Int32Array;
  type: Uint8Array;
  asset: Uint8Array;
  at: Float64Array;
  duration: Float64Array;
};

/** The activity rows, generated once into typed arrays (the bare insert reuses them). */
function activityRows(leads: number, activities: number): ActivityRows {
  const rand = mulberry32(1_000_003);
  const rows: ActivityRows = {
    lead: new Int32Array(activities),
    type: new Uint8Array(activities),
    asset: new Uint8Array(activities),
    at: new Float64Array(activities),
    duration: new Float64Array(activities),
  };
  for (let i = 0; i < activities; i++) {
    // Skewed: a minority of leads does most of the activity, as in real logs.
    rows.lead[i] = Math.floor(rand() ** 2 * leads);
    rows.type[i] = Math.floor(rand() * TYPES.length);
    rows.asset[i] = Math.floor(rand() * ASSETS.length);
    rows.at[i] = T0 + Math.floor(rand() * 300 * 86_400) * 1000;
    rows.duration[i] = rand() < 0.5 ? Math.floor(rand() * 600) : NaN;
  }
  return rows;
}

export async function bareParse(path: string): Promise<{ seconds: number; rows: number }> {
  const t = performance.now();
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse(createReadStream(path, { encoding: 'utf8' }) as unknown as File, {
      chunk: (r: Papa.ParseResult<unknown>) => {
        rows += r.data.length;
      },
      complete: () => resolve(),
      error: (e: Error) => reject(e),
    });
  });
  return { seconds: (performance.now() - t) / 1000, rows };
}

export async function benchImport(opts: {
  dir: string;
  leads: number;
  activities: number;
}): Promise<Record<string, number>> {
  mkdirSync(opts.dir, { recursive: true });
  for (const f of ['bench.leadbench', 'bare.leadbench']) {
    for (const ext of ['', '-wal', '-shm']) rmSync(join(opts.dir, f + ext), { force: true });
  }
  const leadsCsv = join(opts.dir, 'bench-leads.csv');
  const actsCsv = join(opts.dir, 'bench-activities.csv');

  await writeLeadsCsv(leadsCsv, opts.leads);
  const rows = activityRows(opts.leads, opts.activities);
  await writeLines(actsCsv, 'Email,Activity Type,Asset,Timestamp,Duration (seconds)', opts.activities, (i) => {
    const d = rows.duration[i] as number;
    return `${emailOf(rows.lead[i] as number)},${TYPES[rows.type[i] as number]?.[0]},${ASSETS[rows.asset[i] as number]},${new Date(rows.at[i] as number).toISOString()},${Number.isNaN(d) ? '' : d}`;
  });
  const actsBytes = statSync(actsCsv).size;

  // --- the real import, through the handler table ---
  const workspacePath = join(opts.dir, 'bench.leadbench');
  const backend = createBackend({ workspacePath });
  const result: Record<string, number> = {};
  try {
    const t = performance.now();
    const leads = await backend.invoke('import-run', { path: leadsCsv, options: { kind: 'leads' } });
    const leadsSec = (performance.now() - t) / 1000;
    result.leadRows = leads.rowsTotal;
    result.leadsInserted = leads.inserted;
    result.leadsImportSec = leadsSec;
    result.leadsRowsPerSec = Math.round(leads.rowsTotal / leadsSec);
  } finally {
    backend.close();
  }

  const acts = await importInChild(workspacePath, actsCsv);
  Object.assign(result, {
    activityRows: acts.activityRows,
    activitiesInserted: acts.activitiesInserted,
    activityErrors: acts.activityErrors,
    activityFileMB: actsBytes / 2 ** 20,
    activityImportSec: acts.activityImportSec,
    activityWritePhaseSec: acts.activityWritePhaseSec,
    activityRescoreSec: acts.activityRescoreSec,
    activityImportCpuSec: acts.activityImportCpuSec,
    activityWritePhaseCpuSec: acts.activityWritePhaseCpuSec,
    activityRowsPerSec: Math.round(acts.activityRows / acts.activityImportSec),
    activityWritePhaseRowsPerSec: Math.round(acts.activityRows / acts.activityWritePhaseSec),
    activityMBPerSec: actsBytes / 2 ** 20 / acts.activityImportSec,
    rssBeforeMB: acts.rssBeforeMB,
    peakRssMB: acts.peakRssMB,
    peakRssGrowthMB: acts.peakRssMB - acts.rssBeforeMB,
    peakRssImportPhaseMB: acts.peakRssImportPhaseMB,
    peakRssRescorePhaseMB: acts.peakRssRescorePhaseMB,
    reimportSec: acts.reimportSec,
    reimportNewActivities: acts.reimportNewActivities,
  });

  // --- the bare limit: parse with no work + insert the same rows in one transaction ---
  const parseCpu0 = process.cpuUsage();
  const parse = await bareParse(actsCsv);
  const parseCpu = process.cpuUsage(parseCpu0);
  const bareDb = openWorkspaceDb(join(opts.dir, 'bare.leadbench'), { create: true });
  try {
    const addLead = bareDb.prepare(
      'INSERT INTO leads (id, uid, email, email_norm, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)',
    );
    bareDb.transaction(() => {
      for (let i = 0; i < opts.leads; i++) addLead.run(i + 1, `u${i}`, emailOf(i), emailOf(i));
    })();
    const ins = bareDb.prepare(
      'INSERT OR IGNORE INTO activities (lead_id, type, asset, occurred_at, duration_sec, import_id) VALUES (?, ?, ?, ?, ?, NULL)',
    );
    const t = performance.now();
    const insertCpu0 = process.cpuUsage();
    bareDb.transaction(() => {
      for (let i = 0; i < opts.activities; i++) {
        const d = rows.duration[i] as number;
        ins.run(
          (rows.lead[i] as number) + 1,
          TYPES[rows.type[i] as number]?.[1],
          ASSETS[rows.asset[i] as number],
          rows.at[i],
          Number.isNaN(d) ? null : d,
        );
      }
    })();
    const insertSec = (performance.now() - t) / 1000;
    const insertCpu = process.cpuUsage(insertCpu0);
    result.bareParseSec = parse.seconds;
    result.bareInsertSec = insertSec;
    result.bareSec = parse.seconds + insertSec;
    result.importRatio = (result.activityImportSec ?? 0) / result.bareSec;
    // CPU seconds are steadier than wall time on a busy machine.
    result.bareCpuSec = (parseCpu.user + parseCpu.system + insertCpu.user + insertCpu.system) / 1e6;
    result.importCpuRatio = (result.activityImportCpuSec ?? 0) / result.bareCpuSec;
    result.importRatioWithoutRescore = (result.activityWritePhaseSec ?? 0) / result.bareSec;
    result.importCpuRatioWithoutRescore = (result.activityWritePhaseCpuSec ?? 0) / result.bareCpuSec;
  } finally {
    bareDb.close();
  }
  return result;
}

/** Runs the activity import in a forked process (see import-child.ts) and returns what it measured. */
async function importInChild(workspacePath: string, csv: string): Promise<ImportChildResult> {
  // Forked with this process's execArgv, i.e. through tsx like the bench itself.
  const child = fork(join(import.meta.dirname, 'import-child.ts'), [workspacePath, csv], { stdio: 'inherit' });
  let result: ImportChildResult | null = null;
  child.on('message', (m) => {
    result = m as ImportChildResult;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0 || result === null) throw new Error(`The import process failed (exit code ${code}).`);
  return result;
}
