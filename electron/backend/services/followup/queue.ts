/**
 * The follow-up queue: leads with an open follow-up, ordered by when the next action is
 * due (first contact by the SLA, then further attempts by the policy's spacing), with the
 * SLA status computed in SQL so it can be filtered, counted and paged without loading the
 * whole queue.
 */
import type Database from 'better-sqlite3';
import { REACHED_OUTCOMES, type AttemptChannel, type AttemptOutcome } from '../../../../shared/followup/defaults';
import { SLA_STATUSES, SLA_STATUS_SQL, type SlaStatus } from '../../../../shared/followup/sla';
import type { QueueItem } from '../../../../shared/followup/types';
import { leadLabel } from '../../../../shared/lead-label';
import { readSettings } from './config';

export type QueueQuery = Readonly<{
  /** Owner whose queue to show; null = all owners (and unassigned). */
  ownerId: number | null;
  statuses?: readonly SlaStatus[] | undefined;
  search?: string | undefined;
  limit: number;
  offset: number;
}>;

export type QueuePage = Readonly<{
  items: readonly QueueItem[];
  total: number;
  counts: Readonly<Record<SlaStatus, number>>;
  now: number;
}>;

const HOUR_MS = 3_600_000;
const DEFAULT_SPACING_HOURS = 24;
const DEFAULT_ATTEMPTS = 3;
const FALLBACK_ACTION = 'Contact the lead';

const NEXT_SQL = `CASE WHEN f.first_contact_at IS NULL THEN f.due_at
  ELSE f.last_attempt_at + CAST(coalesce(p.attempt_spacing_hours, ${DEFAULT_SPACING_HOURS}) * ${HOUR_MS} AS INTEGER) END`;

type Row = {
  lead_id: number;
  first_name: string | null;
  lead_key: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  grade: string | null;
  segment: string | null;
  score_total: number | null;
  stage: string;
  owner_id: number | null;
  owner_name: string | null;
  mql_at: number;
  due_at: number;
  next_at: number;
  status: SlaStatus;
  first_contact_at: number | null;
  attempts: number;
  reached: number;
  attempts_required: number | null;
  recommended_action: string | null;
  channel: string | null;
  policy_name: string | null;
  last_outcome: string | null;
};

/** The next step in words, from the policy and the attempts so far. */
export function recommendedAction(
  policyAction: string,
  attempts: number,
  required: number,
  reached: boolean,
  lastOutcome: AttemptOutcome | null,
): string {
  if (reached)
    return lastOutcome === 'meeting_booked'
      ? 'Meeting booked: qualify and set a disposition'
      : 'Reached: set a disposition';
  if (lastOutcome === 'bad_number') return 'Bad contact details: find another number or email, or disqualify';
  if (attempts === 0) return policyAction;
  if (attempts >= required) return `${attempts} attempts made: close as "could not reach" or try once more`;
  return `Attempt ${attempts + 1} of ${required}: ${policyAction}`;
}

function baseSql(q: QueueQuery, leadId?: number): { where: string; params: Record<string, unknown> } {
  const clauses = [leadId === undefined ? "f.status = 'open'" : 'f.lead_id = @leadId'];
  const params: Record<string, unknown> = {};
  if (leadId !== undefined) params.leadId = leadId;
  if (q.ownerId !== null) {
    clauses.push('l.owner_id = @ownerId');
    params.ownerId = q.ownerId;
  }
  if (q.search && q.search.trim() !== '') {
    clauses.push(
      "(l.email LIKE @search ESCAPE '\\' OR l.company LIKE @search ESCAPE '\\' OR (coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')) LIKE @search ESCAPE '\\')",
    );
    params.search = `%${q.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  return { where: clauses.join(' AND '), params };
}

const SELECT = `
  SELECT f.lead_id, l.first_name, l.last_name, l.email, l.phone, l.lead_key, l.company, l.grade, l.segment, l.score_total, l.stage,
    l.owner_id, o.name AS owner_name, f.mql_at, f.due_at, ${NEXT_SQL} AS next_at, ${SLA_STATUS_SQL} AS status,
    f.first_contact_at, f.attempts, f.reached, p.attempts_required, p.recommended_action, p.channel,
    p.name AS policy_name,
    (SELECT a.outcome FROM attempts a WHERE a.lead_id = f.lead_id ORDER BY a.attempted_at DESC, a.id DESC LIMIT 1) AS last_outcome
  FROM lead_followup f
  JOIN leads l ON l.id = f.lead_id
  LEFT JOIN owners o ON o.id = l.owner_id
  LEFT JOIN sla_policies p ON p.id = f.policy_id`;

function toItem(r: Row): QueueItem {
  const required = r.attempts_required ?? DEFAULT_ATTEMPTS;
  const lastOutcome = (r.last_outcome as AttemptOutcome | null) ?? null;
  const reached = r.reached === 1 || (lastOutcome !== null && REACHED_OUTCOMES.includes(lastOutcome));
  return {
    leadId: r.lead_id,
    name: leadLabel({ ...r, id: r.lead_id }),
    email: r.email,
    phone: r.phone,
    company: r.company,
    grade: r.grade,
    segment: r.segment,
    score: r.score_total,
    stage: r.stage,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    mqlAt: r.mql_at,
    dueAt: r.due_at,
    nextAt: r.next_at,
    status: r.status,
    firstContactAt: r.first_contact_at,
    attempts: r.attempts,
    attemptsRequired: required,
    lastOutcome,
    reached,
    recommendedAction: recommendedAction(
      r.recommended_action ?? FALLBACK_ACTION,
      r.attempts,
      required,
      reached,
      lastOutcome,
    ),
    channel: (r.channel as AttemptChannel | null) ?? 'call',
    policyName: r.policy_name,
  };
}

export function queueQuery(db: Database.Database, q: QueueQuery, now: number): QueuePage {
  const fraction = readSettings(db).dueSoonFraction;
  const { where, params } = baseSql(q);
  const all = { ...params, now, fraction };
  const countRows = db
    .prepare(`SELECT status, count(*) AS n FROM (${SELECT} WHERE ${where}) GROUP BY status`)
    .all(all) as { status: SlaStatus; n: number }[];
  const counts = Object.fromEntries(SLA_STATUSES.map((s) => [s, 0])) as Record<SlaStatus, number>;
  for (const c of countRows) counts[c.status] = c.n;
  const statuses = q.statuses && q.statuses.length > 0 ? q.statuses : null;
  const statusWhere = statuses ? `WHERE status IN (${statuses.map((_, i) => `@s${i}`).join(',')})` : '';
  const statusParams = Object.fromEntries((statuses ?? []).map((s, i) => [`s${i}`, s]));
  const rows = db
    .prepare(
      `SELECT * FROM (${SELECT} WHERE ${where}) ${statusWhere}
       ORDER BY next_at, due_at, lead_id LIMIT @limit OFFSET @offset`,
    )
    .all({ ...all, ...statusParams, limit: q.limit, offset: q.offset }) as Row[];
  const total = statuses ? statuses.reduce((n, s) => n + counts[s], 0) : countRows.reduce((n, c) => n + c.n, 0);
  return { items: rows.map(toItem), total, counts, now };
}

/** One lead's follow-up as a queue item (open or closed), or null when it never had one. */
export function queueItem(db: Database.Database, leadId: number, now: number): QueueItem | null {
  const fraction = readSettings(db).dueSoonFraction;
  const { where, params } = baseSql({ ownerId: null, limit: 1, offset: 0 }, leadId);
  const row = db.prepare(`${SELECT} WHERE ${where}`).get({ ...params, now, fraction }) as Row | undefined;
  return row ? toItem(row) : null;
}

/**
 * Leads of `ownerId` that are due soon (or already overdue) and were not notified yet;
 * marks them notified so each lead alerts once per SLA clock.
 */
export function takeDueSoon(db: Database.Database, ownerId: number, now: number): QueueItem[] {
  const fraction = readSettings(db).dueSoonFraction;
  const rows = db
    .prepare(
      `SELECT * FROM (${SELECT} WHERE f.status = 'open' AND l.owner_id = @ownerId AND f.notified_at IS NULL)
       WHERE status IN ('due_soon', 'overdue') ORDER BY due_at`,
    )
    .all({ ownerId, now, fraction }) as Row[];
  const mark = db.prepare('UPDATE lead_followup SET notified_at = ? WHERE lead_id = ?');
  db.transaction(() => {
    for (const r of rows) mark.run(now, r.lead_id);
  })();
  return rows.map(toItem);
}
