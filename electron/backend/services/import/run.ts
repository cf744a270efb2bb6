/**
 * Running an import as a job: stream the file in batches, map each row, write each batch in
 * one transaction, yield to the event loop between batches (so queries and a cancel request
 * are served), report progress by bytes. Every rejected row is stored with its row number,
 * column and reason. If the job fails or is cancelled, everything it wrote is reverted and
 * its history row removed, so the workspace content is exactly what it was before.
 */
import type Database from 'better-sqlite3';
import type { ImportSummary } from '../../../../shared/contract';
import type { BackendContext } from '../../context';
import { AppError, writeFailureReason } from '../../errors';
import { yieldToEventLoop, type Job } from '../../jobs';
import { outcomeRecorder, type OutcomeCounts, type OutcomeRecorder } from '../outcomes/record';
import { clearRescorePending, markRescorePending, rescorePendingMark } from '../scoring/pending';
import { rescoreLeads } from '../scoring/rescore';
import { activeRescore, startFullRescore } from '../scoring/rescore-job';
import { planImport, type Plan, type ResolvedOptions } from './plan';
import { activityTypeAliases } from '../leads/activity-types';
import { unreadableReason } from './csv-records';
import { hasCellsPastHeader, isBlankRecord } from './header-rows';
import type { RowBatch } from './source';
import { tallyDates } from '../../../../shared/date-findings';
import { customFieldTypes, typeCustomFields } from '../leads/custom-fields';
import { adoptLeadKeyName, forgetLeadKeyName, leadKeyName, setLeadKeyName } from '../leads/lead-key';
import { createWriter, NEXT_ID_SQL, revertImport } from './writer';
import { reclaimFreeSpace } from '../../db/reclaim';
import { commitCheckpointingElsewhere } from '../../db/checkpoint';
import { startLeadBulkLoad, type LeadBulkLoad } from '../leads/bulk-load';
import { createInPassScoring } from './score-in-pass';

const running = new WeakSet<Database.Database>();
const RESCORE_CHUNK = 2000;
/**
 * When an import touched at least this many leads and a quarter of the workspace, one
 * streamed full rescore (it reads activities in lead order and skips unchanged scores) is
 * several times faster and leaner than rescoring those leads one chunk at a time.
 */
export const FULL_RESCORE_MIN_LEADS = 10_000;
const COMMIT_EVERY_MS = 10000;

export type RunHooks = Readonly<{
  /** Called after each committed batch (tests use it to fail or cancel mid-import). */
  afterBatch?: (rowsDone: number) => void;
  /**
   * Commit interval when the import does not run alone in the write queue (default about
   * every 10 s). 0 commits after every batch, alone or not (crash tests need committed batches).
   */
  commitEveryMs?: number;
  /** Activity-log rows queued before a sorted flush (default 100,000). */
  activityFlushRows?: number;
  /**
   * 'staged': the import commits with that status and the caller marks it 'done' in its own
   * final transaction (a round-trip apply lands its new leads and its edits as one); until
   * then, a crash leaves it to be rolled back when the workspace is opened. Default 'done'.
   */
  landAs?: 'done' | 'staged';
  /**
   * false: new leads are scored by the rescore after the import, not as they are inserted
   * (score-in-pass.ts; tests compare the two). Default true.
   */
  scoreInPass?: boolean;
  /** false: a lead import read on the read thread is mapped here all the same (tests compare). Default true. */
  mapOnThread?: boolean;
}>;

function counts() {
  return { rowsTotal: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, errors: 0, activitiesInserted: 0 };
}

export async function runImport(
  ctx: BackendContext,
  path: string,
  options: ResolvedOptions,
  jobId?: string,
  hooks: RunHooks = {},
): Promise<ImportSummary> {
  const db = ctx.db();
  if (running.has(db)) throw new AppError('BUSY', 'Another import is running. Wait for it to finish or cancel it.');
  running.add(db);
  const job = ctx.jobs.start('import', jobId);
  try {
    // A big file's read thread starts now, while the import plans and sets up (read-threads.ts).
    ctx.importReader.prepare(path);
    const plan = await planImport(path, options, true, activityTypeAliases(db));
    return await execute(ctx, db, job, plan, hooks);
  } finally {
    running.delete(db);
    ctx.jobs.finish(job.id);
  }
}

async function execute(ctx: BackendContext, db: Database.Database, job: Job, plan: Plan, hooks: RunHooks) {
  const started = Date.now();
  const s = plan.sniffed;
  const importId = Number(
    db
      .prepare(
        `INSERT INTO imports (file_name, file_path, kind, status, options, mapping, started_at,
                              lead_ids_from, activity_ids_from)
         VALUES (?, ?, ?, 'running', ?, ?, ?, ${NEXT_ID_SQL('leads')}, ${NEXT_ID_SQL('activities')})`,
      )
      .run(
        s.fileName,
        s.path,
        plan.options.kind,
        JSON.stringify({
          ...plan.options,
          mapping: undefined,
          encoding: s.encoding,
          delimiter: s.delimiter,
          sheet: s.sheet,
          headerRow: plan.headerRow,
          dateOrder: plan.settings.dateOrder,
          headers: plan.headers,
        }),
        JSON.stringify(plan.mapping),
        ctx.now(),
      ).lastInsertRowid,
  );
  // The write phase's caches (identity -> lead, queued activities) are gone once it returns,
  // before the rescore allocates its own.
  const outcomes = plan.options.outcome
    ? outcomeRecorder(plan.options.outcome, plan.headers, plan.settings.dateOrder ?? 'auto', importId)
    : null;
  const { c, leadsCreated, affected, scoredBeforeRescore, pending, outcomeCounts, ambiguousDates, dateRange } =
    await writeImport(ctx, db, job, plan, hooks, importId, outcomes);
  if (plan.options.showLeadsBy) setLeadKeyName(db, plan.options.showLeadsBy);

  if (affected.length > 0) {
    job.progress({ phase: 'rescoring', done: 0, total: affected.length, fraction: 1, ratePerSec: null });
  }
  let rescored = await rescoreWholeWorkspace(ctx, affected.length);
  if (rescored === null) {
    rescored = scoredBeforeRescore;
    for (let i = 0; i < affected.length; i += RESCORE_CHUNK) {
      rescored += rescoreLeads(db, affected.slice(i, i + RESCORE_CHUNK), ctx.now()).scored;
      job.progress({
        phase: 'rescoring',
        done: Math.min(affected.length, i + RESCORE_CHUNK),
        total: affected.length,
        fraction: 1,
        ratePerSec: null,
      });
      await yieldToEventLoop();
    }
  }
  clearRescorePending(db, pending);
  const summary: ImportSummary = {
    importId,
    jobId: job.id,
    fileName: s.fileName,
    kind: plan.options.kind,
    status: 'done',
    ...c,
    leadsCreated,
    durationMs: Date.now() - started,
    rescored,
    ...(outcomeCounts ? { outcomes: outcomeCounts } : {}),
    dates: {
      order: plan.settings.dateOrder === 'dmy' || plan.settings.dateOrder === 'mdy' ? plan.settings.dateOrder : null,
      chosen: plan.dateOrderChosen,
      ambiguousRows: ambiguousDates,
      range: dateRange,
    },
  };
  job.progress({ phase: 'done', done: c.rowsTotal, total: c.rowsTotal, fraction: 1, ratePerSec: null, finished: true });
  ctx.emit('import-finished', summary);
  ctx.emit('data-changed', { tables: ['leads', 'activities', 'imports', 'scores'] });
  return summary;
}

/**
 * A lead import is a bulk load (services/leads/bulk-load.ts: indexes and search rows built
 * once at the end) when its file holds this many rows and at least an eighth as many as the
 * workspace held (decided before its first row), or else from the moment it has created that
 * many leads: rebuilding an index sorts every row once, keeping it costs each new row a random
 * insert per index, about fifty times a sorted one (measured: docs/decisions/lean-workspace.md).
 */
const BULK_MIN_NEW_LEADS = 500;
const BULK_WORKSPACE_SHARE = 8;

/** Activity rows queued before a sorted flush (see writer.ts), and inserted between yields. */
const FLUSH_ACTIVITIES = 100_000;
const FLUSH_SLICE = 10_000;

/**
 * Streams, maps and writes the file; commits it (status 'done') or rolls it back. Returns
 * the counts and the leads whose data changed (to rescore).
 */
async function writeImport(
  ctx: BackendContext,
  db: Database.Database,
  job: Job,
  plan: Plan,
  hooks: RunHooks,
  importId: number,
  outcomes: OutcomeRecorder | null,
) {
  const s = plan.sniffed;
  const c = counts();
  const affected = new Set<number>();
  const activityLog = plan.options.kind === 'activities';
  // A key name this import adopts for the workspace goes again if the import does not land.
  const keyNameBefore = leadKeyName(db);
  // Run as a queued write (write-queue.ts: import-run, a round-trip apply, a sample load), the
  // import writes alone: reads are answered from the last commit, other writes wait for it.
  // Then the whole import is ONE transaction (nobody else's write can land in it) and a lead
  // import may defer its index upkeep to the end (bulk load). Run outside the queue, or when
  // the caller wants committed batches, one transaction spans many batches and is committed
  // about every ten seconds: the worker still yields after every batch (64 KB of input), so
  // queries and cancel are served, but the random-access index pages are checkpointed once
  // per commit, not once per batch (1M activity rows: import 1.8x the bare limit with 10 s
  // commits, 2.5x with 2 s).
  const alone = hooks.commitEveryMs !== 0 && ctx.writes.busy();
  const customTypes = new Map([...customFieldTypes(db), ...Object.entries(plan.options.customTypes ?? {})]);
  // New leads are scored as they are written when the import is one transaction (alone: no
  // model is published meanwhile). An outcome column closes leads at the end, in the same
  // commit: it scores first only those this pass did not (outcomes/record.ts).
  const inPass =
    alone && !activityLog && hooks.scoreInPass !== false
      ? createInPassScoring(db, { now: ctx.now(), typedCustom: typedBeforeImport(db, plan.options.customTypes) })
      : null;
  const writer = createWriter(db, {
    importId,
    mode: activityLog ? 'activities' : 'upsert',
    update: plan.update,
    unknownLeads: plan.unknownLeads,
    now: ctx.now(),
    customTypes,
    dateOrder: plan.settings.dateOrder,
    leadKeyName: adoptLeadKeyName(db, [
      ...plan.headers.filter((h) => plan.mapping[h] === 'key'),
      ...(plan.settings.rowKeyName === undefined ? [] : [plan.settings.rowKeyName]),
    ]),
    inPass,
  });
  const insertError = db.prepare(
    'INSERT INTO import_errors (import_id, row_number, column_name, reason, raw) VALUES (?, ?, ?, ?, ?)',
  );
  const width = plan.headers.length;
  let record = 0;
  let leadsCreated = 0;
  // Leads scored by the import itself: in its pass, or by its outcome column before closing them.
  let scoredBeforeRescore = 0;
  let pending: string | null = null;
  const inSection = plan.newSectionReader();
  const dates = tallyDates(plan.headers);
  const range = { first: Infinity, last: -Infinity };
  const noteDate = (ms: number | null) => {
    if (ms === null) return;
    if (ms < range.first) range.first = ms;
    if (ms > range.last) range.last = ms;
  };
  let outcomeCounts: OutcomeCounts | undefined;

  // `mapped_`: drafts the read thread made of this batch's records (read-threads.ts): each is
  // what plan.mapper returns for its record; records without one are mapped here.
  const writeRows = (rows: readonly string[][], bad: RowBatch['bad'], mapped_?: RowBatch['mapped']) => {
    for (let r = 0; r < rows.length; r++) {
      const cells = rows[r] as string[];
      record++;
      // Rows past the chosen section (a webinar report's "Other Attended") are another table.
      if (record <= plan.headerRow || !inSection(cells)) continue;
      const unreadable = bad?.get(r);
      if (unreadable) {
        c.rowsTotal++;
        c.errors++;
        insertError.run(
          importId,
          record,
          plan.headers[unreadable.column] ?? null,
          unreadableReason(unreadable),
          JSON.stringify(cells),
        );
        continue;
      }
      if (isBlankRecord(cells)) {
        c.skipped++;
        continue;
      }
      c.rowsTotal++;
      dates.add(cells, record);
      const extra = hasCellsPastHeader(cells, width);
      const draft = mapped_?.[r];
      const mapped = extra
        ? ({
            ok: false,
            column: null,
            reason: `The row has ${cells.length} cells but the header names ${width} columns.`,
          } as const)
        : draft
          ? ({ ok: true, lead: draft, activities: [] } as const)
          : plan.mapper(cells, record);
      if (!mapped.ok) {
        c.errors++;
        insertError.run(importId, record, mapped.column, mapped.reason, JSON.stringify(cells));
        continue;
      }
      const out = writer.writeRow(mapped.lead, mapped.activities);
      if (out.kind === 'error') {
        c.errors++;
        insertError.run(importId, record, out.column, out.reason, JSON.stringify(cells));
        continue;
      }
      noteDate(mapped.lead.createdAt);
      for (const a of mapped.activities) noteDate(a.occurredAt);
      if (out.kind === 'inserted') {
        leadsCreated++;
        if (!out.scoredInPass) affected.add(out.leadId);
      }
      // Activity rows count as activities, new or already there (re-import): each row's one
      // activity is queued and counted when it is flushed.
      if (activityLog) continue;
      outcomes?.note(out.leadId, cells);
      // Only people whose data changed need a new score (a re-import rescores nobody).
      if ((out.kind !== 'unchanged' && !out.scoredInPass) || out.activitiesInserted > 0) affected.add(out.leadId);
      c.activitiesInserted += out.activitiesInserted;
      if (out.kind === 'unchanged' && out.activitiesInserted > 0) c.updated++;
      else c[out.kind]++;
    }
  };

  // Inserts the queued activities of an activity log in lead order, yielding between slices.
  const flushActivities = async () => {
    while (writer.queuedActivities() > 0) {
      job.checkCancelled();
      begin();
      const f = writer.flushActivities(FLUSH_SLICE);
      c.activitiesInserted += f.inserted;
      c.inserted += f.inserted;
      c.unchanged += f.seen - f.inserted;
      for (const id of f.leads) affected.add(id);
      await yieldToEventLoop();
    }
  };

  const existingLeads = db.prepare('SELECT count(*) FROM leads').pluck().get() as number;
  let bulk: LeadBulkLoad | null = null;
  let lastCommit = performance.now();
  // IMMEDIATE: a batch reads (de-duplication) before it writes, and a deferred transaction's
  // upgrade to a write fails at once, without a busy wait, if another connection writes then.
  const begin = () => {
    if (!db.inTransaction) db.exec('BEGIN IMMEDIATE');
  };
  const commit = () => {
    if (db.inTransaction) db.exec('COMMIT');
    lastCommit = performance.now();
  };
  const commitDue = () => !alone && performance.now() - lastCommit >= (hooks.commitEveryMs ?? COMMIT_EVERY_MS);
  // `newLeads`: the leads created so far, or before the first row the rows the file holds
  // (estimated from its first batch). Deciding before any row is written matters: once rows
  // are written, dropping the indexes in the same transaction leaves every later insert about
  // three times as slow (measured: 20,000 leads, 60-90 against 20-30 us a row; committing
  // before the drop avoids it, but the import must stay one transaction).
  const startBulkWhenWorthIt = (newLeads: number) => {
    if (bulk || !alone || activityLog) return;
    if (newLeads >= BULK_MIN_NEW_LEADS && newLeads * BULK_WORKSPACE_SHARE >= existingLeads) {
      bulk = startLeadBulkLoad(db);
      if (bulk.emailIndexDeferred) writer.matchEmailsInMemory();
    }
  };
  const rowsInFile = (batch: RowBatch) =>
    batch.bytesDone > 0 ? (batch.rows.length * s.sizeBytes) / batch.bytesDone : batch.rows.length;
  // Builds what the bulk load deferred, yielding between indexes.
  const finishBulk = async () => {
    if (!bulk) return;
    let built = 0;
    for (const _ of bulk.finishSteps()) {
      job.progress({ phase: 'indexing', done: ++built, total: null, fraction: 1, ratePerSec: null });
      await yieldToEventLoop();
    }
  };
  try {
    let lastRate = Date.now();
    let lastRows = 0;
    let rate: number | null = null;
    // A lead import's rows are mapped on the read thread too, when the file is read there.
    const mapOnThread = plan.options.kind === 'leads' && hooks.mapOnThread !== false;
    const map = mapOnThread
      ? {
          headers: plan.headers,
          mapping: plan.mapping,
          settings: plan.settings,
          headerRow: plan.headerRow,
          candidates: plan.candidates,
        }
      : undefined;
    for await (const batch of ctx.importReader.batches(s, map)) {
      job.checkCancelled();
      begin();
      if (record === 0) startBulkWhenWorthIt(rowsInFile(batch));
      writeRows(batch.rows, batch.bad, batch.mapped);
      startBulkWhenWorthIt(leadsCreated);
      if (writer.queuedActivities() >= (hooks.activityFlushRows ?? FLUSH_ACTIVITIES)) await flushActivities();
      if (commitDue()) commit();
      const t = Date.now();
      if (t - lastRate >= 250) {
        rate = Math.round(((c.rowsTotal - lastRows) * 1000) / (t - lastRate));
        [lastRate, lastRows] = [t, c.rowsTotal];
      }
      job.progress({
        phase: 'importing',
        done: c.rowsTotal,
        total: null,
        fraction: s.sizeBytes > 0 ? Math.min(1, batch.bytesDone / s.sizeBytes) : null,
        ratePerSec: rate,
      });
      hooks.afterBatch?.(c.rowsTotal);
      await yieldToEventLoop();
    }
    await flushActivities();
    job.checkCancelled();
    begin();
    writer.flushLastActivity();
    scoredBeforeRescore = inPass?.finish() ?? 0;
    await finishBulk();
    // Fields new to the workspace (or retyped by the user) get their type from all their values.
    typeCustomFields(db, writer.customFields(), {
      chosen: plan.options.customTypes,
      dateOrder: plan.settings.dateOrder,
      now: ctx.now(),
    });
    db.prepare(
      `UPDATE imports SET status = ?, rows_total = ?, inserted = ?, updated = ?, unchanged = ?, skipped = ?,
         errors = ?, activities_inserted = ?, finished_at = ? WHERE id = ?`,
    ).run(
      hooks.landAs ?? 'done',
      c.rowsTotal,
      c.inserted,
      c.updated,
      c.unchanged,
      c.skipped,
      c.errors,
      c.activitiesInserted,
      ctx.now(),
      importId,
    );
    // Outcomes land in the import's own commit: never an import without its outcomes.
    const closing = outcomes?.apply(db, `import #${importId}`, ctx.now(), (id) => inPass?.scoredHere(id) ?? false);
    outcomeCounts = closing?.counts;
    scoredBeforeRescore += closing?.scored ?? 0;
    // The rows are in; their scores follow in later transactions (pending.ts).
    markRescorePending(db);
    pending = rescorePendingMark(db);
    // The import's log (the whole workspace after a big one) is copied into the file by a
    // helper thread while the rescore runs, not by this COMMIT (db/checkpoint.ts).
    if (db.inTransaction) commitCheckpointingElsewhere(db, () => ctx.scoringHelpers.checkpoint(db.name));
  } catch (err) {
    rollback(db, importId, bulk, alone);
    if (keyNameBefore === null) forgetLeadKeyName(db);
    job.progress({ phase: 'rolled back', done: 0, total: null, fraction: null, ratePerSec: null, finished: true });
    if (err instanceof AppError) throw err;
    throw new AppError(
      'IMPORT_FAILED',
      // A full disk or a read-only place in words, not SQLite's ("database or disk is full").
      `Import of "${s.fileName}" failed: ${writeFailureReason(err) ?? (err as Error).message}. Nothing was changed.`,
    );
  }
  return {
    c,
    leadsCreated,
    affected: [...affected],
    scoredBeforeRescore,
    pending,
    outcomeCounts,
    ambiguousDates: dates.findings().ambiguousRows,
    dateRange: range.first <= range.last ? { first: range.first, last: range.last } : null,
  };
}

/**
 * Custom fields whose values an import stores with their final type: those the workspace has
 * typed, unless the import chooses them another type (typeCustomFields retypes them at its end).
 */
function typedBeforeImport(
  db: Database.Database,
  chosen: Readonly<Record<string, string>> | undefined,
): ReadonlySet<string> {
  const typed = new Set<string>();
  for (const [name, type] of customFieldTypes(db))
    if (chosen?.[name] === undefined || chosen[name] === type) typed.add(name);
  return typed;
}

/**
 * Rescores through the full-rescore job when the import touched most of the workspace;
 * returns the number of leads scored, or null when the incremental path should run (small
 * import, another rescore already running, or the full rescore failed).
 */
async function rescoreWholeWorkspace(ctx: BackendContext, affected: number): Promise<number | null> {
  const db = ctx.db();
  if (affected < FULL_RESCORE_MIN_LEADS || activeRescore(db)) return null;
  const total = db.prepare('SELECT count(*) FROM leads').pluck().get() as number;
  if (affected * 4 < total) return null;
  // The import holds the write queue (it is one queued write) until this rescore ends.
  const { outcome } = await startFullRescore(ctx, { writesHeld: true }).done;
  return outcome ? outcome.scored : null;
}

/**
 * Reverts everything a failed or cancelled import wrote (committed batches and the open
 * transaction alike, from the journal and import_id) and removes its history row. Writes
 * other handlers made meanwhile are kept: the open transaction is committed, not rolled back.
 * A bulk load's indexes are built after the revert (over fewer rows). An import that ran
 * alone is one transaction with nobody else's write in it: that is rolled back whole, with
 * what its scoring changed beyond its own leads (a routing rule's turn, by an MQL transition).
 */
function rollback(db: Database.Database, importId: number, bulk: LeadBulkLoad | null, alone: boolean): void {
  if (alone && db.inTransaction) db.exec('ROLLBACK');
  db.transaction(() => {
    revertImport(db, importId);
    bulk?.finish();
    db.prepare('DELETE FROM import_errors WHERE import_id = ?').run(importId);
    db.prepare('DELETE FROM imports WHERE id = ?').run(importId);
  })();
  if (db.inTransaction) db.exec('COMMIT');
}

/**
 * Imports a dead process left 'running' (killed mid-write) or 'staged' (its caller's final
 * transaction never came) are rolled back like a cancelled one, and the leads they had
 * changed are rescored, all in one transaction. Only for a connection holding the writer
 * lock with none of its own imports running (services/recovery/heal.ts).
 */
export function recoverInterruptedImports(db: Database.Database, now: number): number {
  if (running.has(db)) return 0;
  const stale = db.prepare("SELECT id FROM imports WHERE status IN ('running', 'staged')").pluck().all() as number[];
  for (const id of stale) {
    db.transaction(() => {
      const r = revertImport(db, id);
      db.prepare('DELETE FROM import_errors WHERE import_id = ?').run(id);
      db.prepare('DELETE FROM imports WHERE id = ?').run(id);
      rescoreLeads(db, r.restored, now);
    })();
  }
  return stale.length;
}

/** Undoes a finished import as one step; the restored leads are rescored. */
export function undoImport(ctx: BackendContext, importId: number) {
  const db = ctx.db();
  const row = db.prepare('SELECT status FROM imports WHERE id = ?').get(importId) as { status: string } | undefined;
  if (!row) throw new AppError('NOT_FOUND', `Import ${importId} does not exist.`);
  if (row.status !== 'done')
    throw new AppError('VALIDATION', `Import ${importId} cannot be undone: it is ${row.status}.`);
  if (running.has(db)) throw new AppError('BUSY', 'An import is running. Undo when it has finished.');
  // One transaction with the rescore of the restored leads: undone and rescored, or neither.
  const result = db.transaction(() => {
    const r = revertImport(db, importId);
    db.prepare("UPDATE imports SET status = 'undone', message = ? WHERE id = ?").run(
      `Undone: ${r.leadsDeleted} leads and ${r.activitiesDeleted} activities removed, ${r.restored.length} leads restored.`,
      importId,
    );
    for (let i = 0; i < r.restored.length; i += RESCORE_CHUNK) {
      rescoreLeads(db, r.restored.slice(i, i + RESCORE_CHUNK), ctx.now());
    }
    return r;
  })();
  // The rows undone leave free pages behind: give them back to the file system.
  reclaimFreeSpace(db);
  ctx.emit('data-changed', { tables: ['leads', 'activities', 'imports', 'scores'] });
  return {
    importId,
    leadsDeleted: result.leadsDeleted,
    leadsRestored: result.restored.length,
    activitiesDeleted: result.activitiesDeleted,
  };
}
