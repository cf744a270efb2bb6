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
import { closeFollowup, planFollowup, QUEUE_STAGES, writeFollowup } from './state';

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
  const select = stmt(db, 'SELECT * FROM leads WHERE id = ?');
  const update = stmt(db, 'UPDATE leads SET stage = ?, updated_at = ? WHERE id = ?');
  // Entering MQL writes the lead row once: stage, owner (when routed) and the SLA due time.
  const enter = stmt(db, 'UPDATE leads SET stage = ?, updated_at = ?, sla_due_at = ? WHERE id = ?');
  const enterRouted = stmt(db, 'UPDATE leads SET stage = ?, updated_at = ?, sla_due_at = ?, owner_id = ? WHERE id = ?');
  const record = stmt(
    db,
    'INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at, actor, reason) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const startsClock = toStage === 'mql' && followup;
  let changed = 0;
  let skipped = 0;
  db.transaction(() => {
    const policies = startsClock ? listPolicies(db) : [];
    const rules = startsClock ? listRoutingRules(db) : [];
    // Read once: the loop's writes would make every customSlots call query the table again.
    const slots = customSlots(db);
    const active = new Set(
      startsClock
        ? (stmt(db, 'SELECT id FROM owners WHERE active = 1').all() as { id: number }[]).map((o) => o.id)
        : [],
    );
    for (const part of chunks(leadIds)) {
      for (const id of part) {
        const row = select.get(id) as
          { custom: string; id: number; stage: string; owner_id: number | null } | undefined;
        const lead = row && matchLead(slots, row);
        if (!lead || lead.stage === toStage) {
          skipped++;
          continue;
        }
        record.run(id, lead.stage, toStage, at, actor, reason);
        changed++;
        if (startsClock) {
          const decision = lead.owner_id !== null && active.has(lead.owner_id) ? null : routeLeadRow(db, lead, rules);
          const plan = planFollowup(lead, policies, at);
          if (decision) enterRouted.run(toStage, now, plan.dueAt, decision.ownerId, id);
          else enter.run(toStage, now, plan.dueAt, id);
          writeFollowup(db, id, at, plan, decision?.ruleId ?? null);
          continue;
        }
        update.run(toStage, now, id);
        if (followup && !QUEUE_STAGES.includes(toStage)) closeFollowup(db, id, at, null);
      }
    }
  })();
  return { changed, skipped };
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
