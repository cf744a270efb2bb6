/**
 * Rules in plain words for the rule tables ("Job title contains 'chief' or Seniority is
 * one of VP, Director"), and the field catalogue the condition builder offers: standard
 * lead fields, derived fields and the workspace's custom columns.
 */
import { LEAD_FIELDS } from '../../../../shared/domain';
import type { LeadColumnInfo } from '../../../../shared/contract';
import { customFieldLabel } from '../../../../shared/custom-fields';
import { DERIVED_FIELDS, type Condition, type ConditionFieldType } from '../../../../shared/scoring';
import { describeCondition, describeMatch, formatDuration } from '../../../../shared/scoring/describe';

export { describeCondition, describeMatch, formatDuration };

export type FieldOption = Readonly<{
  key: string;
  label: string;
  group: string;
  /** What the field holds: decides the operators offered and the operand inputs. */
  type: ConditionFieldType;
  numeric: boolean;
  /** A grid column, so its distinct values (with counts) can be offered in a picker. */
  pickable: boolean;
}>;

/** A custom column as the grid describes it (key `custom.<name>`, its kind from the field's type). */
export type CustomColumn = Readonly<{ key: string; kind: LeadColumnInfo['kind'] }>;

const KIND_TYPES: Readonly<Record<LeadColumnInfo['kind'], ConditionFieldType>> = {
  number: 'number',
  date: 'date',
  bool: 'bool',
  enum: 'category',
  text: 'text',
};

const DERIVED_TYPES: Readonly<Record<string, ConditionFieldType>> = { stage: 'category', tags: 'category' };

/**
 * Every field a condition can test, grouped for the drop-down. A custom column named like
 * a standard field is labelled "Tags (from file)", so no two options share a label.
 */
export function fieldOptions(customColumns: readonly CustomColumn[]): FieldOption[] {
  const standard: FieldOption[] = [
    ...LEAD_FIELDS.map((f) => ({
      key: f.key,
      label: f.label,
      group: 'Lead fields',
      type: f.kind === 'number' ? ('number' as const) : ('text' as const),
      numeric: f.kind === 'number',
      pickable: true,
    })),
    ...DERIVED_FIELDS.map((f) => ({
      key: f.key,
      label: f.label,
      group: 'Derived',
      type: DERIVED_TYPES[f.key] ?? ('text' as const),
      numeric: false,
      pickable: f.key in DERIVED_TYPES,
    })),
  ];
  const standardLabels = standard.map((f) => f.label);
  const custom = customColumns.map((c) => {
    const name = c.key.replace(/^custom\./, '');
    const type = KIND_TYPES[c.kind];
    return {
      key: `custom.${name}`,
      label: customFieldLabel(name, standardLabels),
      group: 'Custom columns',
      type,
      numeric: type === 'number',
      pickable: true,
    };
  });
  return [...standard, ...custom];
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

/** "+15", "−20", "0" with a real minus sign for display. */
export function signedPoints(n: number | null | undefined): string {
  if (n == null || Number.isNaN(n)) return '—';
  if (n > 0) return `+${n}`;
  if (n < 0) return `\u2212${Math.abs(n)}`;
  return '0';
}
