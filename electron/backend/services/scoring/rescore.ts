/**
 * Incremental rescoring: the leads an import or an edit touched are rescored synchronously,
 * inside the caller's flow, with the same shared scoring module the full rescore uses.
 * Leads closed in this workspace keep their frozen score unless `includeClosed` is asked for;
 * leads that arrived closed are scored as they stood when they closed (closed-scores.ts).
 *
 * For each lead and each published model: the lead_scores row (with its ledger) is written
 * when the model applies and removed when it does not; a score_history row is added when
 * total, grade, segment or the MQL flag changed; the primary model's result is mirrored on
 * the lead row. Then the follow-up MQL transition runs for leads that just became MQL.
 */
import type Database from 'better-sqlite3';
import { applyMqlTransitions } from '../followup/mql';
import { noteIncrementalRescore } from './full-rescore';
import {
  LEAD_SCORES_UPSERT,
  sameResult,
  sameStored,
  scoreChanged,
  scoreRowValues,
  type StoredRow,
} from './rescore-batch';
import { activitiesOfLeads, adjustmentsOfLeads, closedStages, leadsByIds } from './lead-data';
import { publishedModels } from './models';
import { activitiesBefore, closedPlan, measuredAt } from './closed-scores';
import { stmt } from '../../db/statements';

export type RescoreOptions = Readonly<{
  /** Rescore leads in closed stages too (an explicit user request); default false. */
  includeClosed?: boolean;
}>;

export type RescoreSummary = Readonly<{
  /** Leads whose scores were (re)written. */
  scored: number;
  /** Leads skipped because they are in a closed stage (score frozen). */
  frozen: number;
  /** Leads whose primary total, grade, segment or MQL flag changed. */
  changed: number;
}>;

const CHUNK = 500;

export const UPSERT_SCORE_SQL = `INSERT INTO lead_scores
  (lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql, suppressed_reason, ledger, scored_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ${LEAD_SCORES_UPSERT}`;

export const UPDATE_LEAD_SCORE_SQL = `UPDATE leads SET score_total = ?, score_fit = ?, score_engagement = ?, grade = ?,
  segment = ?, is_mql = ?, suppressed_reason = ?, scored_at = ? WHERE id = ?`;

export const CLEAR_LEAD_SCORE_SQL = `UPDATE leads SET score_total = NULL, score_fit = NULL, score_engagement = NULL,
  grade = NULL, segment = NULL, is_mql = 0, suppressed_reason = NULL, scored_at = NULL WHERE id = ?`;

export const HISTORY_SQL = `INSERT INTO score_history
  (lead_id, model_id, model_version, total, fit, engagement, grade, segment, is_mql, scored_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * Rescores the given leads under every published model that applies to them, keeps the
 * lead row's primary-model columns in sync and records score history. Synchronous: call it
 * inside or right after the transaction that changed the leads.
 */
export function rescoreLeads(
  db: Database.Database,
  leadIds: readonly number[],
  now: number,
  options: RescoreOptions = {},
): RescoreSummary {
  if (leadIds.length === 0) return { scored: 0, frozen: 0, changed: 0 };
  const models = publishedModels(db);
  const closed = closedStages(db);
  const selectOld = stmt(
    db,
    `SELECT lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql, suppressed_reason, ledger
       FROM lead_scores WHERE lead_id = ? AND model_id = ?`,
  );
  const upsert = stmt(db, UPSERT_SCORE_SQL);
  const remove = stmt(db, 'DELETE FROM lead_scores WHERE lead_id = ? AND model_id = ?');
  const setVersion = stmt(db, 'UPDATE lead_scores SET model_version = ? WHERE lead_id = ? AND model_id = ?');
  const history = stmt(db, HISTORY_SQL);
  const updateLead = stmt(db, UPDATE_LEAD_SCORE_SQL);
  const clearLead = stmt(db, CLEAR_LEAD_SCORE_SQL);
  let scored = 0;
  let frozen = 0;
  let changed = 0;
  const becameMql: number[] = [];
  const written: number[] = [];

  db.transaction(() => {
    const unique = [...new Set(leadIds)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const part = unique.slice(i, i + CHUNK);
      const leads = leadsByIds(db, part);
      const activities = activitiesOfLeads(db, part);
      const adjustments = adjustmentsOfLeads(db, part);
      const plan = closedPlan(db, leads, closed, options.includeClosed ?? false);
      for (const lead of leads) {
        if (plan.frozen.has(lead.id)) {
          frozen++;
          continue;
        }
        scored++;
        const closedAt = plan.arrived.get(lead.id);
        const at = closedAt === undefined ? now : measuredAt(closedAt, now);
        const acts = activities.get(lead.id) ?? [];
        written.push(lead.id);
        let primaryScored = false;
        for (const m of models) {
          const old = selectOld.get(lead.id, m.id) as StoredRow | undefined;
          if (!m.compiled.applies(lead, at)) {
            if (old) remove.run(lead.id, m.id);
            continue;
          }
          const r = m.compiled.scoreCore(lead, closedAt === undefined ? acts : activitiesBefore(acts, closedAt), at, {
            adjustments: adjustments.get(lead.id) ?? [],
          });
          const mql = r.isMql ? 1 : 0;
          const ledger = JSON.stringify(r.compact);
          if (m.isPrimary) primaryScored = true;
          // Identical result: keep the stored row and its scored_at (same rule as the full rescore).
          if (old && sameStored(old, m.version, r, ledger)) continue;
          // The same result under the model's new version: the version alone (same rule as the full rescore).
          if (old && sameResult(old, r, ledger, () => null)) {
            setVersion.run(m.version, lead.id, m.id);
            continue;
          }
          upsert.run(...scoreRowValues(lead.id, m, r, ledger), now);
          const diff = scoreChanged(old, r);
          if (diff) history.run(lead.id, m.id, m.version, r.total, r.fit, r.engagement, r.grade, r.segment, mql, now);
          if (m.isPrimary) {
            updateLead.run(r.total, r.fit, r.engagement, r.grade, r.segment, mql, r.suppressedReason, now, lead.id);
            if (diff) changed++;
            if (r.isMql && (!old || old.is_mql === 0)) becameMql.push(lead.id);
          }
        }
        if (!primaryScored) clearLead.run(lead.id);
      }
    }
    // With the scores: a crash between the two would lose the transitions for good.
    if (becameMql.length > 0) applyMqlTransitions(db, becameMql, now);
  })();

  noteIncrementalRescore(db, written);
  return { scored, frozen, changed };
}
