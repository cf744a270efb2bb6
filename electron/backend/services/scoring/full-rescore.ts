/**
 * Full rescore: every lead under every published model, streamed in lead-id batches that
 * this thread and the scoring helper threads share (shared-batches.ts; the read-only work of
 * a batch is rescore-batch.ts). Results go to per-connection TEMP staging tables, written by
 * this thread only; only when every batch is scored does ONE transaction swap them in
 * (lead_scores, score history, the lead row's primary columns). A crash, an error or a
 * cancel before that leaves the previous scores exactly as they were. Between batches the
 * job yields, so the UI's queries and a cancel request are served while they run.
 *
 * Only scores that differ from the stored ones are staged: a stored row whose numbers and
 * ledger are identical is kept as it is (with its scored_at), which keeps the swap and the
 * lead-row index updates proportional to what the model change actually moved.
 */
import type Database from 'better-sqlite3';
import type { RescoreOutcome } from '../../../../shared/contract';
import type { Job } from '../../jobs';
import { applyMqlTransitions } from '../followup/mql';
import {
  BATCH_LEADS,
  LEAD_COLUMN_SOURCES,
  LEAD_SCORE_COLUMNS,
  batchStarts,
  scoreBatch,
  scoringSetup,
  setupSignature,
  type BatchResult,
} from './rescore-batch';
import type { ScoringHelpers } from './score-helpers';
import { runSharedBatches } from './shared-batches';
import { stmt } from './statements';

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
    ledger TEXT NOT NULL,
    changed INTEGER NOT NULL,
    lead_mask INTEGER NOT NULL,
    scored_at INTEGER NOT NULL,
    PRIMARY KEY (lead_id, model_id)
  );
  CREATE TEMP TABLE IF NOT EXISTS score_drop (lead_id INTEGER NOT NULL, model_id INTEGER NOT NULL, PRIMARY KEY (lead_id, model_id));
  DELETE FROM temp.score_staging;
  DELETE FROM temp.score_drop;`;

/** The UPDATE of a lead row's score columns in `mask` (see LEAD_SCORE_COLUMNS), one per mask seen. */
function leadUpdateStatements(db: Database.Database): (mask: number) => Database.Statement {
  const byMask = new Map<number, Database.Statement>();
  return (mask) => {
    let update = byMask.get(mask);
    if (!update) {
      const sets = LEAD_SCORE_COLUMNS.filter((_, c) => mask & (1 << c)).map((col) => `${col} = ?`);
      update = stmt(db, `UPDATE leads SET ${sets.join(', ')} WHERE id = ?`);
      byMask.set(mask, update);
    }
    return update;
  };
}

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

function clearStaging(db: Database.Database): void {
  db.exec('DELETE FROM temp.score_staging; DELETE FROM temp.score_drop;');
}

/** Rescores the whole workspace as a job; resolves with the outcome, rejects with CANCELLED or an error. */
export async function fullRescore(
  db: Database.Database,
  job: Job,
  now: number,
  options: FullRescoreOptions = {},
): Promise<RescoreOutcome> {
  const started = Date.now();
  const setup = scoringSetup(db, now, options.includeClosed ?? false);
  const primary = setup.primary;
  const total = (stmt(db, 'SELECT count(*) AS n FROM leads').get() as { n: number }).n;
  const starts = batchStarts(db, options.batchSize ?? BATCH_LEADS);
  db.exec(STAGING);
  const touched = new Set<number>();
  touchedDuringFull.set(db, touched);
  const stage = stmt(
    db,
    `INSERT INTO temp.score_staging (lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql, suppressed_reason, ledger, changed, lead_mask, scored_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const drop = stmt(db, 'INSERT OR IGNORE INTO temp.score_drop (lead_id, model_id) VALUES (?, ?)');
  let done = 0;
  let scored = 0;
  let frozen = 0;

  const stageBatch = (batch: BatchResult, byHelper: boolean): void => {
    db.transaction(() => {
      for (const row of batch.staged) stage.run(...row, now);
      for (const [leadId, modelId] of batch.drops) drop.run(leadId, modelId);
    })();
    scored += batch.scored;
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

    const becameMql: number[] = [];
    let changed = 0;
    db.transaction(() => {
      if (touched.size > 0) {
        const ids = JSON.stringify([...touched]);
        stmt(db, 'DELETE FROM temp.score_staging WHERE lead_id IN (SELECT value FROM json_each(?))').run(ids);
        stmt(db, 'DELETE FROM temp.score_drop WHERE lead_id IN (SELECT value FROM json_each(?))').run(ids);
      }
      if (primary) {
        changed = stmt(db, 'SELECT count(*) FROM temp.score_staging WHERE model_id = ? AND changed = 1')
          .pluck()
          .get(primary.id) as number;
        for (const r of stmt(
          db,
          `SELECT s.lead_id FROM temp.score_staging s JOIN leads l ON l.id = s.lead_id WHERE s.model_id = ? AND s.is_mql = 1 AND l.is_mql = 0`,
        ).all(primary.id) as { lead_id: number }[])
          becameMql.push(r.lead_id);
      }
      stmt(
        db,
        `INSERT INTO score_history (lead_id, model_id, model_version, total, fit, engagement, grade, segment, is_mql, scored_at)
         SELECT lead_id, model_id, model_version, total, fit, engagement, grade, segment, is_mql, scored_at
           FROM temp.score_staging WHERE changed = 1`,
      ).run();
      stmt(
        db,
        `DELETE FROM lead_scores WHERE EXISTS
           (SELECT 1 FROM temp.score_drop d WHERE d.lead_id = lead_scores.lead_id AND d.model_id = lead_scores.model_id)`,
      ).run();
      // An upsert, not INSERT OR REPLACE: REPLACE deletes and re-inserts the row and every
      // index entry of it; the upsert rewrites the row in place.
      stmt(
        db,
        `INSERT INTO lead_scores (lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql,
                                  suppressed_reason, ledger, scored_at)
         SELECT lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql, suppressed_reason, ledger,
                scored_at
           FROM temp.score_staging WHERE true
           ON CONFLICT (lead_id, model_id) DO UPDATE SET model_version = excluded.model_version, fit = excluded.fit,
             engagement = excluded.engagement, total = excluded.total, grade = excluded.grade, segment = excluded.segment,
             is_mql = excluded.is_mql, suppressed_reason = excluded.suppressed_reason, ledger = excluded.ledger,
             scored_at = excluded.scored_at`,
      ).run();
      // Lead rows of the primary model: one keyed UPDATE per changed lead, setting only the
      // columns that changed (lead_mask), in id order, read from the staging table a slice at
      // a time (a statement cannot run while another iterates on the same connection).
      // Staged rows of leads rescored meanwhile were deleted above.
      const leadUpdate = leadUpdateStatements(db);
      for (let after = 0; ;) {
        const slice = stmt(
          db,
          `SELECT lead_id, lead_mask, ${LEAD_COLUMN_SOURCES.join(', ')} FROM temp.score_staging
            WHERE lead_mask <> 0 AND lead_id > ? ORDER BY lead_id LIMIT 2000`,
        )
          .raw(true)
          .all(after) as [number, number, ...(string | number | null)[]][];
        if (slice.length === 0) break;
        for (const row of slice) {
          const mask = row[1];
          const params: (string | number | null)[] = [];
          for (let c = 0; c < LEAD_COLUMN_SOURCES.length; c++) if (mask & (1 << c)) params.push(row[2 + c]!);
          leadUpdate(mask).run(...params, row[0]);
        }
        after = slice[slice.length - 1]![0];
      }
      // Leads the primary model no longer applies to (or when there is no primary model).
      stmt(
        db,
        `UPDATE leads SET score_total = NULL, score_fit = NULL, score_engagement = NULL, grade = NULL, segment = NULL,
                is_mql = 0, suppressed_reason = NULL, scored_at = NULL
          WHERE id IN (SELECT lead_id FROM temp.score_drop WHERE model_id = ?)
             OR (? = -1 AND scored_at IS NOT NULL)`,
      ).run(primary?.id ?? -1, primary?.id ?? -1);
    })();
    clearStaging(db);
    touchedDuringFull.delete(db);
    if (becameMql.length > 0) applyMqlTransitions(db, becameMql, now);
    const outcome: RescoreOutcome = { scored, frozen, changed, durationMs: Date.now() - started };
    job.progress({ phase: 'Done', done, total, fraction: 1, ratePerSec: null, finished: true });
    return outcome;
  } catch (err) {
    touchedDuringFull.delete(db);
    clearStaging(db);
    job.progress({ phase: 'Stopped', done, total, fraction: null, ratePerSec: null, finished: true });
    throw err;
  }
}
