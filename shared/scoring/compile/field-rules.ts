/**
 * Field engagement rules: engagement points from a numeric lead field that measures it
 * ("1 point per minute on the website, at most 30"). One definition of the arithmetic for
 * the scorer, the ledger's words and the editor's example:
 *
 *   units  = whole units of the field's amount: floor(value / per), a part unit earns nothing
 *   points = sign(points) × min(units × |points|, cap)
 *
 * A blank, a placeholder ("--", "Select"), text that is not a number, 0 or a negative amount
 * is no engagement: 0 points and no ledger entry. A lead field has no date, so these points
 * never decay and no time window applies (decay works on an activity's age).
 */
import { fieldGetter, fieldLabel, type LeadContext } from '../conditions';
import { signed, type LedgerEntry } from '../ledger';
import type { FieldEngagementRule, ScoringModel } from '../model';
import { toNumber } from '../operators';

/**
 * Slack for binary fractions: 0.3 / 0.1 is 2.9999999999999996 in floating point, and three
 * tenths are three whole units of a tenth.
 */
const UNIT_EPSILON = 1e-9;

export type FieldRuleScore = Readonly<{ units: number; points: number }>;

/** Whole units of `value` and the points they earn under a rule (0 and 0 for no data). */
export function fieldRulePoints(
  rule: Pick<FieldEngagementRule, 'points' | 'per' | 'cap'>,
  value: number | null,
): FieldRuleScore {
  if (value === null || !(value > 0) || !(rule.per > 0)) return { units: 0, points: 0 };
  const units = Math.floor(value / rule.per + UNIT_EPSILON);
  const size = Math.min(units * Math.abs(rule.points), rule.cap);
  return { units, points: rule.points < 0 ? -size : size };
}

export type CompiledFieldRule = Readonly<{
  rule: FieldEngagementRule;
  /** The field's amount for a lead, or null when it holds no number. */
  amount: (ctx: LeadContext) => number | null;
}>;

/** The model's field engagement rules in model order (the index a stored ledger entry names). */
export function compileFieldRules(model: ScoringModel): CompiledFieldRule[] {
  return (model.fieldEngagement ?? []).map((rule) => {
    const get = fieldGetter(rule.field);
    return { rule, amount: (ctx) => toNumber(get(ctx)) };
  });
}

/** Points of every field rule for a lead; `onPoints` records each rule that gave some. */
export function scoreFieldRules(
  rules: readonly CompiledFieldRule[],
  ctx: LeadContext,
  onPoints: ((index: number, points: number, value: number) => void) | null,
): number {
  let total = 0;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    const value = r.amount(ctx);
    const { points } = fieldRulePoints(r.rule, value);
    if (points === 0) continue;
    total += points;
    onPoints?.(i, points, value!);
  }
  return total;
}

/** 1440 -> "1,440", 2.5 -> "2.5", 0.333 -> "0.33": grouped thousands, at most two decimals, no locale. */
export function formatAmount(n: number): string {
  const [whole, fraction] = String(Number(Math.abs(n).toFixed(2))).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** "minute" -> "minutes" for counts other than 1 (units are named in the singular). */
export function unitWord(unit: string, count: number): string {
  if (count === 1 || /s$/i.test(unit)) return unit;
  return `${unit}s`;
}

/**
 * "1 point per minute (at most 30)": the rule's rate and cap in words. A unit that is more than
 * one of the field's amounts and has no measure of its own (a learned "step" of 91) names its
 * size right there ("1 point per step of 91"); one with a measure says it in describeFieldRule.
 */
export function describeFieldRate(
  rule: Pick<FieldEngagementRule, 'points' | 'unit' | 'cap' | 'per' | 'fieldUnit'>,
): string {
  const n = Math.abs(rule.points);
  const size = rule.per !== 1 && !rule.fieldUnit ? ` of ${formatAmount(rule.per)}` : '';
  return `${rule.points < 0 ? '-' : ''}${n} ${n === 1 ? 'point' : 'points'} per ${rule.unit}${size} (at most ${rule.cap})`;
}

/** How much of the field one unit is ("60 s"), or '' when a unit is one of what the field counts. */
export function unitSize(rule: Pick<FieldEngagementRule, 'per' | 'fieldUnit'>): string {
  if (rule.per === 1 && !rule.fieldUnit) return '';
  return `${formatAmount(rule.per)}${rule.fieldUnit ? ` ${rule.fieldUnit}` : ''}`;
}

/** "Total Time Spent on Website: 1 point per minute (at most 30), a minute being 60 s": a rule in one line. */
export function describeFieldRule(
  rule: Pick<FieldEngagementRule, 'field' | 'points' | 'per' | 'unit' | 'fieldUnit' | 'cap'>,
): string {
  const measured = rule.fieldUnit ? `, a ${rule.unit} being ${unitSize(rule)}` : '';
  return `${fieldLabel(rule.field)}: ${describeFieldRate(rule)}${measured}`;
}

/**
 * The sum in words: "1,440 s = 24 minutes × 1 point per minute (at most 30)"; the amount
 * alone when it is already whole units ("5 visits × 1 point per visit (at most 10)").
 */
export function fieldRuleArithmetic(rule: FieldEngagementRule, value: number): string {
  const { units } = fieldRulePoints(rule, value);
  const counted = `${formatAmount(units)} ${unitWord(rule.unit, units)}`;
  const plain = rule.per === 1 && !rule.fieldUnit && value === units;
  const amount = plain ? counted : `${formatAmount(value)}${rule.fieldUnit ? ` ${rule.fieldUnit}` : ''} = ${counted}`;
  return `${amount} × ${describeFieldRate(rule)}`;
}

/** A field rule's ledger entry: "+24 Total Time Spent on Website: 1,440 s = 24 minutes × 1 point per minute (at most 30)". */
export function fieldRuleEntry(r: FieldEngagementRule, points: number, value: number, decays: boolean): LedgerEntry {
  const label = fieldLabel(r.field);
  const notes = [
    r.name.trim().toLowerCase() === label.trim().toLowerCase() ? null : `rule '${r.name}'`,
    // Said only where the reader could expect it: the model decays its activity points.
    decays ? 'no decay: a lead field has no date' : null,
  ].filter(Boolean);
  return {
    kind: 'engagement',
    ruleId: r.id,
    ruleName: r.name,
    points,
    text: `${signed(points)} ${label}: ${fieldRuleArithmetic(r, value)}${notes.length ? ` [${notes.join('; ')}]` : ''}`,
    field: r.field,
    value: formatAmount(value),
  };
}

/** Whether a model decays or windows any engagement (its field rules' words then say they do not). */
export function modelDecays(model: ScoringModel): boolean {
  const d = model.decay;
  const on = (s: Readonly<{ halfLifeDays?: number | null; windowDays?: number | null }>) =>
    s.halfLifeDays != null || s.windowDays != null;
  return on(d) || Object.values(d.groups ?? {}).some(on);
}
