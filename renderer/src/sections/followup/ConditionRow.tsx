/**
 * One field condition of a routing rule: the field from a picker over the workspace's own
 * fields (standard fields, score fields and every custom field its imports brought), and
 * the value with suggestions from the values leads actually have in that field.
 */
import { useId } from 'react';
import type { FieldCondition, LeadColumnInfo } from '../../../../shared/contract';
import { CUSTOM_PREFIX } from '../../../../shared/lead-columns';
import { LEAD_FIELDS } from '../../../../shared/domain';
import { CONDITION_OPS, type ConditionOp } from '../../../../shared/followup/types';
import { useApi } from '../../api';

export const OP_LABELS: Readonly<Record<ConditionOp, string>> = {
  eq: 'is',
  neq: 'is not',
  contains: 'contains',
  in: 'is one of',
  gte: '≥',
  lte: '≤',
  empty: 'is empty',
  not_empty: 'is not empty',
};

/** Lead columns a condition can test (matching.ts reads these; custom fields by their name). */
const MATCHABLE = new Set<string>([...LEAD_FIELDS.map((f) => f.key), 'grade', 'segment', 'stage', 'score_total']);

/** A condition's field as the grid column key (custom fields carry the custom. prefix there). */
function columnKey(field: string, columns: readonly LeadColumnInfo[]): string {
  if (MATCHABLE.has(field)) return field;
  return (
    columns.find((c) => c.custom && c.key.slice(CUSTOM_PREFIX.length) === field)?.key ?? `${CUSTOM_PREFIX}${field}`
  );
}

export function matchableFields(columns: readonly LeadColumnInfo[]): { field: string; label: string }[] {
  return columns
    .filter((c) => MATCHABLE.has(c.key) || c.custom)
    .map((c) => ({ field: c.custom ? c.key.slice(CUSTOM_PREFIX.length) : c.key, label: c.label }));
}

export function ConditionRow({
  value,
  columns,
  onChange,
  onRemove,
}: Readonly<{
  value: FieldCondition;
  columns: readonly LeadColumnInfo[];
  onChange: (next: FieldCondition) => void;
  onRemove: () => void;
}>) {
  const listId = useId();
  const fields = matchableFields(columns);
  const known = fields.some((f) => f.field === value.field);
  const needsValue = value.op !== 'empty' && value.op !== 'not_empty';
  const distinct = useApi(
    'leads-distinct',
    { column: columnKey(value.field, columns), search: '', limit: 50 },
    { key: value.field, refreshOn: ['leads'] },
  );
  return (
    <div className="fu-row fu-condition">
      <select
        aria-label="Condition field"
        value={value.field}
        onChange={(e) => onChange({ ...value, field: e.target.value })}
      >
        {known ? null : <option value={value.field}>{value.field}</option>}
        {fields.map((f) => (
          <option key={f.field} value={f.field}>
            {f.label}
          </option>
        ))}
      </select>
      <select
        aria-label="Condition operator"
        value={value.op}
        onChange={(e) => onChange({ ...value, op: e.target.value as ConditionOp })}
      >
        {CONDITION_OPS.map((op) => (
          <option key={op} value={op}>
            {OP_LABELS[op]}
          </option>
        ))}
      </select>
      {needsValue ? (
        <>
          <input
            className="input"
            aria-label="Condition value"
            list={listId}
            value={value.value}
            placeholder={value.op === 'in' ? 'a, b, c' : 'value'}
            onChange={(e) => onChange({ ...value, value: e.target.value })}
          />
          <datalist id={listId}>
            {(distinct.data ?? [])
              .filter((d) => d.value !== null && d.value !== '')
              .map((d) => (
                <option key={String(d.value)} value={String(d.value)}>
                  {`${d.count.toLocaleString()} leads`}
                </option>
              ))}
          </datalist>
        </>
      ) : null}
      <button type="button" className="btn btn--small btn--ghost" onClick={onRemove}>
        Remove
      </button>
    </div>
  );
}
