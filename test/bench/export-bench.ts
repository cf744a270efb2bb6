/**
 * Export benchmark: a deterministic workspace of N scored, owned leads (bulk SQL), then the
 * real export job (the export-leads handler: ids, batched loads, streamed writer) to CSV
 * and to XLSX, timed, with the process RSS sampled every 20 ms. Memory "stays flat" when
 * RSS stops growing once the first batches are in flight: `rss_growth_second_half_mb`
 * compares the RSS high-water mark of the second half of the rows with that of the first
 * half (a writer that kept rows would grow by half the file there).
 *
 * Figures: seconds, rows/s, MB. The bare limit for CSV is the same rows read with one
 * SELECT and joined to strings without quoting, typing or the formula guard.
 */
import { mkdirSync, statSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { createBackend } from '../../electron/backend/backend';
import { openWorkspaceDb } from '../../electron/backend/db/open';
import type { JobProgress } from '../../shared/contract';
import { dropLeadExtras, seededPicker } from './seed';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 1);
const COLUMNS = [
  'name',
  'email',
  'company',
  'title',
  'phone',
  'country',
  'company_size',
  'stage',
  'owner_name',
  'score_total',
  'grade',
  'segment',
  'last_activity_at',
  'created_at',
];

const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'Ana', 'Jürgen'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'García', 'Müller', 'Davis', "O'Brien", 'Nguyen'];
const COMPANIES = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Vandelay, Inc.',
  '=Stark',
  'Wayne "WE"',
  'Tyrell',
];
const TITLES = ['CTO', 'VP Sales', 'Head of Marketing', 'Analyst', 'Engineer', 'CEO', 'Buyer'];
const COUNTRIES = ['US', 'DE', 'FR', 'UK', 'NL', 'ES', 'BR', 'IN'];
const STAGES = ['new', 'mql', 'sal', 'sql', 'opportunity', 'won', 'lost'];
const SEGMENTS = ['hot', 'warm', 'cold'];

/** N leads written with plain SQL in large transactions, deterministic. */
export function generateExportWorkspace(path: string, leads: number): void {
  const db: Database.Database = openWorkspaceDb(path, { create: true });
  try {
    const { rnd, pick } = seededPicker(7);
    const owner = db.prepare("INSERT INTO owners (name, email, role, created_at) VALUES (?, ?, 'inside_sales', 0)");
    const owners = Array.from({ length: 20 }, (_, i) =>
      Number(owner.run(`Rep ${i + 1}`, `rep${i + 1}@bench.example`).lastInsertRowid),
    );
    const insert = db.prepare(
      `INSERT INTO leads (uid, email, email_norm, first_name, last_name, company, title, phone, company_size, country,
         stage, owner_id, score_total, score_fit, score_engagement, grade, segment, last_activity_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const restoreExtras = dropLeadExtras(db);
    const BATCH = 50_000;
    for (let start = 0; start < leads; start += BATCH) {
      db.transaction(() => {
        for (let i = start; i < Math.min(leads, start + BATCH); i++) {
          const email = `lead${i}@bench${i % 5000}.example`;
          const fit = Math.floor(rnd() * 60);
          const eng = Math.floor(rnd() * 60);
          const created = NOW - Math.floor(rnd() * 365) * DAY;
          insert.run(
            `bench-${i.toString(36).padStart(8, '0')}`,
            email,
            email,
            pick(FIRST),
            pick(LAST),
            pick(COMPANIES),
            pick(TITLES),
            `+1 555 ${String(i % 10_000).padStart(4, '0')}`,
            Math.floor(rnd() * 5000) + 1,
            pick(COUNTRIES),
            pick(STAGES),
            pick(owners),
            fit + eng,
            fit,
            eng,
            `${'ABCD'[Math.floor(rnd() * 4)]}${1 + Math.floor(rnd() * 4)}`,
            pick(SEGMENTS),
            created + Math.floor(rnd() * 30) * DAY,
            created,
            created,
          );
        }
      })();
    }
    restoreExtras();
  } finally {
    db.close();
  }
}

type Sample = { t: number; rss: number };

async function measured(
  run: () => Promise<unknown>,
  progress: { t: number; done: number }[],
): Promise<{ seconds: number; cpuSeconds: number; samples: Sample[]; baseline: number }> {
  const samples: Sample[] = [];
  const cpu0 = process.cpuUsage();
  const baseline = process.memoryUsage().rss;
  const timer = setInterval(() => samples.push({ t: Date.now(), rss: process.memoryUsage().rss }), 20);
  const t0 = Date.now();
  progress.length = 0;
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
  samples.push({ t: Date.now(), rss: process.memoryUsage().rss });
  const cpu = process.cpuUsage(cpu0);
  return { seconds: (Date.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, samples, baseline };
}

function memoryFigures(samples: Sample[], baseline: number, progress: { t: number; done: number }[], total: number) {
  const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
  const halfAt = progress.find((p) => p.done >= total / 2)?.t ?? samples[Math.floor(samples.length / 2)]?.t ?? 0;
  const firstHalf = samples.filter((s) => s.t <= halfAt).map((s) => s.rss);
  const secondHalf = samples.filter((s) => s.t > halfAt).map((s) => s.rss);
  const peak = Math.max(baseline, ...samples.map((s) => s.rss));
  return {
    peak_rss_growth_mb: mb(peak - baseline),
    rss_growth_second_half_mb: mb(Math.max(0, Math.max(0, ...secondHalf) - Math.max(baseline, ...firstHalf))),
  };
}

/** Bare limit: one SELECT over the same rows, joined to CSV lines without any formatting. */
async function bareCsv(path: string, out: string): Promise<number> {
  const db = openWorkspaceDb(path);
  const stream = createWriteStream(out);
  const t0 = Date.now();
  try {
    let buf = '';
    for (const r of db
      .prepare(
        `SELECT first_name, last_name, email, company, title, phone, country, company_size, stage, owner_name,
           score_total, grade, segment, last_activity_at, created_at FROM leads ORDER BY id`,
      )
      .raw()
      .iterate() as IterableIterator<unknown[]>) {
      buf += `${r.join(',')}\r\n`;
      if (buf.length > 1 << 18) {
        if (!stream.write(buf)) await once(stream, 'drain');
        buf = '';
      }
    }
    stream.end(buf);
    await once(stream, 'finish');
    return (Date.now() - t0) / 1000;
  } finally {
    db.close();
  }
}

export async function benchExport(opts: { dir: string; leads: number }): Promise<Record<string, number>> {
  mkdirSync(opts.dir, { recursive: true });
  const path = join(opts.dir, 'export-bench.leadbench');
  const g0 = Date.now();
  generateExportWorkspace(path, opts.leads);
  const generateSeconds = (Date.now() - g0) / 1000;
  const progress: { t: number; done: number }[] = [];
  const backend = createBackend({
    workspacePath: path,
    now: () => NOW,
    emit: (name, payload) => {
      if (name === 'job-progress') progress.push({ t: Date.now(), done: (payload as JobProgress).done });
    },
  });
  const result: Record<string, number> = { leads: opts.leads, generate_s: generateSeconds };
  try {
    for (const format of ['csv', 'xlsx'] as const) {
      const out = join(opts.dir, `leads.${format}`);
      const m = await measured(
        () =>
          backend.invoke('export-leads', {
            source: { kind: 'all' },
            columns: COLUMNS,
            format,
            out,
            roundTrip: false,
            timeZone: 'Europe/Berlin',
          }),
        progress,
      );
      const mem = memoryFigures(m.samples, m.baseline, progress, opts.leads);
      result[`${format}_s`] = Math.round(m.seconds * 100) / 100;
      result[`${format}_rows_per_s`] = Math.round(opts.leads / m.seconds);
      result[`${format}_cpu_s`] = Math.round(m.cpuSeconds * 100) / 100;
      result[`${format}_file_mb`] = Math.round((statSync(out).size / 2 ** 20) * 10) / 10;
      result[`${format}_peak_rss_growth_mb`] = mem.peak_rss_growth_mb;
      result[`${format}_rss_growth_second_half_mb`] = mem.rss_growth_second_half_mb;
    }
    const bare = await bareCsv(path, join(opts.dir, 'bare.csv'));
    result.bare_csv_s = Math.round(bare * 100) / 100;
    result.csv_ratio_to_bare = Math.round((result.csv_s! / bare) * 100) / 100;
    // Round-trip exports also record every lead's exported values (measured on a subset).
    const t0 = Date.now();
    await backend.invoke('export-leads', {
      source: { kind: 'query', query: { filters: [{ column: 'score_total', op: 'range', min: 0, max: 11 }] } },
      columns: COLUMNS,
      format: 'xlsx',
      out: join(opts.dir, 'roundtrip.xlsx'),
      roundTrip: true,
    });
    const rtRows = backend.context
      .db()
      .prepare('SELECT row_count FROM exports ORDER BY id DESC LIMIT 1')
      .pluck()
      .get() as number;
    result.roundtrip_xlsx_rows = rtRows;
    result.roundtrip_xlsx_rows_per_s = Math.round(rtRows / ((Date.now() - t0) / 1000));
  } finally {
    backend.close();
  }
  return result;
}
