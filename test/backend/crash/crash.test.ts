/**
 * Crash consistency: each job that writes runs in a real child process (the real CLI,
 * bin/leadbench.mjs; undo, which has no command, through the backend in a child of its own)
 * and is killed with SIGKILL at a seeded random moment. Then the workspace is opened (which
 * heals it) and checked: integrity_check ok; the job's data all or nothing (as before the
 * job or as after a complete run); scores equal to a fresh full rescore; no job left
 * running; no temporary file left.
 *
 * CRASH_KILLS sets the kills per job (default 20; e.g. 300 for a long run): runs that really
 * died by the signal mid-run, not attempts. CRASH_SEED sets the seed (the failing seed and
 * kill are printed with every failure).
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import Papa from 'papaparse';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../electron/backend/backend';
import { fullRescoreNow } from '../../../electron/backend/services/scoring/full-rescore';
import { DEFAULT_MODEL } from '../../../shared/scoring';
import { REPO_ROOT, tempDir } from '../helpers';
import { mulberry32 as random } from '../../support/seeded-random';
import { editCsv } from '../exchange/sheet-edit';

const KILLS = Number(process.env.CRASH_KILLS ?? 20);
const SEED = Number(process.env.CRASH_SEED ?? 18);
const CLI = join(REPO_ROOT, 'bin/leadbench.mjs');
const CHILD = join(import.meta.dirname, 'job-child.ts');
// Activities in the future: no decay or inactivity moves a score between the job and the check.
const FUTURE = Date.UTC(2031, 0, 1);

type Run = { code: number | null; signal: string | null; stderr: string; ms: number };

/** Runs a command; with `killAfterMs`, SIGKILLs it then (if still running). */
function run(args: readonly string[], killAfterMs?: number): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr, ms: Date.now() - started });
    });
  });
}

const csv = (rows: readonly (readonly (string | number)[])[]) => `${rows.map((r) => r.join(',')).join('\n')}\n`;

/** Where the suite's input files are. */
function fileNames(dir: string) {
  return {
    leads: join(dir, 'leads.csv'),
    activities: join(dir, 'activities.csv'),
    moreActivities: join(dir, 'more-activities.csv'),
    moreLeads: join(dir, 'more-leads.csv'),
    stage: join(dir, 'stage.csv'),
    model: join(dir, 'model.json'),
    sheet: join(dir, 'returned-sheet.csv'),
  };
}

/** The data of the suite: a workspace of 400 scored leads, and the files the jobs read. */
async function fixtures(dir: string) {
  const leads: (string | number)[][] = [['Email', 'First Name', 'Company', 'Job Title', 'Country']];
  const titles = ['CEO', 'VP Sales', 'Director IT', 'Manager', 'Engineer', 'Student'];
  for (let i = 0; i < 400; i++) leads.push([`p${i}@acme${i % 7}.com`, `P${i}`, `Acme ${i % 7}`, titles[i % 6]!, 'US']);
  const activities: (string | number)[][] = [['Email', 'Activity', 'Page', 'Date']];
  const types = ['Page Visited', 'Email Opened', 'Form Submitted', 'Webinar Attended'];
  const pages = ['/pricing', '/demo', '/blog', '/careers'];
  for (let i = 0; i < 1200; i++) {
    activities.push([
      `p${i % 400}@acme${(i % 400) % 7}.com`,
      types[i % 4]!,
      pages[i % 3]!,
      iso(FUTURE + i * 3_600_000),
    ]);
  }
  const moreActivities: (string | number)[][] = [['Email', 'Activity', 'Page', 'Date']];
  for (let i = 0; i < 8000; i++) {
    const p = (i * 7919) % 600; // people 400-599 are new: the import creates them
    moreActivities.push([`p${p}@acme${p % 7}.com`, types[i % 4]!, pages[(i >> 2) % 4]!, iso(FUTURE + i * 60_000)]);
  }
  const moreLeads: (string | number)[][] = [['Email', 'First Name', 'Company', 'Job Title', 'Country']];
  for (let i = 0; i < 1000; i++)
    moreLeads.push([`p${i}@acme${i % 7}.com`, `Q${i}`, `Beta ${i % 5}`, titles[(i + 1) % 6]!, 'DE']);
  const stageFile: (string | number)[][] = [['Email']];
  for (let i = 0; i < 400; i++) stageFile.push([`p${i}@acme${i % 7}.com`]);
  const files = fileNames(dir);
  writeFileSync(files.leads, csv(leads));
  writeFileSync(files.activities, csv(activities));
  writeFileSync(files.moreActivities, csv(moreActivities));
  writeFileSync(files.moreLeads, csv(moreLeads));
  writeFileSync(files.stage, csv(stageFile));
  writeFileSync(
    files.model,
    JSON.stringify({
      ...DEFAULT_MODEL,
      engagement: DEFAULT_MODEL.engagement.map((r) => ({ ...r, points: r.points + 5 })),
    }),
  );
  const base = join(dir, 'base.leadbench');
  const b = createBackend({ workspacePath: base, scoringHelperEntry: null });
  await b.invoke('import-run', { path: files.leads, options: { kind: 'leads' } });
  await b.invoke('import-run', { path: files.activities, options: { kind: 'activities' } });
  b.close();
  // Undo needs an import worth undoing: the base with the second activity log imported.
  const withImport = join(dir, 'with-import.leadbench');
  copyFileSync(base, withImport);
  const u = createBackend({ workspacePath: withImport, scoringHelperEntry: null });
  await u.invoke('import-run', { path: files.moreActivities, options: { kind: 'activities' } });
  u.close();
  // The round trip needs a round-trip export and the sheet a rep sent back: 150 leads with a
  // new job title and a logged call, and 150 new leads typed below.
  const withExport = join(dir, 'with-export.leadbench');
  copyFileSync(base, withExport);
  const e = createBackend({ workspacePath: withExport, scoringHelperEntry: null });
  await e.invoke('export-leads', {
    source: { kind: 'all' },
    format: 'csv',
    out: files.sheet,
    columns: ['name', 'email', 'company', 'title', 'country', 'attempt_date', 'channel', 'outcome', 'notes'],
  });
  e.close();
  const exported = Papa.parse<Record<string, string>>(readFileSync(files.sheet, 'utf8').replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: true,
  }).data;
  editCsv(files.sheet, [
    ...exported.slice(0, 150).map((row, i) => ({
      leadUid: row['Leadbench ID']!,
      set: {
        'Job title': 'Chief Revenue Officer',
        'Attempt date': iso(Date.UTC(2026, 5, 1) + i * 60_000).slice(0, 16),
        Channel: 'Call',
        Outcome: 'Connected',
        Notes: `Call ${i}`,
      },
    })),
    ...Array.from({ length: 150 }, (_, i) => ({
      leadUid: null,
      set: { Email: `n${i}@newco${i % 5}.example`, Name: `New Person${i}`, Company: `Newco ${i % 5}` },
    })),
  ]);
  return { base, withImport, withExport };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

type Job = Readonly<{
  name: string;
  /** The workspace it starts from (default: the base). */
  start?: 'withImport' | 'withExport';
  /** The child's arguments (node ...), given the workspace and a scratch folder. */
  args: (ws: string, scratch: string) => string[];
  /** What the job changes, comparable between "before", "after" and a killed run. */
  state: (db: Database.Database, scratch: string) => unknown;
}>;

const count = (db: Database.Database, sql: string) => db.prepare(sql).pluck().get() as number;

function jobs(files: ReturnType<typeof fileNames>): Job[] {
  const leadsAndActivities = (db: Database.Database) => ({
    leads: count(db, 'SELECT count(*) FROM leads'),
    activities: count(db, 'SELECT count(*) FROM activities'),
    names: db
      .prepare(
        "SELECT group_concat(first_name || company || coalesce(title, ''), '|') FROM (SELECT * FROM leads ORDER BY email)",
      )
      .pluck()
      .get(),
    imports: count(db, "SELECT count(*) FROM imports WHERE status = 'done'"),
  });
  return [
    {
      name: 'import activities',
      args: (ws) => [CLI, 'import', files.moreActivities, '--db', ws, '--kind', 'activities'],
      state: leadsAndActivities,
    },
    {
      name: 'import leads (overwrite)',
      args: (ws) => [CLI, 'import', files.moreLeads, '--db', ws, '--kind', 'leads', '--update', 'overwrite'],
      state: leadsAndActivities,
    },
    {
      name: 'publish + rescore (score --model)',
      args: (ws) => [CLI, 'score', '--db', ws, '--model', files.model],
      state: (db) => db.prepare('SELECT published_version FROM models WHERE is_primary = 1').pluck().get(),
    },
    {
      name: 'bulk stage change (stage --file)',
      args: (ws) => [CLI, 'stage', '--db', ws, '--to', 'sql', '--file', files.stage, '--key', 'Email'],
      state: (db) => ({
        sql: count(db, "SELECT count(*) FROM leads WHERE stage = 'sql'"),
        changes: count(db, 'SELECT count(*) FROM stage_changes'),
      }),
    },
    {
      name: 'undo import',
      start: 'withImport',
      args: (ws) => ['--import', 'tsx', CHILD, 'undo-last-import', ws],
      state: (db) => ({
        ...leadsAndActivities(db),
        undone: count(db, "SELECT count(*) FROM imports WHERE status = 'undone'"),
      }),
    },
    {
      name: 'export (xlsx, round trip)',
      args: (ws, scratch) => [
        CLI,
        'export',
        '--db',
        ws,
        '--all',
        '--format',
        'xlsx',
        '--out',
        join(scratch, 'out.xlsx'),
      ],
      state: (db, scratch) => ({
        done: count(db, "SELECT count(*) FROM exports WHERE status = 'done'"),
        rows: count(db, 'SELECT count(*) FROM export_rows'),
        file: existsSync(join(scratch, 'out.xlsx')),
      }),
    },
    {
      name: 'round-trip apply (field edits, attempts, new leads)',
      start: 'withExport',
      args: (ws) => ['--import', 'tsx', CHILD, 'roundtrip-apply', ws, files.sheet],
      state: (db) => ({
        leads: count(db, 'SELECT count(*) FROM leads'),
        titles: count(db, "SELECT count(*) FROM leads WHERE title = 'Chief Revenue Officer'"),
        attempts: count(db, 'SELECT count(*) FROM attempts'),
        applies: count(db, 'SELECT count(*) FROM roundtrip_applies'),
        applied: count(db, 'SELECT count(*) FROM roundtrip_applied'),
        imports: count(db, "SELECT count(*) FROM imports WHERE status = 'done'"),
      }),
    },
    {
      name: 'bulk delete (backup first)',
      args: (ws) => ['--import', 'tsx', CHILD, 'bulk-delete', ws, '%@acme3.com'],
      state: (db) => ({
        leads: count(db, 'SELECT count(*) FROM leads'),
        activities: count(db, 'SELECT count(*) FROM activities'),
        batches: count(db, 'SELECT count(*) FROM bulk_batches'),
      }),
    },
    {
      name: 'backup',
      args: (ws, scratch) => [CLI, 'backup', '--db', ws, '--out', join(scratch, 'copy.leadbench')],
      state: (_db, scratch) => {
        const path = join(scratch, 'copy.leadbench');
        if (!existsSync(path)) return { copy: false };
        const copy = new Database(path, { readonly: true });
        try {
          return {
            copy: copy.pragma('integrity_check', { simple: true }),
            leads: count(copy, 'SELECT count(*) FROM leads'),
          };
        } finally {
          copy.close();
        }
      },
    },
  ];
}

/** Scores as stored (without the time they were computed). */
function scores(db: Database.Database): unknown[] {
  return db
    .prepare(
      `SELECT lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql, suppressed_reason, ledger
         FROM lead_scores ORDER BY lead_id, model_id`,
    )
    .raw()
    .all();
}

/** Opens (heals) the workspace and checks every invariant; returns the job's state. */
function openAndCheck(ws: string, scratch: string, job: Job, where: string): unknown {
  const b = createBackend({ workspacePath: ws, scoringHelperEntry: null });
  try {
    const db = b.context.db();
    expect(db.pragma('integrity_check', { simple: true }), where).toBe('ok');
    expect(count(db, "SELECT count(*) FROM imports WHERE status NOT IN ('done', 'undone')"), where).toBe(0);
    expect(count(db, "SELECT count(*) FROM exports WHERE status = 'running'"), where).toBe(0);
    expect(
      count(db, "SELECT count(*) FROM export_rows r JOIN exports e ON e.id = r.export_id WHERE e.status <> 'done'"),
      where,
    ).toBe(0);
    expect(count(db, 'SELECT count(*) FROM job_journal'), where).toBe(0);
    expect(count(db, "SELECT count(*) FROM workspace_meta WHERE key = 'rescore_pending'"), where).toBe(0);
    const published = db.prepare('SELECT published_version FROM models WHERE is_primary = 1').pluck().get();
    expect(count(db, `SELECT count(*) FROM lead_scores WHERE model_version <> ${Number(published)}`), where).toBe(0);
    const stored = scores(db);
    fullRescoreNow(db, Date.now());
    expect(scores(db), `${where}: scores differ from a fresh full rescore`).toEqual(stored);
    // Beside the targets and in the automatic backups' folder.
    const partials = readdirSync(scratch, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('.partial'));
    expect(partials, where).toEqual([]);
    return job.state(db, scratch);
  } finally {
    b.close();
  }
}

describe('crash consistency: every job all or nothing through kill -9', () => {
  const dir = tempDir();
  const data = fixtures(dir);
  // Before this, a child has not opened the workspace yet: kills there prove nothing.
  const startup = data.then(async ({ base }) => (await run([CLI, 'info', '--db', base])).ms * 0.8);

  jobs(fileNames(dir)).forEach((job, index) => {
    it(
      `${job.name}: ${KILLS} kills at seeded moments (seed ${SEED + index})`,
      async () => {
        const starts = await data;
        const from = await startup;
        const next = random(SEED + index);
        const prepared = (n: string) => {
          const scratch = join(dir, `${job.name.replace(/\W+/g, '-')}-${n}`);
          mkdirSync(scratch, { recursive: true });
          const ws = join(scratch, 'w.leadbench');
          copyFileSync(starts[job.start ?? 'base'], ws);
          return { scratch, ws };
        };
        // A complete run: what "after" looks like and how long the job takes.
        const ref = prepared('ref');
        const before = openAndCheck(ref.ws, ref.scratch, job, `${job.name}: before`);
        const full = await run(job.args(ref.ws, ref.scratch));
        expect(full.code, `${job.name}: ${full.stderr}`).toBe(0);
        const after = openAndCheck(ref.ws, ref.scratch, job, `${job.name}: after`);
        expect(after, `${job.name}: the job changes something`).not.toEqual(before);
        // Moments from the end of the process's start-up to a complete run's end. A run that
        // ends before its moment (quicker than the reference) is no crash: the later moments
        // are drawn below its length, until KILLS runs really died mid-run.
        let until = full.ms;
        let start = from;
        const seen = { before: 0, after: 0, killed: 0, attempts: 0 };
        while (seen.killed < KILLS) {
          expect(seen.attempts, `${job.name}: runs keep ending before their kill`).toBeLessThan(KILLS * 3);
          const k = seen.attempts++;
          const at = Math.round(start + next() * (until - start));
          const attempt = prepared(String(k));
          const r = await run(job.args(attempt.ws, attempt.scratch), at);
          if (r.signal === 'SIGKILL') seen.killed++;
          else {
            // Quicker than the reference (the machine's load changed): its start-up too.
            until = Math.min(until, r.ms);
            start = Math.min(start, until * 0.8);
          }
          const where = `${job.name}, kill ${k} at ${at} ms of ${full.ms} (seed ${SEED + index})`;
          const state = JSON.stringify(openAndCheck(attempt.ws, attempt.scratch, job, where));
          if (state === JSON.stringify(before)) seen.before++;
          else if (state === JSON.stringify(after)) seen.after++;
          else
            expect.fail(
              `${where}: half-done: ${state}; before ${JSON.stringify(before)}; after ${JSON.stringify(after)}; exit ${r.code ?? r.signal}`,
            );
          rmSync(attempt.scratch, { recursive: true, force: true });
        }
        console.log(
          `${job.name}: ${seen.killed} kills mid-run in ${seen.attempts} runs, ${seen.before} as before, ${seen.after} as after (complete run ${full.ms} ms)`,
        );
        expect(seen.before + seen.after).toBe(seen.attempts);
      },
      Math.max(300_000, KILLS * 30_000),
    );
  });
});
