/**
 * Reading what scoring needs from the workspace: leads as the scoring module's Lead, their
 * activities in time order, manual adjustments, and which stages are closed (frozen scores).
 */
import type Database from 'better-sqlite3';
import { CLOSED_STAGE_KEYS, type Activity, type Lead } from '../../../../shared/domain';
import type { ScoreAdjustment } from '../../../../shared/scoring';
import { stmt } from './statements';

export const LEAD_COLUMNS =
  'id, uid, email, first_name, last_name, company, title, phone, industry, company_size, country, city, website, source, campaign, custom, stage, owner_id, tags, manual_suppression, created_at, updated_at';

export const ACTIVITY_COLUMNS = 'id, lead_id, type, asset, occurred_at, duration_sec';

type LeadRow = Omit<Lead, 'custom' | 'tags'> & { custom: string; tags: string };

const NO_CUSTOM: Readonly<Record<string, string>> = Object.freeze({});
const NO_TAGS: readonly string[] = Object.freeze([]);

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** A leads row as the scoring module's Lead (custom fields and tags parsed). */
export function rowToLead(r: LeadRow): Lead {
  return {
    ...r,
    custom: r.custom === '{}' || !r.custom ? NO_CUSTOM : parseJson(r.custom, NO_CUSTOM),
    tags: r.tags === '[]' || !r.tags ? NO_TAGS : parseJson(r.tags, NO_TAGS),
  };
}

/** Up to `limit` leads with id > afterId, in id order. */
export function leadsAfter(db: Database.Database, afterId: number, limit: number): Lead[] {
  const rows = stmt(db, `SELECT ${LEAD_COLUMNS} FROM leads WHERE id > ? ORDER BY id LIMIT ?`).all(
    afterId,
    limit,
  ) as LeadRow[];
  return rows.map(rowToLead);
}

/** The given leads (missing ids are skipped), in id order. */
export function leadsByIds(db: Database.Database, ids: readonly number[]): Lead[] {
  const rows = stmt(
    db,
    `SELECT ${LEAD_COLUMNS} FROM leads WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  ).all(JSON.stringify(ids)) as LeadRow[];
  return rows.map(rowToLead);
}

/** Groups activities (sorted by lead, then time) by lead id. */
function groupByLead(rows: readonly Activity[]): Map<number, Activity[]> {
  const out = new Map<number, Activity[]>();
  let current: Activity[] | undefined;
  let currentId = -1;
  for (const a of rows) {
    if (a.lead_id !== currentId) {
      currentId = a.lead_id;
      current = out.get(currentId);
      if (!current) {
        current = [];
        out.set(currentId, current);
      }
    }
    current!.push(a);
  }
  return out;
}

/** Activities of leads with ids in [fromId, toId], grouped by lead, each in time order. */
export function activitiesInRange(db: Database.Database, fromId: number, toId: number): Map<number, Activity[]> {
  const rows = stmt(
    db,
    `SELECT ${ACTIVITY_COLUMNS} FROM activities WHERE lead_id BETWEEN ? AND ? ORDER BY lead_id, occurred_at, id`,
  ).all(fromId, toId) as Activity[];
  return groupByLead(rows);
}

/** Activities of the given leads, grouped by lead, each in time order. */
export function activitiesOfLeads(db: Database.Database, ids: readonly number[]): Map<number, Activity[]> {
  const rows = stmt(
    db,
    `SELECT ${ACTIVITY_COLUMNS} FROM activities WHERE lead_id IN (SELECT value FROM json_each(?)) ORDER BY lead_id, occurred_at, id`,
  ).all(JSON.stringify(ids)) as Activity[];
  return groupByLead(rows);
}

type AdjustmentRow = {
  id: number;
  lead_id: number;
  points: number;
  reason: string;
  actor: string | null;
  created_at: number;
};

function groupAdjustments(rows: readonly AdjustmentRow[]): Map<number, ScoreAdjustment[]> {
  const out = new Map<number, ScoreAdjustment[]>();
  for (const r of rows) {
    const list = out.get(r.lead_id) ?? [];
    list.push({ id: r.id, points: r.points, reason: r.reason, at: r.created_at, by: r.actor });
    out.set(r.lead_id, list);
  }
  return out;
}

/** Manual adjustments of leads with ids in [fromId, toId], by lead, oldest first. */
export function adjustmentsInRange(
  db: Database.Database,
  fromId: number,
  toId: number,
): Map<number, ScoreAdjustment[]> {
  return groupAdjustments(
    stmt(
      db,
      'SELECT id, lead_id, points, reason, actor, created_at FROM score_adjustments WHERE lead_id BETWEEN ? AND ? ORDER BY lead_id, created_at, id',
    ).all(fromId, toId) as AdjustmentRow[],
  );
}

/** Manual adjustments of the given leads, by lead, oldest first. */
export function adjustmentsOfLeads(db: Database.Database, ids: readonly number[]): Map<number, ScoreAdjustment[]> {
  return groupAdjustments(
    stmt(
      db,
      'SELECT id, lead_id, points, reason, actor, created_at FROM score_adjustments WHERE lead_id IN (SELECT value FROM json_each(?)) ORDER BY lead_id, created_at, id',
    ).all(JSON.stringify(ids)) as AdjustmentRow[],
  );
}

/**
 * Stages whose leads keep their score (won, lost, disqualified by default). The follow-up
 * stage configuration, when present, can mark other stages closed.
 */
export function closedStages(db: Database.Database): ReadonlySet<string> {
  const hasConfig = stmt(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'stage_config'").get();
  if (!hasConfig) return new Set(CLOSED_STAGE_KEYS);
  const rows = db.prepare('SELECT key FROM stage_config WHERE closed = 1').all() as { key: string }[];
  return new Set(rows.length ? rows.map((r) => r.key) : CLOSED_STAGE_KEYS);
}
