/**
 * Full rescore: every lead under every published model, streamed in lead-id batches with
 * cached statements. Results go to per-connection TEMP staging tables; only when every
 * batch is scored does ONE transaction swap them in (lead_scores, score history, the lead
 * row's primary columns). A crash, an error or a cancel before that leaves the previous
 * scores exactly as they were. Between batches the job yields, so the UI's queries and a
 * cancel request are served while they run.
 *
 * Only scores that differ from the stored ones are staged: a stored row whose numbers and
 * ledger are identical is kept as it is (with its scored_at), which keeps the swap and the
 * lead-row index updates proportional to what the model change actually moved.
 */
import type Database from 'better-sqlite3';
import type { RescoreOutcome } from '../../../../shared/contract';
import type { ScoreCore } from '../../../../shared/scoring';
import type { Job } from '../../jobs';
import { yieldToEventLoop } from '../../jobs';
import { applyMqlTransitions } from '../followup/mql';
import {
  activitiesInRangeFlat,
  activityCursor,
  adjustmentsInRange,
  closedStages,
  leadColumnsFor,
  leadsAfter,
} from './lead-data';
import { publishedModels } from './models';
import { stmt } from './statements';

export type FullRescoreOptions = Readonly<{
  includeClosed?: boolean;
  batchSize?: number;
  /** Called after each staged batch (an error thrown here aborts the rescore, like a crash would). */
  onBatch?: (done: number) => void;
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
    scored_at INTEGER NOT NULL,
    PRIMARY KEY (lead_id, model_id)
  );
  CREATE TEMP TABLE IF NOT EXISTS score_drop (lead_id INTEGER NOT NULL, model_id INTEGER NOT NULL, PRIMARY KEY (lead_id, model_id));
  DELETE FROM temp.score_staging;
  DELETE FROM temp.score_drop;`;

/** Lead-row score columns, in the order of a LeadUpdate's values. */
const LEAD_SCORE_COLUMNS = [
  'score_total',
  'score_fit',
  'score_engagement',
  'grade',
  'segment',
  'is_mql',
  'suppressed_reason',
  'scored_at',
] as const;

/** The stored lead_scores column mirrored by each lead-row column (scored_at always changes). */
const STORED_OF = ['total', 'fit', 'engagement', 'grade', 'segment', 'is_mql', 'suppressed_reason', null] as const;

type LeadUpdate = {
  id: number;
  /** Bit c set: LEAD_SCORE_COLUMNS[c] changes. */
  mask: number;
  values: readonly [number, number, number, string, string, number, string | null, number];
};

function leadUpdateStatement(db: Database.Database, mask: number): Database.Statement {
  const sets = LEAD_SCORE_COLUMNS.filter((_, c) => mask & (1 << c)).map((col) => `${col} = ?`);
  return stmt(db, `UPDATE leads SET ${sets.join(', ')} WHERE id = ?`);
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

export type StoredRow = {
  lead_id: number;
  model_id: number;
  model_version: number;
  fit: number;
  engagement: number;
  total: number;
  grade: string;
  segment: string;
  is_mql: number;
  suppressed_reason: string | null;
  ledger: string;
};

/** Whether a stored row already holds exactly this result (numbers, flags and ledger). */
export function sameStored(o: StoredRow, version: number, r: ScoreCore, ledger: string): boolean {
  return (
    o.model_version === version &&
    o.total === r.total &&
    o.fit === r.fit &&
    o.engagement === r.engagement &&
    o.grade === r.grade &&
    o.segment === r.segment &&
    o.is_mql === (r.isMql ? 1 : 0) &&
    o.suppressed_reason === r.suppressedReason &&
    o.ledger === ledger
  );
}

/** Rescores the whole workspace as a job; resolves with the outcome, rejects with CANCELLED or an error. */
export async function fullRescore(
  db: Database.Database,
  job: Job,
  now: number,
  options: FullRescoreOptions = {},
): Promise<RescoreOutcome> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 2000;
  const models = publishedModels(db);
  const primary = models.find((m) => m.isPrimary) ?? null;
  const closed = closedStages(db);
  const columns = leadColumnsFor(models.flatMap((m) => [...m.compiled.leadFields]));
  const total = (stmt(db, 'SELECT count(*) AS n FROM leads').get() as { n: number }).n;
  db.exec(STAGING);
  const touched = new Set<number>();
  touchedDuringFull.set(db, touched);
  const stage = stmt(
    db,
    `INSERT INTO temp.score_staging (lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql, suppressed_reason, ledger, scored_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const drop = stmt(db, 'INSERT OR IGNORE INTO temp.score_drop (lead_id, model_id) VALUES (?, ?)');
  const storedIn = stmt(
    db,
    `SELECT lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql, suppressed_reason, ledger
       FROM lead_scores WHERE lead_id BETWEEN ? AND ?`,
  );
  let afterId = 0;
  const leadUpdates: LeadUpdate[] = [];
  let done = 0;
  let scored = 0;
  let frozen = 0;
  try {
    job.progress({ phase: 'Scoring leads', done: 0, total, fraction: total ? 0 : null, ratePerSec: null });
    for (;;) {
      job.checkCancelled();
      const leads = leadsAfter(db, afterId, batchSize, columns);
      if (leads.length === 0) break;
      const first = leads[0]!.id;
      const last = leads[leads.length - 1]!.id;
      const activitiesOf = activityCursor(activitiesInRangeFlat(db, first, last));
      const adjustments = adjustmentsInRange(db, first, last);
      const stored = new Map<number, StoredRow[]>();
      for (const row of storedIn.all(first, last) as StoredRow[]) {
        const list = stored.get(row.lead_id);
        if (list) list.push(row);
        else stored.set(row.lead_id, [row]);
      }
      db.transaction(() => {
        for (const lead of leads) {
          if (!options.includeClosed && closed.has(lead.stage)) {
            frozen++;
            continue;
          }
          scored++;
          const acts = activitiesOf(lead.id);
          const adj = adjustments.get(lead.id);
          const old = stored.get(lead.id);
          for (const m of models) {
            const o = old?.find((x) => x.model_id === m.id);
            if (!m.compiled.applies(lead)) {
              if (o) drop.run(lead.id, m.id);
              continue;
            }
            const r = m.compiled.scoreCore(lead, acts, now, adj ? { adjustments: adj } : undefined);
            const ledger = JSON.stringify(r.compact);
            if (o && sameStored(o, m.version, r, ledger)) continue;
            if (m === primary) {
              const mql = r.isMql ? 1 : 0;
              const values = [r.total, r.fit, r.engagement, r.grade, r.segment, mql, r.suppressedReason, now] as const;
              // Which lead-row columns change (the stored row mirrors them); all when new.
              let mask = 0;
              for (let c = 0; c < values.length; c++) {
                if (!o || c === values.length - 1 || o[STORED_OF[c]!] !== values[c]) mask |= 1 << c;
              }
              leadUpdates.push({ id: lead.id, mask, values });
            }
            stage.run(
              lead.id,
              m.id,
              m.version,
              r.fit,
              r.engagement,
              r.total,
              r.grade,
              r.segment,
              r.isMql ? 1 : 0,
              r.suppressedReason,
              ledger,
              now,
            );
          }
          // Scores of models that are no longer published.
          if (old) for (const o of old) if (!models.some((m) => m.id === o.model_id)) drop.run(lead.id, o.model_id);
        }
      })();
      afterId = last;
      done += leads.length;
      const secs = (Date.now() - started) / 1000;
      job.progress({
        phase: 'Scoring leads',
        done,
        total,
        fraction: total ? Math.min(1, done / total) : null,
        ratePerSec: secs > 0 ? done / secs : null,
      });
      options.onBatch?.(done);
      await yieldToEventLoop();
    }
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
        changed = (
          stmt(
            db,
            `SELECT count(*) AS n FROM temp.score_staging s LEFT JOIN lead_scores o ON o.lead_id = s.lead_id AND o.model_id = s.model_id
              WHERE s.model_id = ? AND (o.lead_id IS NULL OR o.total <> s.total OR o.grade <> s.grade OR o.segment <> s.segment OR o.is_mql <> s.is_mql)`,
          ).get(primary.id) as { n: number }
        ).n;
        for (const r of stmt(
          db,
          `SELECT s.lead_id FROM temp.score_staging s JOIN leads l ON l.id = s.lead_id WHERE s.model_id = ? AND s.is_mql = 1 AND l.is_mql = 0`,
        ).all(primary.id) as { lead_id: number }[])
          becameMql.push(r.lead_id);
      }
      stmt(
        db,
        `INSERT INTO score_history (lead_id, model_id, model_version, total, fit, engagement, grade, segment, is_mql, scored_at)
         SELECT s.lead_id, s.model_id, s.model_version, s.total, s.fit, s.engagement, s.grade, s.segment, s.is_mql, s.scored_at
           FROM temp.score_staging s LEFT JOIN lead_scores o ON o.lead_id = s.lead_id AND o.model_id = s.model_id
          WHERE o.lead_id IS NULL OR o.total <> s.total OR o.grade <> s.grade OR o.segment <> s.segment OR o.is_mql <> s.is_mql`,
      ).run();
      stmt(
        db,
        `DELETE FROM lead_scores WHERE EXISTS
           (SELECT 1 FROM temp.score_drop d WHERE d.lead_id = lead_scores.lead_id AND d.model_id = lead_scores.model_id)`,
      ).run();
      stmt(db, 'INSERT OR REPLACE INTO lead_scores SELECT * FROM temp.score_staging').run();
      // Lead rows of the primary model: one keyed UPDATE per changed lead, setting only the
      // columns that changed. The grid keeps an index on every score column, and an UPDATE
      // rewrites the index entries of every column it sets; most model changes move totals,
      // not grades or segments.
      for (const u of leadUpdates) {
        if (touched.has(u.id)) continue;
        const params: (string | number | null)[] = [];
        for (let c = 0; c < u.values.length; c++) if (u.mask & (1 << c)) params.push(u.values[c]!);
        leadUpdateStatement(db, u.mask).run(...params, u.id);
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
