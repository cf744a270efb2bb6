/**
 * Rules in plain words for the rule tables ("Job title contains 'chief' or Seniority is
 * one of VP, Director"), and the field catalogue the condition builder offers: standard
 * lead fields, derived fields and the workspace's custom columns.
 */
import { LEAD_FIELDS, activityTypeLabel } from '../../../../shared/domain';
import {
  DERIVED_FIELDS,
  OPERATORS,
  SENIORITY_LABELS,
  fieldLabel,
  type ActivityMatch,
  type Condition,
  type FieldCondition,
  type OperatorName,
  type Seniority,
} from '../../../../shared/scoring';

export type FieldOption = Readonly<{ key: string; label: string; group: string; numeric: boolean }>;

/** Every field a condition can test, grouped for the drop-down. */
export function fieldOptions(customColumns: readonly string[]): FieldOption[] {
  return [
    ...LEAD_FIELDS.map((f) => ({ key: f.key, label: f.label, group: 'Lead fields', numeric: f.kind === 'number' })),
    ...DERIVED_FIELDS.map((f) => ({ key: f.key, label: f.label, group: 'Derived', numeric: false })),
    ...customColumns.map((c) => ({ key: `custom.${c}`, label: c, group: 'Custom columns', numeric: false })),
  ];
}

export function isGroup(
  c: Condition | undefined | null,
): c is Readonly<{ all: readonly Condition[] }> | Readonly<{ any: readonly Condition[] }> {
  return typeof c === 'object' && c !== null && ('all' in c || 'any' in c);
}

export function groupItems(c: Condition): readonly Condition[] {
  if ('all' in c) return Array.isArray(c.all) ? c.all : [];
  if ('any' in c) return Array.isArray(c.any) ? c.any : [];
  return [c];
}

function quote(v: unknown): string {
  return `'${String(v ?? '')}'`;
}

function operandWords(field: string, c: FieldCondition | ActivityMatch['asset']): string {
  if (!c) return '';
  const spec = OPERATORS[c.op as OperatorName];
  if (!spec) return `(unknown operator ${String(c.op)})`;
  const show = (v: unknown) => (field === 'seniority' ? (SENIORITY_LABELS[v as Seniority] ?? String(v)) : quote(v));
  switch (spec.operand) {
    case 'none':
      return spec.label;
    case 'value':
    case 'pattern':
      return `${spec.label} ${show(c.value)}`;
    case 'list': {
      const values = c.values ?? [];
      const shown = values.slice(0, 4).map(show).join(', ');
      return `${spec.label} ${shown}${values.length > 4 ? ` +${values.length - 4} more` : ''}`;
    }
    case 'range': {
      const r = c as FieldCondition;
      if (r.min != null && r.max != null) return `is between ${r.min} and ${r.max}`;
      if (r.min != null) return `is at least ${r.min}`;
      if (r.max != null) return `is at most ${r.max}`;
      return spec.label;
    }
  }
}

/** A condition in one line of plain words. */
export function describeCondition(c: Condition | undefined | null, nested = false): string {
  if (!c || typeof c !== 'object') return 'No condition';
  if (isGroup(c)) {
    const items = groupItems(c);
    if (items.length === 0) return 'No condition';
    const joiner = 'all' in c ? ' and ' : ' or ';
    const text = items.map((x) => describeCondition(x, true)).join(joiner);
    return nested && items.length > 1 ? `(${text})` : text;
  }
  const leaf = c as FieldCondition;
  if (!leaf.field) return 'Incomplete condition';
  return `${fieldLabel(leaf.field)} ${operandWords(leaf.field, leaf)}`;
}

/** Which activities a rule counts, in plain words. */
export function describeMatch(m: ActivityMatch | undefined | null): string {
  if (!m) return 'No activity';
  const types = Array.isArray(m.types) ? m.types : [];
  const typeWords = types.length ? types.map((t) => activityTypeLabel(t)).join(' or ') : 'No activity type';
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

/** "+15", "−20", "0" with a real minus sign for display. */
export function signedPoints(n: number | null | undefined): string {
  if (n == null || Number.isNaN(n)) return '—';
  if (n > 0) return `+${n}`;
  if (n < 0) return `\u2212${Math.abs(n)}`;
  return '0';
}
