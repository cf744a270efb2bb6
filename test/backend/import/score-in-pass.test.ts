/**
 * New leads scored in the import's own pass (services/import/score-in-pass.ts): each lead's
 * scores are written with its row, and the rescore after the import scores only the leads
 * it must (changed again by a later row, or with a value in a custom field a model reads
 * that the import types at its end). What is stored must be exactly what the import followed
 * by its rescore stores (content compared, explain compared), for both rescore paths (the
 * incremental one of small imports, the full one of big ones), and it must stay atomic.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../shared/contract';
import { importOptionsSchema } from '../../../shared/contract/import';
import { DEFAULT_MODEL } from '../../../shared/scoring';
import type { Backend } from '../../../electron/backend/backend';
import { runImport } from '../../../electron/backend/services/import/run';
import { activeRescore } from '../../../electron/backend/services/scoring/rescore-job';
import { writeLeadsCsv } from '../../bench/import-bench';
import { REAL_DATA, tempBackend, tempDir } from '../helpers';
import { contentDump, contentDumpWithoutUids, historyWithoutIds, stageChangesWithoutIds } from './dump';

const NOW = 1_790_000_000_000;
const XEDUCATION = join(REAL_DATA, 'xeducation_leads.csv');
const XEDUCATION_OPTIONS = { kind: 'leads', blankPlaceholders: true, mapping: { 'Prospect ID': 'key' } } as const;

type Setup = (b: Backend) => Promise<void>;

/**
 * Imports `path` as the import-run handler runs it (a queued write: alone, one transaction),
 * with new leads scored in the pass or (`scoreInPass` false) by the rescore after it. Notes
 * how many leads the import left to its rescore (its 'rescoring' phase's total) and whether
 * a full rescore job ran.
 */
async function importWith(path: string, options: unknown, scoreInPass: boolean, setup?: Setup) {
  const seen = { leftToRescore: 0, fullRescore: false };
  const b = tempBackend({
    now: () => NOW,
    emit: (name, payload) => {
      if (name !== 'job-progress') return;
      const p = payload as JobProgress;
      if (p.kind === 'import' && p.phase === 'rescoring') seen.leftToRescore = p.total ?? 0;
      if (p.kind === 'rescore') seen.fullRescore = true;
    },
  });
  await setup?.(b);
  seen.fullRescore = false;
  const summary = await b.context.writes.run(() =>
    runImport(b.context, path, importOptionsSchema.parse(options), undefined, { scoreInPass }),
  );
  return { b, db: b.context.db(), summary, seen };
}

/** The same file imported both ways: content, summary and a few leads' explanations compared. */
async function bothWays(
  path: string,
  options: unknown,
  explain: readonly number[],
  o: { setup?: Setup; historyIds?: false; stageChangeIds?: false } = {},
) {
  const setup = o.setup;
  const after = await importWith(path, options, false, setup);
  const inPass = await importWith(path, options, true, setup);
  expect({ ...inPass.summary, durationMs: 0, jobId: '' }).toEqual({ ...after.summary, durationMs: 0, jobId: '' });
  for (const leadId of explain) {
    expect(await inPass.b.invoke('lead-explain', { leadId })).toEqual(await after.b.invoke('lead-explain', { leadId }));
  }
  // The model publish of a setup backs the workspace up first, each into its own folder.
  for (const db of [inPass.db, after.db]) {
    db.exec("UPDATE backups SET path = ''");
    if (o.historyIds === false) historyWithoutIds(db);
    if (o.stageChangeIds === false) stageChangesWithoutIds(db);
  }
  expect(contentDumpWithoutUids(inPass.db)).toBe(contentDumpWithoutUids(after.db));
  return { after, inPass };
}

const count = (db: Database.Database, sql: string) => db.prepare(sql).pluck().get() as number;

/** A primary model whose MQL threshold fit alone reaches. */
const mqlOnFit: Setup = async (b) => {
  const primary = b.context.db().prepare('SELECT id FROM models WHERE is_primary = 1').pluck().get() as number;
  await b.invoke('model-publish', {
    modelId: primary,
    definition: { ...DEFAULT_MODEL, mql: { threshold: 30, minFitGrade: null } },
  });
  await activeRescore(b.context.db())?.done;
};

/** mqlOnFit, and two reps that MQLs are routed to in turn. */
const mqlOnFitAndRouting: Setup = async (b) => {
  for (const name of ['Ada Rep', 'Ben Rep']) {
    await b.invoke('owner-save', { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com`, role: 'SDR' });
  }
  await b.invoke('routing-rule-save', { name: 'SDRs in turn', targetKind: 'role', targetGroup: 'SDR' });
  await mqlOnFit(b);
};

describe('new leads scored in the import pass', () => {
  it('stores what the import and its rescore store (real file, incremental rescore path)', async () => {
    const { after, inPass } = await bothWays(XEDUCATION, XEDUCATION_OPTIONS, [1, 777, 9240]);
    expect(after.summary).toMatchObject({ inserted: 9240, rescored: 9240 });
    expect(after.seen.leftToRescore).toBe(9240);
    // Every lead was scored as it was written: the rescore after the import had nothing to do.
    expect(inPass.seen.leftToRescore).toBe(0);
    expect(count(inPass.db, 'SELECT count(*) FROM lead_scores')).toBe(9240);
    expect(count(inPass.db, 'SELECT count(*) FROM score_history')).toBe(9240);
  });

  it('stores what the import and a full rescore store (10,500 bench leads)', async () => {
    const csv = join(tempDir(), 'bench-leads.csv');
    await writeLeadsCsv(csv, 10_500);
    const { after, inPass } = await bothWays(csv, { kind: 'leads' }, [1, 5_000, 10_500]);
    expect(after.seen.fullRescore).toBe(true);
    expect(inPass.seen).toEqual({ leftToRescore: 0, fullRescore: false });
    expect(count(inPass.db, 'SELECT count(*) FROM leads WHERE scored_at = ' + NOW)).toBe(10_500);
  });

  it('stores the same history rows, in the same order, under three models whose primary is not the first', async () => {
    // Three rows a lead: the 64-row statements end inside a lead, and the primary (model 2)
    // comes first in each lead's rows (history ids compared).
    const threeModels: Setup = async (b) => {
      for (const name of ['Second', 'Third']) {
        const created = await b.invoke('model-create', { name, copyOf: 1 });
        await b.invoke('model-publish', {
          modelId: created.id,
          definition: { ...DEFAULT_MODEL, mql: { threshold: name === 'Second' ? 20 : 40, minFitGrade: null } },
        });
        await activeRescore(b.context.db())?.done;
      }
      await b.invoke('model-set-primary', { modelId: 2 });
      await activeRescore(b.context.db())?.done;
    };
    const csv = join(tempDir(), 'bench-leads.csv');
    await writeLeadsCsv(csv, 1_000);
    const { inPass } = await bothWays(csv, { kind: 'leads' }, [1, 500, 1_000], { setup: threeModels });
    expect(inPass.seen.leftToRescore).toBe(0);
    expect(count(inPass.db, 'SELECT count(*) FROM score_history')).toBe(3_000);
    const firstOfLead = inPass.db
      .prepare('SELECT model_id FROM score_history WHERE lead_id = 7 ORDER BY id')
      .pluck()
      .all();
    expect(firstOfLead).toEqual([2, 1, 3]);
  });

  it('leaves to the rescore the leads a later row changes and those a model reads an untyped custom field of', async () => {
    // People 0-599, then 20 of them again with another title (the second row updates the lead
    // the first created); every 50th is a competitor ("Lead type", a custom column new to the
    // workspace that the default model's suppression reads).
    const titles = ['CEO', 'Student', 'Marketing Manager', 'VP Sales'];
    const lines = ['Email,First Name,Job Title,Company,Lead type'];
    for (let i = 0; i < 600; i++) {
      lines.push(
        `p${i}@firm${i % 7}.example,Ann${i},${titles[i % 4]},Firm ${i % 7},${i % 50 === 0 ? 'Competitor' : ''}`,
      );
    }
    const again = Array.from({ length: 20 }, (_, k) => k * 30 + 1);
    for (const i of again) lines.push(`p${i}@firm${i % 7}.example,Ann${i},Data Analyst,Firm ${i % 7},`);
    const file = join(tempDir(), 'people.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { inPass } = await bothWays(file, { kind: 'leads', update: 'overwrite' }, [1, 2, 31, 51], {
      historyIds: false,
    });

    const competitors = 600 / 50;
    expect(inPass.seen.leftToRescore).toBe(again.length + competitors);
    // A lead changed by a later row has one score, as the rescore gave it: the analyst's.
    const changed = inPass.db
      .prepare(
        `SELECT count(*) AS n, max(h.total = l.score_total AND h.grade = l.grade) AS same, max(l.title) AS title
           FROM score_history h JOIN leads l ON l.id = h.lead_id WHERE l.email = 'p31@firm3.example'`,
      )
      .get();
    expect(changed).toEqual({ n: 1, same: 1, title: 'Data Analyst' });
    expect(count(inPass.db, "SELECT count(*) FROM leads WHERE suppressed_reason = 'Competitor'")).toBe(competitors);
  });

  it('moves the MQLs among them to the MQL stage and routes them in the same turn as the rescore', async () => {
    const csv = join(tempDir(), 'bench-leads.csv');
    await writeLeadsCsv(csv, 3_000);
    const { inPass } = await bothWays(csv, { kind: 'leads' }, [1, 2, 3], { setup: mqlOnFitAndRouting });
    expect(inPass.seen.leftToRescore).toBe(0);
    expect(count(inPass.db, "SELECT count(*) FROM stage_changes WHERE to_stage = 'mql'")).toBeGreaterThan(500);
    expect(count(inPass.db, 'SELECT count(DISTINCT owner_id) FROM leads WHERE owner_id IS NOT NULL')).toBe(2);
  });

  it('scores the leads an outcome column closes in the pass too, as when they were scored just before closing', async () => {
    // A third won, a third lost, a third still open; fit alone makes MQLs, and the outcome
    // then closes some of them in the same commit. (Without routing: round-robin turns go
    // in id order here, the closed leads' first before.)
    const titles = ['CEO', 'Student', 'VP Sales', 'Marketing Manager'];
    const lines = ['Email,First Name,Job Title,Company,Converted'];
    for (let i = 0; i < 900; i++) {
      lines.push(`c${i}@firm${i % 7}.example,Cy${i},${titles[i % 4]},Firm ${i % 7},${['1', '0', ''][i % 3]}`);
    }
    const file = join(tempDir(), 'closed.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const options = { kind: 'leads', outcome: { column: 'Converted', won: ['1'] } };
    const { inPass } = await bothWays(file, options, [1, 2, 3, 4], {
      setup: mqlOnFit,
      historyIds: false,
      stageChangeIds: false,
    });
    expect(inPass.seen.leftToRescore).toBe(0);
    expect(count(inPass.db, "SELECT count(*) FROM leads WHERE stage = 'won'")).toBe(300);
    expect(count(inPass.db, "SELECT count(*) FROM stage_changes WHERE to_stage = 'mql'")).toBeGreaterThan(100);
    expect(count(inPass.db, 'SELECT count(*) FROM lead_scores WHERE total > 0')).toBeGreaterThan(400);
  });

  it('a failure after the scoring leaves content and schema exactly as before (routing turn included)', async () => {
    const b = tempBackend({ now: () => NOW });
    await mqlOnFitAndRouting(b);
    await b.invoke('sample-load', { id: 'starter' });
    const db = b.context.db();
    // Fails when the import marks itself done: after every row, score and MQL transition.
    db.exec(`CREATE TRIGGER fail_import BEFORE UPDATE OF status ON imports WHEN NEW.status = 'done' AND NEW.file_name = 'bench-leads.csv'
             BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END`);
    const schema = () =>
      db.prepare("SELECT sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    const before = contentDump(db);
    const schemaBefore = schema();
    const csv = join(tempDir(), 'bench-leads.csv');
    await writeLeadsCsv(csv, 3_000);
    const err = await b.context.writes
      .run(() => runImport(b.context, csv, importOptionsSchema.parse({ kind: 'leads' })))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'IMPORT_FAILED' });
    expect(db.inTransaction).toBe(false);
    expect(schema()).toEqual(schemaBefore);
    expect(contentDump(db)).toBe(before);
  });
});
