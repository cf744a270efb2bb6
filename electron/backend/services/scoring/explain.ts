/**
 * A lead's explanation: its stored score under each model with the ledger, the plain-words
 * text (same as `leadbench explain`), score history and manual adjustments.
 */
import type Database from 'better-sqlite3';
import type {
  LeadExplanation,
  LeadModelScore,
  ScoreAdjustmentInfo,
  ScoreHistoryPoint,
} from '../../../../shared/contract';
import { leadLabel, type LabelledLead } from '../../../../shared/lead-label';
import { renderLedger, type CompactEntry } from '../../../../shared/scoring';
import { AppError } from '../../errors';
import { activityTypeLabels, withTypeLabels } from '../leads/activity-types';
import { activitiesOfLeads, adjustmentsOfLeads, closedStages, leadsByIds } from './lead-data';
import { closedPlan } from './closed-scores';
import { compiledVersion } from './models';

type ScoreRow = {
  model_id: number;
  name: string;
  is_primary: number;
  model_version: number;
  total: number;
  fit: number;
  engagement: number;
  grade: string;
  segment: string;
  is_mql: number;
  suppressed_reason: string | null;
  scored_at: number;
  ledger: string;
};

export function explainLead(db: Database.Database, leadId: number, modelId?: number): LeadExplanation {
  const lead = db
    .prepare('SELECT id, stage, email, first_name, last_name, lead_key FROM leads WHERE id = ?')
    .get(leadId) as (LabelledLead & { stage: string }) | undefined;
  if (!lead) throw new AppError('NOT_FOUND', `No lead with id ${leadId}.`);
  const rows = db
    .prepare(
      `SELECT s.model_id, m.name, m.is_primary, s.model_version, s.total, s.fit, s.engagement, s.grade, s.segment, s.is_mql,
              s.suppressed_reason, s.scored_at, s.ledger
         FROM lead_scores s JOIN models m ON m.id = s.model_id WHERE s.lead_id = ? ORDER BY m.is_primary DESC, m.id`,
    )
    .all(leadId) as ScoreRow[];
  const full = leadsByIds(db, [leadId])[0]!;
  const activities = withTypeLabels(activityTypeLabels(db), activitiesOfLeads(db, [leadId]).get(leadId) ?? []);
  const adjustmentList = adjustmentsOfLeads(db, [leadId]).get(leadId) ?? [];
  const models: LeadModelScore[] = rows.map((r) => ({
    modelId: r.model_id,
    modelName: r.name,
    modelVersion: r.model_version,
    isPrimary: r.is_primary === 1,
    total: r.total,
    fit: r.fit,
    engagement: r.engagement,
    grade: r.grade,
    segment: r.segment,
    isMql: r.is_mql === 1,
    suppressedReason: r.suppressed_reason,
    scoredAt: r.scored_at,
    // Stored compactly; the words come from the model version that scored the lead.
    ledger: compiledVersion(db, r.model_id, r.model_version).expand(
      JSON.parse(r.ledger) as CompactEntry[],
      full,
      activities,
      adjustmentList,
      r.scored_at,
    ),
  }));
  const score =
    modelId === undefined
      ? (models.find((m) => m.isPrimary) ?? null)
      : (models.find((m) => m.modelId === modelId) ?? null);
  const history = (
    db
      .prepare(
        `SELECT model_id, model_version, total, fit, engagement, grade, segment, is_mql, scored_at FROM score_history
          WHERE lead_id = ? ORDER BY scored_at, id`,
      )
      .all(leadId) as {
      model_id: number;
      model_version: number;
      total: number;
      fit: number;
      engagement: number;
      grade: string;
      segment: string;
      is_mql: number;
      scored_at: number;
    }[]
  ).map((h): ScoreHistoryPoint => ({
    modelId: h.model_id,
    modelVersion: h.model_version,
    total: h.total,
    fit: h.fit,
    engagement: h.engagement,
    grade: h.grade,
    segment: h.segment,
    isMql: h.is_mql === 1,
    scoredAt: h.scored_at,
  }));
  const adjustments = (
    db
      .prepare(
        'SELECT id, points, reason, actor, created_at FROM score_adjustments WHERE lead_id = ? ORDER BY created_at, id',
      )
      .all(leadId) as { id: number; points: number; reason: string; actor: string | null; created_at: number }[]
  ).map((a): ScoreAdjustmentInfo => ({
    id: a.id,
    points: a.points,
    reason: a.reason,
    actor: a.actor,
    createdAt: a.created_at,
  }));
  // A lead that arrived closed is not frozen: it follows the published model (closed-scores.ts).
  const frozen = closedPlan(db, [lead], closedStages(db), false).frozen.has(lead.id);
  const who = leadLabel(lead);
  const text = score
    ? renderLedger(
        { ...score },
        `${who}: model "${score.modelName}" v${score.modelVersion}${frozen ? ` (frozen: stage ${lead.stage})` : ''}`,
      )
    : `${who}: not scored by ${modelId === undefined ? 'the primary model' : `model ${modelId}`}.`;
  return { leadId, score, models, frozen, text, history, adjustments };
}

/**
 * The ledgers of many leads under one model in plain words (the `leadbench explain` text
 * without the heading), for exports. Stored ledgers are compact; this expands a batch with
 * one read of the leads, their activities and adjustments.
 */
export function ledgerTexts(db: Database.Database, leadIds: readonly number[], modelId: number): Map<number, string> {
  const out = new Map<number, string>();
  if (leadIds.length === 0) return out;
  const json = JSON.stringify(leadIds);
  const rows = db
    .prepare(
      `SELECT s.lead_id, s.model_version, s.total, s.fit, s.engagement, s.grade, s.segment, s.is_mql, s.suppressed_reason,
              s.scored_at, s.ledger
         FROM json_each(?) j CROSS JOIN lead_scores s ON s.lead_id = j.value AND s.model_id = ?`,
    )
    .all(json, modelId) as (Omit<ScoreRow, 'model_id' | 'name' | 'is_primary'> & { lead_id: number })[];
  if (rows.length === 0) return out;
  const ids = rows.map((r) => r.lead_id);
  const leads = new Map(leadsByIds(db, ids).map((l) => [l.id, l]));
  const activities = activitiesOfLeads(db, ids);
  const labels = activityTypeLabels(db);
  const adjustments = adjustmentsOfLeads(db, ids);
  for (const r of rows) {
    const lead = leads.get(r.lead_id);
    if (!lead) continue;
    const ledger = compiledVersion(db, modelId, r.model_version).expand(
      JSON.parse(r.ledger) as CompactEntry[],
      lead,
      withTypeLabels(labels, activities.get(r.lead_id) ?? []),
      adjustments.get(r.lead_id) ?? [],
      r.scored_at,
    );
    out.set(
      r.lead_id,
      renderLedger({
        total: r.total,
        fit: r.fit,
        engagement: r.engagement,
        grade: r.grade,
        segment: r.segment,
        isMql: r.is_mql === 1,
        suppressedReason: r.suppressed_reason,
        ledger,
      }),
    );
  }
  return out;
}
