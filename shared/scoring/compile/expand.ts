/**
 * Turning a stored (compact) ledger back into plain words. Each entry kind has its own
 * function; rules are looked up by the index the entry stored, activities and adjustments by
 * id (an entry whose activity is gone says so).
 */
import { normalizeEmail, type Activity, type Lead } from '../../domain';
import { conditionEvidence, fieldLabel, leadContext, type LeadContext } from '../conditions';
import { daysBetween, describeActivity, formatDay, formatFactor, signed, type LedgerEntry } from '../ledger';
import type { InactivityPenalty } from '../model';
import type { ActivityRule, DecayGroup } from './activity-rules';
import { fieldRuleEntry, type CompiledFieldRule } from './field-rules';
import type { ProfileRule } from './profile-rules';
import { SUPPRESSION_SOURCE, type CompiledSuppressionRule } from './suppression';

/**
 * One ledger entry in stored form: `[kind, index, points, ...refs]`.
 * kind 0 profile rule (index = fit/negative-profile rule), 1 activity rule (refs: activity
 * id, time), 2 decay (index = group; refs: raw points, last activity time), 3 window (refs:
 * activities left out), 4 inactivity (refs: idle days, times, last activity or null),
 * 5 adjustment (refs: adjustment id), 6 suppression (index = rule or -1; refs: reason,
 * source 0 by hand / 1 email list / 2 domain list / 3 rule), 7 field engagement rule (refs: the
 * field's amount as scored).
 */
export type CompactEntry = readonly (number | string | null)[];

/** A signed manual adjustment a rep added to a lead, shown in the ledger. */
export type ScoreAdjustment = Readonly<{
  id: number | string;
  points: number;
  reason: string;
  at: number;
  by?: string | null;
}>;

/** The compiled parts of a model the words are made from. */
export type LedgerParts = Readonly<{
  profileRules: readonly ProfileRule[];
  activityRules: readonly ActivityRule[];
  groups: readonly DecayGroup[];
  fieldRules: readonly CompiledFieldRule[];
  /** Whether the model decays engagement (field rules then say that they do not). */
  decays: boolean;
  suppressionRules: readonly CompiledSuppressionRule[];
  inactivity: InactivityPenalty | null;
}>;

function groupSuffix(g: DecayGroup): string {
  return g.name === 'default' ? '' : ` [${g.name}]`;
}

export function profileEntry(r: ProfileRule, points: number, ctx: LeadContext): LedgerEntry {
  const ev = r.test(ctx) ? conditionEvidence(r.when, ctx) : null;
  return {
    kind: r.kind,
    ruleId: r.id,
    ruleName: r.name,
    points,
    text: `${signed(points)} ${r.name}${ev ? ` (${fieldLabel(ev.field)}: ${ev.value ?? 'blank'})` : ''}`,
    ...(ev ? { field: ev.field, value: ev.value } : {}),
  };
}

export function activityEntry(
  r: ActivityRule,
  points: number,
  id: number,
  at: number,
  a: Activity | undefined,
): LedgerEntry {
  const what = a
    ? describeActivity(a.type, a.asset, a.occurred_at, a.label)
    : `Activity #${id} on ${formatDay(at)} (no longer in the workspace)`;
  const capped = Math.abs(points) < Math.abs(r.points) ? ' (capped)' : '';
  return {
    kind: r.kind,
    ruleId: r.id,
    ruleName: r.name,
    points,
    text: `${signed(points)} ${what} (${r.name})${capped}`,
    activityId: id,
    at,
  };
}

export function decayEntry(g: DecayGroup, points: number, rawPts: number, last: number, now: number): LedgerEntry {
  const label = groupSuffix(g);
  return {
    kind: 'decay',
    ruleId: null,
    ruleName: `Decay${label}`,
    points,
    text: `x${formatFactor((rawPts + points) / rawPts)} decay: last activity ${daysBetween(last, now)} days ago (half-life ${g.halfLifeDays} days, ${signed(points)})${label}`,
  };
}

export function windowEntry(g: DecayGroup, left: number): LedgerEntry {
  const label = groupSuffix(g);
  return {
    kind: 'window',
    ruleId: null,
    ruleName: `Time window${label}`,
    points: 0,
    text: `0 ${left} older ${left === 1 ? 'activity' : 'activities'} not counted (only the last ${g.windowDays} days count)${label}`,
  };
}

export function inactivityEntry(
  points: number,
  idle: number,
  times: number,
  last: number | null,
  inactivity: InactivityPenalty | null,
): LedgerEntry {
  const what =
    last === null
      ? `no activity since the lead was added ${idle} days ago`
      : `no activity for ${idle} days (last on ${formatDay(last)})`;
  return {
    kind: 'inactivity',
    ruleId: null,
    ruleName: 'Inactivity penalty',
    points,
    text: `${signed(points)} Inactivity: ${what}${times > 1 && inactivity ? `, ${signed(inactivity.points)} x${times}` : ''}`,
  };
}

export function adjustmentEntry(id: string, points: number, adj: ScoreAdjustment | undefined): LedgerEntry {
  return {
    kind: 'adjustment',
    ruleId: id,
    ruleName: 'Manual adjustment',
    points,
    text: adj
      ? `${signed(points)} Manual adjustment${adj.by ? ` by ${adj.by}` : ''} on ${formatDay(adj.at)}: ${adj.reason}`
      : `${signed(points)} Manual adjustment`,
    ...(adj ? { at: adj.at } : {}),
  };
}

export function suppressionEntry(
  reason: string,
  source: number,
  rule: CompiledSuppressionRule | undefined,
  ctx: LeadContext,
): LedgerEntry {
  let field: string | undefined;
  let value: string | null = null;
  if (rule) {
    const ev = rule.test(ctx) ? conditionEvidence(rule.when, ctx) : null;
    if (ev) ({ field, value } = ev);
  } else if (source === SUPPRESSION_SOURCE.emailList) {
    field = 'email';
    value = normalizeEmail(ctx.lead.email);
  } else if (source === SUPPRESSION_SOURCE.domainList) {
    field = 'email_domain';
    value = normalizeEmail(ctx.lead.email)?.split('@').pop() ?? null;
  }
  const why = source === SUPPRESSION_SOURCE.hand ? `set by hand: ${reason}` : reason;
  return {
    kind: 'suppression',
    ruleId: rule?.id ?? null,
    ruleName: rule?.name ?? (source === SUPPRESSION_SOURCE.hand ? 'Manual suppression' : 'Suppression list'),
    points: 0,
    text: `Suppressed: ${why}${field ? ` (${fieldLabel(field)}: ${value ?? 'blank'})` : ''}. Never hot, never MQL`,
    ...(field ? { field, value } : {}),
  };
}

/** Activities a ledger refers to, by id (only those, the list may be long). */
function referencedActivities(
  compact: readonly CompactEntry[],
  activities: readonly Activity[],
): Map<number, Activity> {
  const wanted = new Set<number>();
  for (const e of compact) if (e[0] === 1) wanted.add(e[3] as number);
  const byId = new Map<number, Activity>();
  if (wanted.size) for (const a of activities) if (wanted.has(a.id)) byId.set(a.id, a);
  return byId;
}

/** One stored entry in words, or null when it names a rule the model no longer has. */
function expandEntry(
  p: LedgerParts,
  e: CompactEntry,
  ctx: LeadContext,
  byId: ReadonlyMap<number, Activity>,
  adjustments: readonly ScoreAdjustment[],
  now: number,
): LedgerEntry | null {
  const [kind, index, points] = e as [number, number, number];
  switch (kind) {
    case 0: {
      const r = p.profileRules[index];
      return r ? profileEntry(r, points, ctx) : null;
    }
    case 1: {
      const r = p.activityRules[index];
      return r ? activityEntry(r, points, e[3] as number, e[4] as number, byId.get(e[3] as number)) : null;
    }
    case 2: {
      const g = p.groups[index];
      return g ? decayEntry(g, points, e[3] as number, e[4] as number, now) : null;
    }
    case 3: {
      const g = p.groups[index];
      return g ? windowEntry(g, e[3] as number) : null;
    }
    case 4:
      return inactivityEntry(points, e[3] as number, e[4] as number, e[5] as number | null, p.inactivity);
    case 5:
      return adjustmentEntry(
        String(e[3]),
        points,
        adjustments.find((x) => String(x.id) === String(e[3])),
      );
    case 6: {
      const source = e[4] as number;
      const rule = source === SUPPRESSION_SOURCE.rule ? p.suppressionRules[index] : undefined;
      return suppressionEntry(String(e[3]), source, rule, ctx);
    }
    case 7: {
      const r = p.fieldRules[index];
      return r ? fieldRuleEntry(r.rule, points, e[3] as number, p.decays) : null;
    }
    default:
      return null;
  }
}

/** The words of a whole stored ledger, in its order. */
export function expandLedger(
  p: LedgerParts,
  compact: readonly CompactEntry[],
  lead: Lead,
  activities: readonly Activity[],
  adjustments: readonly ScoreAdjustment[],
  now: number,
): LedgerEntry[] {
  const ctx = leadContext(lead, now);
  const byId = referencedActivities(compact, activities);
  const out: LedgerEntry[] = [];
  for (const e of compact) {
    const entry = expandEntry(p, e, ctx, byId, adjustments, now);
    if (entry) out.push(entry);
  }
  return out;
}
