/**
 * Full rescore: every lead under every published model, streamed in lead-id batches with
 * cached statements. Results go to a per-connection TEMP staging table; only when every
 * batch is scored does ONE transaction swap them in (lead_scores, score history, the lead
 * row's primary columns). A crash, an error or a cancel before that leaves the previous
 * scores exactly as they were. Between batches the job yields, so the UI's queries and a
 * cancel request are served while it runs.
 */
import type Database from 'better-sqlite3';
import type { RescoreOutcome } from '../../../../shared/contract';
import type { Job } from '../../jobs';
import { yieldToEventLoop } from '../../jobs';
import { applyMqlTransitions } from '../followup/mql';
import { activitiesInRange, adjustmentsInRange, closedStages, leadsAfter } from './lead-data';
import { publishedModels } from './models';
import { stmt } from './statements';

export type FullRescoreOptions = Readonly<{
  includeClosed?: boolean;
  batchSize?: number;
  /** Called after each staged batch (progress in tests; an error thrown here aborts the rescore). */
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
  CREATE TEMP TABLE IF NOT EXISTS score_seen (lead_id INTEGER PRIMARY KEY);
  DELETE FROM temp.score_staging;
  DELETE FROM temp.score_seen;`;

function clearStaging(db: Database.Database): void {
  db.exec('DELETE FROM temp.score_staging; DELETE FROM temp.score_seen;');
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
  const total = (stmt(db, 'SELECT count(*) AS n FROM leads').get() as { n: number }).n;
  db.exec(STAGING);
  const stage = stmt(
    db,
    `INSERT INTO temp.score_staging (lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql, suppressed_reason, ledger, scored_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const seen = stmt(db, 'INSERT INTO temp.score_seen (lead_id) VALUES (?)');
  let afterId = 0;
  let done = 0;
  let scored = 0;
  let frozen = 0;
  try {
    job.progress({ phase: 'Scoring leads', done: 0, total, fraction: total ? 0 : null, ratePerSec: null });
    for (;;) {
      job.checkCancelled();
      const leads = leadsAfter(db, afterId, batchSize);
      if (leads.length === 0) break;
      const first = leads[0]!.id;
      const last = leads[leads.length - 1]!.id;
      const activities = activitiesInRange(db, first, last);
      const adjustments = adjustmentsInRange(db, first, last);
      db.transaction(() => {
        for (const lead of leads) {
          if (!options.includeClosed && closed.has(lead.stage)) {
            frozen++;
            continue;
          }
          scored++;
          seen.run(lead.id);
          const acts = activities.get(lead.id) ?? [];
          const adj = adjustments.get(lead.id);
          for (const m of models) {
            if (!m.compiled.applies(lead)) continue;
            const r = m.compiled.score(lead, acts, now, adj ? { adjustments: adj } : undefined);
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
              JSON.stringify(r.ledger),
              now,
            );
          }
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
      // Scores of models that no longer apply to a rescored lead (or are no longer published).
      stmt(
        db,
        `DELETE FROM lead_scores WHERE lead_id IN (SELECT lead_id FROM temp.score_seen)
            AND NOT EXISTS (SELECT 1 FROM temp.score_staging s WHERE s.lead_id = lead_scores.lead_id AND s.model_id = lead_scores.model_id)`,
      ).run();
      stmt(db, 'INSERT OR REPLACE INTO lead_scores SELECT * FROM temp.score_staging').run();
      if (primary) {
        stmt(
          db,
          `UPDATE leads SET score_total = s.total, score_fit = s.fit, score_engagement = s.engagement, grade = s.grade,
                  segment = s.segment, is_mql = s.is_mql, suppressed_reason = s.suppressed_reason, scored_at = s.scored_at
             FROM temp.score_staging s WHERE s.model_id = ? AND s.lead_id = leads.id`,
        ).run(primary.id);
      }
      stmt(
        db,
        `UPDATE leads SET score_total = NULL, score_fit = NULL, score_engagement = NULL, grade = NULL, segment = NULL,
                is_mql = 0, suppressed_reason = NULL, scored_at = NULL
          WHERE id IN (SELECT lead_id FROM temp.score_seen) AND scored_at IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM temp.score_staging s WHERE s.model_id = ? AND s.lead_id = leads.id)`,
      ).run(primary?.id ?? -1);
    })();
    clearStaging(db);
    if (becameMql.length > 0) applyMqlTransitions(db, becameMql, now);
    const outcome: RescoreOutcome = { scored, frozen, changed, durationMs: Date.now() - started };
    job.progress({ phase: 'Done', done, total, fraction: 1, ratePerSec: null, finished: true });
    return outcome;
  } catch (err) {
    clearStaging(db);
    job.progress({ phase: 'Stopped', done, total, fraction: null, ratePerSec: null, finished: true });
    throw err;
  }
}
