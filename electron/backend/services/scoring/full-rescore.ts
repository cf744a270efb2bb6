/**
 * Full rescore: every lead under every published model, streamed in lead-id batches that
 * this thread and the scoring helper threads share (shared-batches.ts; the read-only work of
 * a batch is rescore-batch.ts). Results go to per-connection TEMP staging tables, written by
 * this thread only; only when every batch is scored does ONE transaction swap them in
 * (lead_scores, score history, the lead row's primary columns; save-staged.ts). A crash,
 * an error or a cancel before its commit leaves the previous scores exactly as they were. Between batches the
 * job yields, so the UI's queries and a cancel request are served while they run.
 *
 * Only scores that differ from the stored ones are staged: a stored row whose numbers and
 * ledger are identical is kept as it is (with its scored_at), which keeps the swap and the
 * lead-row index updates proportional to what the model change actually moved. After a
 * publish, a stored row the new version gives again exactly is staged as its new version
 * alone (temp.score_version, VersionRow in rescore-batch.ts) and keeps its scored_at too.
 */
import type Database from 'better-sqlite3';
import type { RescoreOutcome } from '../../../../shared/contract';
import { yieldToEventLoop, type Job } from '../../jobs';
import { applyMqlTransitions } from '../followup/mql';
import { clearRescorePending, rescorePendingMark } from './pending';
import {
  BATCH_LEADS,
  batchEnd,
  batchStarts,
  scoreBatch,
  scoringSetup,
  setupSignature,
  type BatchResult,
} from './rescore-batch';
import type { ScoringHelpers } from './score-helpers';
import { saveStaged, saveStagedNow, slicedWork, type SaveOptions } from './save-staged';
import { runSharedBatches } from './shared-batches';
import { stmt } from '../../db/statements';

export type FullRescoreOptions = Readonly<{
  includeClosed?: boolean;
  batchSize?: number;
  /**
   * Called after each staged batch with the leads done so far and whether a helper thread
   * scored it (an error thrown here aborts the rescore, like a crash would).
   */
  onBatch?: (done: number, byHelper: boolean) => void;
  /** Threads that score batches alongside this one (see score-helpers.ts). */
  helpers?: ScoringHelpers;
  /** Fewer leads than this are scored on this thread alone; default 10,000. */
  helpersFrom?: number;
  /** How the staged scores are saved (save-staged.ts): holding the write queue, in slices. */
  save?: SaveOptions;
}>;

const STAGING = `
  CREATE TEMP TABLE IF NOT EXISTS score_staging (
    lead_id INTEGER NOT NULL,
    model_id INTEGER NOT NULL,
    model_version INTEGER NOT NULL,
    fit REAL NOT NULL,
    engagement REAL NOT NULL,
    total REAL NOT NULL,
    grade TEXT NOT NULL,
    segment TEXT NOT NULL,
    is_mql INTEGER NOT NULL,
    suppressed_reason TEXT,
    changed INTEGER NOT NULL,
    lead_mask INTEGER NOT NULL,
    scored_at INTEGER NOT NULL,
    -- Last: a scan for the small columns then never reads the ledger's overflow pages.
    ledger TEXT NOT NULL,
    PRIMARY KEY (lead_id, model_id)
  );
  CREATE TEMP TABLE IF NOT EXISTS score_drop (lead_id INTEGER NOT NULL, model_id INTEGER NOT NULL, PRIMARY KEY (lead_id, model_id));
  CREATE TEMP TABLE IF NOT EXISTS score_version (
    lead_id INTEGER NOT NULL,
    model_id INTEGER NOT NULL,
    model_version INTEGER NOT NULL,
    PRIMARY KEY (lead_id, model_id)
  ) WITHOUT ROWID;
  DELETE FROM temp.score_staging;
  DELETE FROM temp.score_drop;
  DELETE FROM temp.score_version;`;

/**
 * Leads rescored incrementally (an import, an edit) while a full rescore of the same
 * connection is staging: their fresh scores must win over the staged ones, which were
 * computed from the data as it was before.
 */
const touchedDuringFull = new WeakMap<Database.Database, Set<number>>();

/** Called by the incremental rescore for the leads it just wrote. */
export function noteIncrementalRescore(db: Database.Database, leadIds: Iterable<number>): void {
  const touched = touchedDuringFull.get(db);
  if (touched) for (const id of leadIds) touched.add(id);
}

/**
 * What the staged rows of the primary model say, tallied as they are staged so the save
 * needs no scan of the staging table for it (a scan reads every staged ledger's pages: tens
 * of MB on 100,000 leads, spilled to a temporary file, in one call on the backend thread).
 */
type StagedTally = {
  /** Staged rows of the primary model that change what the user sees (score history entries). */
  changed: number;
  /** The same, per model (every model scored): what the rescore reports per model. */
  changedByModel: Map<number, number>;
  /** Leads whose staged primary score is MQL: the candidates for the MQL transition. */
  mql: number[];
};

/** Staged rows per INSERT: 50 rows of 14 values stay under SQLite's smallest limit of 999 variables. */
const STAGE_ROWS = 50;

/** Version rows (three values) per INSERT. */
const VERSION_ROWS = 300;

const STAGE_INSERT = `INSERT INTO temp.score_staging (lead_id, model_id, model_version, fit, engagement, total, grade, segment,
                       is_mql, suppressed_reason, ledger, changed, lead_mask, scored_at) VALUES `;

/**
 * Writes a scored batch into the staging tables (one small transaction of the TEMP database),
 * up to STAGE_ROWS rows a statement: on the backend thread, which stages every batch, one
 * statement per row cost a third more than the rows themselves (the call into the driver).
 */
function stager(db: Database.Database, now: number, primaryId: number | null, tally: StagedTally) {
  const inserts: Database.Statement[] = [];
  const insertOf = (rows: number): Database.Statement =>
    (inserts[rows] ??= stmt(
      db,
      STAGE_INSERT + Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', '),
    ));
  const versionInserts: Database.Statement[] = [];
  const versionInsertOf = (rows: number): Database.Statement =>
    (versionInserts[rows] ??= stmt(
      db,
      'INSERT INTO temp.score_version (lead_id, model_id, model_version) VALUES ' +
        Array.from({ length: rows }, () => '(?, ?, ?)').join(', '),
    ));
  const drop = stmt(db, 'INSERT OR IGNORE INTO temp.score_drop (lead_id, model_id) VALUES (?, ?)');
  return (batch: BatchResult): void => {
    const { staged, versions } = batch;
    db.transaction(() => {
      for (let i = 0; i < staged.length; i += STAGE_ROWS) {
        const values: unknown[] = [];
        for (const row of staged.slice(i, i + STAGE_ROWS)) values.push(...row, now);
        insertOf(Math.min(STAGE_ROWS, staged.length - i)).run(values);
      }
      for (let i = 0; i < versions.length; i += VERSION_ROWS) {
        const part = versions.slice(i, i + VERSION_ROWS);
        versionInsertOf(part.length).run(part.flat());
      }
      for (const [leadId, modelId] of batch.drops) drop.run(leadId, modelId);
    })();
    for (const row of staged) {
      if (row[STAGED.changed] === 1) {
        const model = row[STAGED.modelId];
        tally.changedByModel.set(model, (tally.changedByModel.get(model) ?? 0) + 1);
      }
      if (row[STAGED.modelId] !== primaryId) continue;
      if (row[STAGED.changed] === 1) tally.changed++;
      if (row[STAGED.isMql] === 1) tally.mql.push(row[STAGED.leadId]);
    }
  };
}

/** Positions in a StagedRow (rescore-batch.ts). */
const STAGED = { leadId: 0, modelId: 1, isMql: 8, changed: 11 } as const;

function clearStaging(db: Database.Database): void {
  db.exec('DELETE FROM temp.score_staging; DELETE FROM temp.score_drop; DELETE FROM temp.score_version;');
}

/**
 * What the staged scores change for the primary model, and what must commit with them:
 * the MQL transitions of leads that just became MQL (a crash after the scores but before
 * the transitions would lose them for good: the next rescore sees those leads as MQL
 * already) and the clearing of the stale-scores mark. `tally` covers exactly the rows
 * still staged (see dropStagedOf). `finish` moves the leads in id order, in parts the save
 * serves the event loop between (a model change that makes most leads MQL: 2.3 s at 100,000
 * leads in one call); `mqlPart` fixes a part's size (tests), else parts last about a slice.
 */
function stagedOutcome(
  db: Database.Database,
  tally: StagedTally,
  now: number,
  pending: string | null,
  mqlPart?: number,
): { changed: number; finish: () => Generator<void, void, void> } {
  // The staged MQL leads whose lead row is not MQL yet (ids ascending: the transitions'
  // order does not depend on which thread scored which batch).
  const candidates = JSON.stringify([...tally.mql].sort((a, b) => a - b));
  const becameMql =
    tally.mql.length === 0
      ? []
      : (stmt(db, 'SELECT id FROM leads WHERE id IN (SELECT value FROM json_each(?)) AND is_mql = 0 ORDER BY id')
          .pluck()
          .all(candidates) as number[]);
  return {
    changed: tally.changed,
    finish: function* () {
      yield* slicedWork(becameMql, (part) => applyMqlTransitions(db, part, now), mqlPart);
      clearRescorePending(db, pending);
    },
  };
}

/**
 * Leads rescored incrementally while the full rescore ran keep their fresh scores: their
 * staged rows go, and the tally forgets them.
 */
function dropStagedOf(
  db: Database.Database,
  leadIds: ReadonlySet<number>,
  primaryId: number | null,
  tally: StagedTally,
) {
  if (leadIds.size === 0) return;
  const ids = JSON.stringify([...leadIds]);
  const dropped = stmt(
    db,
    'SELECT model_id, count(*) FROM temp.score_staging WHERE changed = 1 AND lead_id IN (SELECT value FROM json_each(?)) GROUP BY model_id',
  )
    .raw(true)
    .all(ids) as [number, number][];
  for (const [model, n] of dropped) {
    tally.changedByModel.set(model, (tally.changedByModel.get(model) ?? 0) - n);
    if (model === primaryId) tally.changed -= n;
  }
  tally.mql = tally.mql.filter((id) => !leadIds.has(id));
  stmt(db, 'DELETE FROM temp.score_staging WHERE lead_id IN (SELECT value FROM json_each(?))').run(ids);
  stmt(db, 'DELETE FROM temp.score_drop WHERE lead_id IN (SELECT value FROM json_each(?))').run(ids);
  stmt(db, 'DELETE FROM temp.score_version WHERE lead_id IN (SELECT value FROM json_each(?))').run(ids);
}

/**
 * The same full rescore, synchronously on this thread, with nothing served meanwhile: for
 * healing a workspace on open (services/recovery/heal.ts), before anything reads it.
 */
export function fullRescoreNow(db: Database.Database, now: number): { scored: number; changed: number } {
  const pending = rescorePendingMark(db);
  const setup = scoringSetup(db, now, false);
  const starts = batchStarts(db, BATCH_LEADS);
  db.exec(STAGING);
  const primaryId = setup.primary?.id ?? null;
  const tally: StagedTally = { changed: 0, changedByModel: new Map(), mql: [] };
  const stage = stager(db, now, primaryId, tally);
  let scored = 0;
  try {
    for (let i = 0; i < starts.length; i++) {
      const batch = scoreBatch(db, setup, starts[i]!, batchEnd(starts, i));
      stage(batch);
      scored += batch.scored;
    }
    const { changed, finish } = stagedOutcome(db, tally, now, pending);
    saveStagedNow(db, setup.primary?.id ?? null, finish);
    return { scored, changed };
  } finally {
    clearStaging(db);
  }
}

/** Rescores the whole workspace as a job; resolves with the outcome, rejects with CANCELLED or an error. */
export async function fullRescore(
  db: Database.Database,
  job: Job,
  now: number,
  options: FullRescoreOptions = {},
): Promise<RescoreOutcome> {
  const started = Date.now();
  // Read before any data: a change marked after this is not in these scores (pending.ts).
  const pending = rescorePendingMark(db);
  const setup = scoringSetup(db, now, options.includeClosed ?? false);
  const primary = setup.primary;
  const total = (stmt(db, 'SELECT count(*) AS n FROM leads').get() as { n: number }).n;
  const starts = batchStarts(db, options.batchSize ?? BATCH_LEADS);
  db.exec(STAGING);
  const touched = new Set<number>();
  touchedDuringFull.set(db, touched);
  const tally: StagedTally = { changed: 0, changedByModel: new Map(), mql: [] };
  let stagedRows = 0;
  const stage = stager(db, now, primary?.id ?? null, tally);
  let done = 0;
  let scored = 0;
  let arrivedClosed = 0;
  let frozen = 0;

  const stageBatch = (batch: BatchResult, byHelper: boolean): void => {
    stage(batch);
    stagedRows += batch.staged.length + batch.versions.length;
    scored += batch.scored;
    arrivedClosed += batch.arrivedClosed;
    frozen += batch.frozen;
    done += batch.leads;
    const secs = (Date.now() - started) / 1000;
    job.progress({
      phase: 'Scoring leads',
      done,
      total,
      fraction: total ? Math.min(1, done / total) : null,
      ratePerSec: secs > 0 ? done / secs : null,
    });
    options.onBatch?.(done, byHelper);
  };
  try {
    job.progress({ phase: 'Scoring leads', done: 0, total, fraction: total ? 0 : null, ratePerSec: null });
    await runSharedBatches({
      db,
      job,
      starts,
      now,
      task: { kind: 'rescore', includeClosed: setup.includeClosed, signature: setupSignature(setup) },
      leads: total,
      helpers: options.helpers,
      helpersFrom: options.helpersFrom,
      compute: (from, to) => scoreBatch(db, setup, from, to),
      take: (_, batch, byHelper) => stageBatch(batch, byHelper),
    });
    job.checkCancelled();
    job.progress({ phase: 'Saving scores', done, total, fraction: total ? 1 : null, ratePerSec: null });

    // The save writes alone (write-queue.ts), so no request's write lands in its transaction;
    // taken before the reads below, so none slips in between them and the save either.
    const releaseWrites = (await options.save?.holdWrites?.()) ?? null;
    let changed: number;
    try {
      job.checkCancelled();
      dropStagedOf(db, touched, primary?.id ?? null, tally);
      const outcome = stagedOutcome(db, tally, now, pending, options.save?.sliceRows);
      changed = outcome.changed;
      // The save's first step (its BEGIN) gets a turn of its own, as does a request then served.
      await yieldToEventLoop();
      const helpers = options.helpers;
      await saveStaged(db, job, primary?.id ?? null, {
        ...(helpers ? { checkpoint: () => helpers.checkpoint(db.name) } : {}),
        ...options.save,
        inSlices: releaseWrites !== null && (options.save?.inSlices ?? true),
        stagedRows: touched.size === 0 ? stagedRows : undefined,
        beforeCommit: outcome.finish,
      });
      // Emptying the staging tables frees every page of them: its own turn of the event
      // loop, not the COMMIT's (still holding the queue, so writes keep their order).
      await yieldToEventLoop();
      clearStaging(db);
    } finally {
      releaseWrites?.();
    }
    touchedDuringFull.delete(db);
    const changedByModel = setup.models.map((m) => ({ modelId: m.id, changed: tally.changedByModel.get(m.id) ?? 0 }));
    const outcome: RescoreOutcome = {
      scored,
      arrivedClosed,
      frozen,
      changed,
      changedByModel,
      durationMs: Date.now() - started,
    };
    job.progress({ phase: 'Done', done, total, fraction: 1, ratePerSec: null, finished: true });
    return outcome;
  } catch (err) {
    touchedDuringFull.delete(db);
    clearStaging(db);
    job.progress({ phase: 'Stopped', done, total, fraction: null, ratePerSec: null, finished: true });
    throw err;
  }
}
