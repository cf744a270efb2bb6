/**
 * Conditions and rules in plain words, one definition for the editor's rule tables, the
 * model checks and the CLI: "Job title contains 'chief' or Seniority is one of VP, Director",
 * "Total Time Spent on Website ≥ 500: +10".
 */
import { activityTypeLabel, type ActivityTypeLabels } from '../domain';
import { fieldLabel } from './conditions';
import { signed } from './ledger';
import type { ActivityMatch, Condition, FieldCondition } from './model';
import { OPERATORS, type OperatorSpec } from './operators';
import { SENIORITY_LABELS, type Seniority } from './seniority';

/** The operand part of a condition or an asset match. */
export type OperandLike = Readonly<{
  op: string;
  value?: string | number;
  values?: readonly (string | number)[];
  min?: number | null;
  max?: number | null;
}>;

function quote(v: unknown): string {
  return `'${String(v ?? '')}'`;
}

/** The operator and operand in words ("≥ 500", "is one of 'A', 'B'", "is in the last 30 days"). */
export function operandWords(field: string, c: OperandLike | null | undefined): string {
  if (!c) return '';
  const spec = (OPERATORS as Record<string, OperatorSpec>)[c.op];
  if (!spec) return `(unknown operator ${String(c.op)})`;
  const show = (v: unknown) => (field === 'seniority' ? (SENIORITY_LABELS[v as Seniority] ?? String(v)) : quote(v));
  switch (spec.operand) {
    case 'none':
      return spec.label;
    case 'number':
      return `${spec.symbol ?? spec.label} ${String(c.value ?? '')}`;
    case 'days': {
      const n = Number(c.value);
      return `${spec.label} ${String(c.value ?? '')} ${n === 1 ? 'day' : 'days'}`;
    }
    case 'value':
    case 'pattern':
      return `${spec.label} ${show(c.value)}`;
    case 'list': {
      const values = c.values ?? [];
      const shown = values.slice(0, 4).map(show).join(', ');
      return `${spec.label} ${shown}${values.length > 4 ? ` +${values.length - 4} more` : ''}`;
    }
    case 'range':
      if (c.min != null && c.max != null) return `is between ${c.min} and ${c.max}`;
      if (c.min != null) return `≥ ${c.min}`;
      if (c.max != null) return `≤ ${c.max}`;
      return spec.label;
  }
}

function isGroup(c: Condition): c is Readonly<{ all: readonly Condition[] }> | Readonly<{ any: readonly Condition[] }> {
  return 'all' in c || 'any' in c;
}

/** A condition in one line of plain words. */
export function describeCondition(c: Condition | undefined | null, nested = false): string {
  if (!c || typeof c !== 'object') return 'No condition';
  if (isGroup(c)) {
    const items = 'all' in c ? c.all : c.any;
    if (!Array.isArray(items) || items.length === 0) return 'No condition';
    const joiner = 'all' in c ? ' and ' : ' or ';
    const text = items.map((x) => describeCondition(x, true)).join(joiner);
    return nested && items.length > 1 ? `(${text})` : text;
  }
  const leaf = c as FieldCondition;
  if (!leaf.field) return 'Incomplete condition';
  return `${fieldLabel(leaf.field)} ${operandWords(leaf.field, leaf)}`;
}

/** A profile rule as its condition and points: "Total Time Spent on Website ≥ 500: +10". */
export function describeRule(r: Readonly<{ when: Condition; points: number }>): string {
  return `${describeCondition(r.when)}: ${signed(r.points)}`;
}

/** Which activities a rule counts, in plain words (`labels`: the workspace's renamed types). */
export function describeMatch(m: ActivityMatch | undefined | null, labels?: ActivityTypeLabels): string {
  if (!m) return 'No activity';
  const types = Array.isArray(m.types) ? m.types : [];
  const typeWords = types.length ? types.map((t) => activityTypeLabel(t, labels)).join(' or ') : 'No activity type';
  const parts = [typeWords];
  if (m.asset) parts.push(`asset ${operandWords('asset', m.asset)}`);
  if (m.minDurationSec) parts.push(`at least ${formatDuration(m.minDurationSec)}`);
  return parts.join(', ');
}

export function formatDuration(sec: number): string {
  if (sec % 3600 === 0 && sec >= 3600) return `${sec / 3600} h`;
  if (sec % 60 === 0 && sec >= 60) return `${sec / 60} min`;
  return `${sec} s`;
}
