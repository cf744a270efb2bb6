/**
 * Stage changes and owner assignment, the two writes every part of the app shares (the
 * grid's bulk actions, dispositions, the MQL transition). Every stage change is recorded
 * in stage_changes with time, from, to, who and why. Entering MQL starts the SLA clock and
 * routes an unowned lead; leaving the queue stages closes its follow-up.
 */
import type Database from 'better-sqlite3';
import { stmt } from '../../db/statements';
import { AppError } from '../../errors';
import { listPolicies, listRoutingRules } from './config';
import { matchLead } from './matching';
import { customSlots } from '../leads/custom-store';
import { routeLead, routeLeadRow } from './routing';
import { planFollowup, QUEUE_STAGES, writeFollowup } from './state';

export type StageChangeResult = Readonly<{ changed: number; skipped: number }>;

export type StageChangeOptions = Readonly<{
  /** When the change happened (history backfills); defaults to `now`. */
  at?: number | undefined;
  /** Start/close follow-up and route (default). Off for backfilling past outcomes. */
  followup?: boolean | undefined;
}>;

const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export function knownStage(db: Database.Database, key: string): boolean {
  return stmt(db, 'SELECT 1 FROM stage_config WHERE key = ?').get(key) !== undefined;
}

/**
 * Moves leads to `toStage`, recording each change. Leads already in that stage or
 * missing are skipped. Runs in one transaction.
 */
export function changeStage(
  db: Database.Database,
  leadIds: readonly number[],
  toStage: string,
  actor: string,
  reason: string | null,
  now: number,
  options: StageChangeOptions = {},
): StageChangeResult {
  const at = options.at ?? now;
  const followup = options.followup ?? true;
  if (!knownStage(db, toStage)) throw new AppError('VALIDATION', `Unknown stage "${toStage}".`);
  const move: Move = { toStage, actor, reason, at, now };
  let changed = 0;
  db.transaction(() => {
    if (toStage === 'mql' && followup) {
      changed = enterMql(db, leadIds, move);
      return;
    }
    const closesFollowup = followup && !QUEUE_STAGES.includes(toStage);
    for (const part of chunks(leadIds)) changed += moveSetwise(db, part, move, closesFollowup);
  })();
  return { changed, skipped: leadIds.length - changed };
}

type Move = Readonly<{ toStage: string; actor: string; reason: string | null; at: number; now: number }>;

/**
 * Entering MQL, lead by lead: each lead is matched against routing rules and SLA policies
 * (its fields and custom values), routed when unowned, and its follow-up clock started.
 */
function enterMql(db: Database.Database, leadIds: readonly number[], m: Move): number {
  const select = stmt(db, 'SELECT * FROM leads WHERE id = ?');
  // The lead row is written once: stage, owner (when routed) and the SLA due time.
  const enter = stmt(db, 'UPDATE leads SET stage = ?, updated_at = ?, sla_due_at = ? WHERE id = ?');
  const enterRouted = stmt(db, 'UPDATE leads SET stage = ?, updated_at = ?, sla_due_at = ?, owner_id = ? WHERE id = ?');
  const record = stmt(
    db,
    'INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at, actor, reason) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const policies = listPolicies(db);
  const rules = listRoutingRules(db);
  // Read once: the loop's writes would make every customSlots call query the table again.
  const slots = customSlots(db);
  const active = new Set(
    (stmt(db, 'SELECT id FROM owners WHERE active = 1').all() as { id: number }[]).map((o) => o.id),
  );
  let changed = 0;
  for (const id of leadIds) {
    const row = select.get(id) as { custom: string; id: number; stage: string; owner_id: number | null } | undefined;
    if (!row || row.stage === m.toStage) continue;
    record.run(id, row.stage, m.toStage, m.at, m.actor, m.reason);
    changed++;
    const lead = matchLead(slots, row);
    const decision = lead.owner_id !== null && active.has(lead.owner_id) ? null : routeLeadRow(db, lead, rules);
    const plan = planFollowup(lead, policies, m.at);
    if (decision) enterRouted.run(m.toStage, m.now, plan.dueAt, decision.ownerId, id);
    else enter.run(m.toStage, m.now, plan.dueAt, id);
    writeFollowup(db, id, m.at, plan, decision?.ruleId ?? null);
  }
  return changed;
}

/** The leads of `ids` (a JSON array) that exist and are not in the target stage yet. */
const MOVING = 'SELECT id FROM leads WHERE id IN (SELECT value FROM json_each(?)) AND stage <> ?';

/**
 * Any other move, a statement per step for a part of the leads (an outcome column closes
 * tens of thousands at once): the history rows, the follow-ups it closes, the lead rows.
 */
function moveSetwise(db: Database.Database, ids: readonly number[], m: Move, closesFollowup: boolean): number {
  const json = JSON.stringify(ids);
  const changed = stmt(
    db,
    `INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at, actor, reason)
     SELECT id, stage, ?, ?, ?, ? FROM leads WHERE id IN (${MOVING}) ORDER BY id`,
  ).run(m.toStage, m.at, m.actor, m.reason, json, m.toStage).changes;
  if (changed === 0) return 0;
  if (closesFollowup) closeFollowups(db, json, m);
  stmt(
    db,
    `UPDATE leads SET stage = ?, updated_at = ?, sla_due_at = ${closesFollowup ? 'NULL' : 'sla_due_at'}
      WHERE id IN (${MOVING})`,
  ).run(m.toStage, m.now, json, m.toStage);
  return changed;
}

/** Closes the open follow-ups of the moving leads (before their rows move: MOVING reads their stage). */
function closeFollowups(db: Database.Database, json: string, m: Move): void {
  stmt(
    db,
    `UPDATE lead_followup SET status = 'closed', closed_at = ? WHERE lead_id IN (${MOVING}) AND status = 'open'`,
  ).run(m.at, json, m.toStage);
}

function ownerIsActive(db: Database.Database, ownerId: number | null): boolean {
  if (ownerId === null) return false;
  return stmt(db, 'SELECT 1 FROM owners WHERE id = ? AND active = 1').get(ownerId) !== undefined;
}

/**
 * Assigns leads to an owner (null = unassign). The owner must exist and be active.
 * Returns how many leads changed hands.
 */
export function assignOwner(
  db: Database.Database,
  leadIds: readonly number[],
  ownerId: number | null,
  now: number,
): number {
  if (ownerId !== null && !ownerIsActive(db, ownerId)) {
    throw new AppError('VALIDATION', `Owner ${ownerId} does not exist or is inactive.`);
  }
  const update = stmt(db, 'UPDATE leads SET owner_id = ?, updated_at = ? WHERE id = ? AND owner_id IS NOT ?');
  let changed = 0;
  db.transaction(() => {
    for (const id of leadIds) changed += update.run(ownerId, now, id, ownerId).changes;
  })();
  return changed;
}

/**
 * Routes leads by the routing rules, replacing their owner (manual "re-route").
 * Returns how many got an owner.
 */
export function routeLeads(db: Database.Database, leadIds: readonly number[], now: number): number {
  const rules = listRoutingRules(db);
  const update = stmt(db, 'UPDATE leads SET owner_id = ?, updated_at = ? WHERE id = ?');
  const mark = stmt(db, 'UPDATE lead_followup SET routed_rule_id = ? WHERE lead_id = ?');
  let routed = 0;
  db.transaction(() => {
    const slots = customSlots(db);
    for (const id of leadIds) {
      const decision = routeLead(db, id, rules, slots);
      if (!decision) continue;
      update.run(decision.ownerId, now, id);
      mark.run(decision.ruleId, id);
      routed++;
    }
  })();
  return routed;
}
