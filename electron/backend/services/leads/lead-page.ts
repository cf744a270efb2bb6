/**
 * The lead page: one lead with everything about it (custom fields, the primary score's
 * ledger in plain words, activity timeline newest first with the import it came from,
 * score history, stage history, notes), validated field edits and notes.
 */
import type Database from 'better-sqlite3';
import type {
  ActivityItem,
  LeadDetail,
  LeadFieldChanges,
  LeadNote,
  LedgerLine,
  ScoreHistoryItem,
  StageChangeItem,
} from '../../../../shared/contract/leads';
import { LEAD_FIELD_KEYS, activityTypeLabel, normalizeEmail, type LeadFieldKey } from '../../../../shared/domain';
import { AppError } from '../../errors';
import { assignOwner, changeStage } from '../followup/stages';
import { explainLead } from '../scoring/explain';
import { rescoreLeads } from '../scoring/rescore';
import { typedValue, type CustomValue } from '../../../../shared/custom-fields';
import { customFieldTypes } from './custom-fields';
import { customEncoder, customSlots, decodeCustom } from './custom-store';
import { LEAD_SELECT_LIST, toLeadRow } from './grid';
import { activityTypeLabels } from './activity-types';

/** Activities the lead page loads at once; older ones come a page at a time (lead-activities). */
const TIMELINE_PAGE = 500;

/**
 * A page of a lead's timeline, newest first: from the start, or after `before` (the last
 * item of the previous page; keyset paging, so a page deep in a long history costs the same).
 */
export function leadActivities(
  db: Database.Database,
  leadId: number,
  before: Readonly<{ occurredAt: number; id: number }> | null,
  limit = TIMELINE_PAGE,
): ActivityItem[] {
  const rows = db
    .prepare(
      `SELECT a.id, a.type, a.asset, a.occurred_at, a.duration_sec, a.import_id, i.file_name AS import_name
         FROM activities a LEFT JOIN imports i ON i.id = a.import_id
        WHERE a.lead_id = ? ${before ? 'AND (a.occurred_at < ? OR (a.occurred_at = ? AND a.id < ?))' : ''}
        ORDER BY a.occurred_at DESC, a.id DESC LIMIT ?`,
    )
    .all(leadId, ...(before ? [before.occurredAt, before.occurredAt, before.id] : []), limit) as Omit<
    ActivityItem,
    'label'
  >[];
  const labels = activityTypeLabels(db);
  return rows.map((a) => ({ ...a, label: activityTypeLabel(a.type, labels) }));
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** The primary score's ledger in plain words, expanded by the scoring service. */
function loadLedger(db: Database.Database, leadId: number): { lines: LedgerLine[]; summary: string | null } {
  const ex = explainLead(db, leadId);
  const sc = ex.score;
  if (!sc) return { lines: [], summary: null };
  const lines = sc.ledger.map((e) => ({ points: e.points, text: e.text, kind: e.kind }));
  const flags = [sc.isMql ? 'an MQL' : null, sc.suppressedReason ? `suppressed (${sc.suppressedReason})` : null].filter(
    Boolean,
  );
  const summary =
    `Score ${sc.total} under "${sc.modelName}": fit ${sc.fit}, engagement ${sc.engagement}, grade ${sc.grade}, segment ${sc.segment}` +
    (flags.length ? `; ${flags.join(', ')}` : '') +
    '.' +
    (ex.frozen ? ' The lead is in a closed stage, so this score is frozen.' : '');
  return { lines, summary };
}

export function getLead(db: Database.Database, id: number): LeadDetail {
  const raw = db.prepare(`SELECT ${LEAD_SELECT_LIST} FROM leads WHERE leads.id = ?`).get(id) as
    Parameters<typeof toLeadRow>[0] | undefined;
  if (!raw) throw new AppError('NOT_FOUND', `Lead ${id} does not exist (it may have been deleted).`);
  const activities = leadActivities(db, id, null);
  const activityCount = db.prepare('SELECT count(*) FROM activities WHERE lead_id = ?').pluck().get(id) as number;
  const stageHistory = db
    .prepare(
      'SELECT id, from_stage, to_stage, changed_at, actor, reason FROM stage_changes WHERE lead_id = ? ORDER BY changed_at DESC, id DESC',
    )
    .all(id) as StageChangeItem[];
  const scoreHistory: ScoreHistoryItem[] = tableExists(db, 'score_history')
    ? (db
        .prepare(
          `SELECT h.scored_at AS at, h.total, h.fit, h.engagement, h.grade, h.segment
           FROM score_history h
           WHERE h.lead_id = ? AND h.model_id = (SELECT id FROM models ORDER BY is_primary DESC, id LIMIT 1)
           ORDER BY h.scored_at, h.id`,
        )
        .all(id) as ScoreHistoryItem[])
    : [];
  const notes = db
    .prepare(
      'SELECT id, lead_id, body, created_at, author FROM lead_notes WHERE lead_id = ? ORDER BY created_at DESC, id DESC',
    )
    .all(id) as LeadNote[];
  const ledger = loadLedger(db, id);
  const types = customFieldTypes(db);
  const lead = toLeadRow(raw, customSlots(db));
  return {
    lead,
    customTypes: Object.fromEntries(Object.keys(lead.custom).map((k) => [k, types.get(k) ?? 'text'])),
    activities,
    activityCount,
    stageHistory,
    scoreHistory,
    ledger: ledger.lines,
    ledgerSummary: ledger.summary,
    notes,
  };
}

export type LeadEdit = Readonly<{
  fields: LeadFieldChanges;
  custom: Readonly<Record<string, string | null>>;
  tags?: readonly string[] | undefined;
}>;

/** The standard fields edited as they are (email is checked and normalized apart). */
const PLAIN_FIELDS = LEAD_FIELD_KEYS.filter((k): k is Exclude<LeadFieldKey, 'email'> => k !== 'email');

/** Applies validated edits to one lead in one transaction, then rescores it. */
export function updateLead(db: Database.Database, id: number, edit: LeadEdit, now: number): LeadDetail {
  const exists = db.prepare('SELECT id FROM leads WHERE id = ?').get(id);
  if (!exists) throw new AppError('NOT_FOUND', `Lead ${id} does not exist (it may have been deleted).`);
  const f = edit.fields;
  // IMMEDIATE: it reads (the email check, the stored custom values) before it writes.
  db.transaction(() => {
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const key of PLAIN_FIELDS) {
      if (f[key] === undefined) continue;
      const v = f[key];
      sets.push(`${key} = ?`);
      params.push(typeof v === 'string' && v.trim() === '' ? null : v);
    }
    if (f.email !== undefined) {
      const norm = normalizeEmail(f.email);
      if (norm) {
        const other = db.prepare('SELECT id FROM leads WHERE email_norm = ? AND id <> ?').pluck().get(norm, id) as
          number | undefined;
        if (other !== undefined) {
          throw new AppError('VALIDATION', `Another lead (#${other}) already has the email ${norm}.`, {
            field: 'email',
          });
        }
      }
      sets.push('email = ?', 'email_norm = ?');
      params.push(f.email && f.email.trim() !== '' ? f.email.trim() : null, norm);
    }
    const customEntries = Object.entries(edit.custom);
    if (customEntries.length > 0) {
      const encoder = customEncoder(db);
      const stored = db.prepare('SELECT custom FROM leads WHERE id = ?').pluck().get(id) as string;
      const custom: Record<string, CustomValue | null> = { ...decodeCustom(encoder.slots(), stored) };
      const types = customFieldTypes(db);
      // Stored as its field's type, like an imported value (a placeholder is no data).
      for (const [k, v] of customEntries) custom[k] = v === null ? null : typedValue(types.get(k), v);
      sets.push('custom = ?');
      params.push(encoder.encode(custom));
    }
    if (edit.tags !== undefined) {
      sets.push('tags = ?');
      params.push(JSON.stringify([...new Set(edit.tags)]));
    }
    if (sets.length > 0) {
      db.prepare(`UPDATE leads SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`).run(...params, now, id);
    }
    if (f.owner_id !== undefined) assignOwner(db, [id], f.owner_id, now);
    if (f.stage !== undefined) changeStage(db, [id], f.stage, 'me', 'Edited on the lead page', now);
    rescoreLeads(db, [id], now);
  }).immediate();
  return getLead(db, id);
}

export function addNote(db: Database.Database, leadId: number, body: string, now: number): LeadNote {
  if (!db.prepare('SELECT 1 FROM leads WHERE id = ?').get(leadId)) {
    throw new AppError('NOT_FOUND', `Lead ${leadId} does not exist.`);
  }
  const id = Number(
    db
      .prepare("INSERT INTO lead_notes (lead_id, body, author, created_at) VALUES (?, ?, 'me', ?)")
      .run(leadId, body, now).lastInsertRowid,
  );
  return db.prepare('SELECT id, lead_id, body, created_at, author FROM lead_notes WHERE id = ?').get(id) as LeadNote;
}

export function deleteNote(db: Database.Database, id: number): boolean {
  return db.prepare('DELETE FROM lead_notes WHERE id = ?').run(id).changes > 0;
}
