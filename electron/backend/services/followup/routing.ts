/**
 * Routing: who gets a lead when it becomes MQL. Rules are tried in order; a rule that
 * names a group (role or team) hands leads out round robin among the group's active
 * owners, remembering the last one on the rule row. A rule whose target has no active
 * owner falls through to the next rule, so a leave of absence does not strand leads.
 */
import type Database from 'better-sqlite3';
import { stmt } from '../../db/statements';
import type { RoutingRule } from '../../../../shared/followup/types';
import { listRoutingRules } from './config';
import { matches, matchLead, type MatchLead } from './matching';
import { customSlots, type CustomSlots } from '../leads/custom-store';

export type RoutingDecision = Readonly<{ ownerId: number; ruleId: number }>;

function groupMembers(db: Database.Database, rule: RoutingRule): number[] {
  const column = rule.targetKind === 'team' ? 'team' : 'role';
  const rows = stmt(db, `SELECT id FROM owners WHERE active = 1 AND ${column} = ? COLLATE NOCASE ORDER BY id`).all(
    rule.targetGroup ?? '',
  ) as { id: number }[];
  return rows.map((r) => r.id);
}

/** The owner a rule hands its next lead to (advancing the round robin), or null. */
function takeOwner(db: Database.Database, rule: RoutingRule): number | null {
  if (rule.targetKind === 'owner') {
    if (rule.targetOwnerId === null) return null;
    const row = stmt(db, 'SELECT id FROM owners WHERE id = ? AND active = 1').get(rule.targetOwnerId) as
      { id: number } | undefined;
    return row?.id ?? null;
  }
  const members = groupMembers(db, rule);
  if (members.length === 0) return null;
  const { last_owner_id: last } = stmt(db, 'SELECT last_owner_id FROM routing_rules WHERE id = ?').get(rule.id) as {
    last_owner_id: number | null;
  };
  const next = members.find((id) => last === null || id > last) ?? members[0]!;
  stmt(db, 'UPDATE routing_rules SET last_owner_id = ? WHERE id = ?').run(next, rule.id);
  return next;
}

/**
 * Picks an owner for a lead by the routing rules; null when no rule yields one. A caller
 * routing many leads passes the custom field slots it read once (matching.ts matchLead).
 */
export function routeLead(
  db: Database.Database,
  leadId: number,
  rules = listRoutingRules(db),
  slots: CustomSlots = customSlots(db),
): RoutingDecision | null {
  const row = stmt(db, 'SELECT * FROM leads WHERE id = ?').get(leadId) as { custom: string } | undefined;
  return row ? routeLeadRow(db, matchLead(slots, row), rules) : null;
}

/** routeLead for a lead row already read (advances the round robin of the rule used). */
export function routeLeadRow(
  db: Database.Database,
  lead: MatchLead,
  rules: readonly RoutingRule[],
): RoutingDecision | null {
  for (const rule of rules) {
    if (!matches(lead, rule)) continue;
    const ownerId = takeOwner(db, rule);
    if (ownerId !== null) return { ownerId, ruleId: rule.id };
  }
  return null;
}
