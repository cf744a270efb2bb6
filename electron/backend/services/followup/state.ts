/**
 * The follow-up state of one lead: its SLA clock starts when it becomes MQL (the policy
 * that matches its grade/segment then decides the due time), and it closes when the lead
 * leaves the stages sales works from the queue (MQL, SAL) or is dispositioned.
 * leads.sla_due_at mirrors the pending due time for the grid.
 */
import type Database from 'better-sqlite3';
import { stmt } from '../../db/statements';
import { NO_POLICY_DUE_HOURS, slaDueAt } from '../../../../shared/followup/sla';
import type { SlaPolicy } from '../../../../shared/followup/types';
import { listPolicies } from './config';
import { matches, matchLead, type MatchLead } from './matching';
import { customSlots } from '../leads/custom-store';

/** Stages in which a lead sits in the follow-up queue. */
export const QUEUE_STAGES: readonly string[] = ['mql', 'sal'];

export function policyFor(lead: MatchLead, policies: readonly SlaPolicy[]): SlaPolicy | null {
  return policies.find((p) => matches(lead, p)) ?? null;
}

/** Due time under a policy; a policy that cannot be computed counts elapsed hours. */
export function dueUnder(policy: SlaPolicy | null, start: number): number {
  if (!policy) return start + NO_POLICY_DUE_HOURS * 3_600_000;
  try {
    return slaDueAt(start, policy);
  } catch {
    return start + Math.round(policy.hours * 3_600_000);
  }
}

export type FollowupPlan = Readonly<{ policyId: number | null; dueAt: number }>;

/** The policy and due time a lead gets when its clock starts at `start`. */
export function planFollowup(lead: MatchLead, policies: readonly SlaPolicy[], start: number): FollowupPlan {
  const policy = policyFor(lead, policies);
  return { policyId: policy?.id ?? null, dueAt: dueUnder(policy, start) };
}

/** Writes (or resets) the follow-up row; the caller mirrors dueAt into leads.sla_due_at. */
export function writeFollowup(
  db: Database.Database,
  leadId: number,
  start: number,
  plan: FollowupPlan,
  routedRuleId: number | null,
): void {
  stmt(
    db,
    `INSERT INTO lead_followup (lead_id, mql_at, policy_id, due_at, routed_rule_id)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(lead_id) DO UPDATE SET mql_at = excluded.mql_at, policy_id = excluded.policy_id,
       due_at = excluded.due_at, routed_rule_id = excluded.routed_rule_id, first_contact_at = NULL,
       last_attempt_at = NULL, attempts = 0, reached = 0, status = 'open', closed_at = NULL,
       disposition_id = NULL, notified_at = NULL`,
  ).run(leadId, start, plan.policyId, plan.dueAt, routedRuleId);
}

/** Closes an open follow-up (no-op when none is open). */
export function closeFollowup(db: Database.Database, leadId: number, now: number, dispositionId: number | null): void {
  stmt(
    db,
    `UPDATE lead_followup SET status = 'closed', closed_at = ?, disposition_id = coalesce(?, disposition_id)
     WHERE lead_id = ? AND status = 'open'`,
  ).run(now, dispositionId, leadId);
  stmt(db, 'UPDATE leads SET sla_due_at = NULL WHERE id = ? AND sla_due_at IS NOT NULL').run(leadId);
}

/** Re-evaluates the due time of open, not yet contacted follow-ups (after a policy edit). */
export function recomputeOpenDueTimes(db: Database.Database): number {
  const policies = listPolicies(db);
  const slots = customSlots(db);
  const rows = stmt(
    db,
    `SELECT l.*, f.mql_at AS f_mql_at FROM lead_followup f JOIN leads l ON l.id = f.lead_id
       WHERE f.status = 'open' AND f.first_contact_at IS NULL`,
  )
    .all()
    .map((r) => matchLead(slots, r as { custom: string; id: number; f_mql_at: number }));
  const upd = stmt(db, 'UPDATE lead_followup SET policy_id = ?, due_at = ? WHERE lead_id = ?');
  const mirror = stmt(db, 'UPDATE leads SET sla_due_at = ? WHERE id = ?');
  db.transaction(() => {
    for (const r of rows) {
      const policy = policyFor(r, policies);
      const due = dueUnder(policy, r.f_mql_at);
      upd.run(policy?.id ?? null, due, r.id);
      mirror.run(due, r.id);
    }
  })();
  return rows.length;
}
