/**
 * The condition builder: field, operator and the operand that operator needs (one value,
 * a number, days, a list, a range, a pattern or nothing), in AND/OR groups that nest. The
 * operators offered follow the field's type (≥ for numbers, "in the last N days" for dates,
 * yes/no for flags); list values of a column come from a picker of its values with counts.
 * A single condition is stored as a plain leaf; adding a second one turns it into a group.
 */
import { useId, useState } from 'react';
import { ValuePicker } from '../../components/ValuePicker';
import {
  OPERATORS,
  OPERATOR_NAMES,
  OPERATORS_FOR_TYPE,
  SENIORITY_LABELS,
  SENIORITY_LEVELS,
  type Condition,
  type FieldCondition,
  type ModelIssue,
  type OperatorName,
} from '../../../../shared/scoring';
import { ChipInput, IconButton, Issues, NumberField, Segmented, TextField } from './controls';
import { issuesAt, issuesUnder, type IssuePath } from './draft';
import { groupItems, isGroup, type FieldOption } from './words';

type Operandish = Readonly<{
  op: OperatorName;
  value?: string | number;
  values?: readonly (string | number)[];
  min?: number | null;
  max?: number | null;
  caseSensitive?: boolean;
}>;

/** Re-shapes an operand for a new operator, keeping what still makes sense. */
export function withOperator<T extends Operandish>(o: T, op: OperatorName): T {
  const kind = OPERATORS[op].operand;
  const rest: Record<string, unknown> = { ...o };
  delete rest.value;
  delete rest.values;
  delete rest.min;
  delete rest.max;
  const first = o.value ?? o.values?.[0];
  const next: Record<string, unknown> = { ...rest, op };
  if (kind === 'value' || kind === 'pattern') next.value = first ?? '';
  if (kind === 'number') next.value = typeof first === 'number' ? first : (o.min ?? '');
  if (kind === 'days') next.value = typeof first === 'number' && Number.isInteger(first) && first > 0 ? first : 30;
  if (kind === 'list') next.values = o.values ?? (o.value !== undefined && o.value !== '' ? [o.value] : []);
  if (kind === 'range') {
    next.min = o.min ?? (typeof first === 'number' ? first : null);
    next.max = o.max ?? null;
  }
  if (kind === 'none' || kind === 'range' || kind === 'number' || kind === 'days') delete next.caseSensitive;
  return next as T;
}

/** The operand inputs for one operator (shared by lead conditions and asset matches). */
export function OperandEditor<T extends Operandish>({
  operand,
  field,
  numeric,
  pickable = false,
  onChange,
  issues,
  path,
}: Readonly<{
  operand: T;
  field: string;
  numeric: boolean;
  /** The field is a lead column: list values can be picked from its values with counts. */
  pickable?: boolean;
  onChange: (o: T) => void;
  issues: readonly ModelIssue[];
  path: IssuePath;
}>) {
  const spec = OPERATORS[operand.op] as (typeof OPERATORS)[OperatorName] | undefined;
  if (!spec) return null;
  const bad = issuesUnder(issues, path).length > 0;
  const seniority = field === 'seniority';
  const caseToggle =
    spec.operand === 'value' || spec.operand === 'list' || spec.operand === 'pattern' ? (
      <label className="sc-case" title="Match upper and lower case exactly">
        <input
          type="checkbox"
          checked={operand.caseSensitive === true}
          onChange={(e) => {
            const next: Record<string, unknown> = { ...operand };
            if (e.target.checked) next.caseSensitive = true;
            else delete next.caseSensitive;
            onChange(next as T);
          }}
        />
        Aa
      </label>
    ) : null;
  switch (spec.operand) {
    case 'none':
      return null;
    case 'number':
      return (
        <NumberField
          label="Number"
          placeholder="number"
          invalid={bad}
          width={110}
          value={typeof operand.value === 'number' ? operand.value : null}
          onChange={(n) => onChange({ ...operand, value: n ?? '' })}
        />
      );
    case 'days':
      return (
        <span className="sc-range">
          <NumberField
            label="Days"
            placeholder="days"
            min={1}
            step={1}
            invalid={bad}
            value={typeof operand.value === 'number' ? operand.value : null}
            onChange={(n) => onChange({ ...operand, value: n ?? '' })}
          />
          <span className="muted">days</span>
        </span>
      );
    case 'value':
      if (seniority)
        return (
          <select
            aria-label="Value"
            className={bad ? 'is-invalid' : ''}
            value={String(operand.value ?? '')}
            onChange={(e) => onChange({ ...operand, value: e.target.value })}
          >
            <option value="">Choose…</option>
            {SENIORITY_LEVELS.map((s) => (
              <option key={s} value={s}>
                {SENIORITY_LABELS[s]}
              </option>
            ))}
          </select>
        );
      return (
        <>
          <TextField
            label="Value"
            invalid={bad}
            value={operand.value}
            width={200}
            placeholder={numeric ? 'number' : 'text'}
            onChange={(t) => {
              const n = Number(t);
              onChange({ ...operand, value: numeric && t.trim() !== '' && Number.isFinite(n) ? n : t });
            }}
          />
          {numeric ? null : caseToggle}
        </>
      );
    case 'pattern':
      return (
        <>
          <TextField
            label="Pattern"
            mono
            invalid={bad}
            value={operand.value}
            width={220}
            placeholder="regular expression, e.g. pricing|plans"
            onChange={(t) => onChange({ ...operand, value: t })}
          />
          {caseToggle}
        </>
      );
    case 'list':
      if (seniority) {
        const chosen = new Set((operand.values ?? []).map(String));
        return (
          <div className="sc-pills" role="group" aria-label="Values">
            {SENIORITY_LEVELS.map((s) => (
              <label key={s} className={`sc-pill${chosen.has(s) ? ' is-on' : ''}`}>
                <input
                  type="checkbox"
                  checked={chosen.has(s)}
                  onChange={(e) => {
                    const next = SENIORITY_LEVELS.filter((x) => (x === s ? e.target.checked : chosen.has(x)));
                    onChange({ ...operand, values: next });
                  }}
                />
                {SENIORITY_LABELS[s]}
              </label>
            ))}
          </div>
        );
      }
      return (
        <>
          <ChipInput
            label="Values"
            invalid={bad}
            values={operand.values ?? []}
            onChange={(values) => onChange({ ...operand, values })}
          />
          {pickable ? (
            <PickValuesButton
              column={field}
              selected={operand.values ?? []}
              onChange={(values) => onChange({ ...operand, values })}
            />
          ) : null}
          {caseToggle}
        </>
      );
    case 'range':
      return (
        <span className="sc-range">
          <NumberField
            label="Minimum"
            placeholder="min"
            invalid={bad}
            value={operand.min}
            onChange={(min) => onChange({ ...operand, min })}
          />
          <span className="muted">and</span>
          <NumberField
            label="Maximum"
            placeholder="max"
            invalid={bad}
            value={operand.max}
            onChange={(max) => onChange({ ...operand, max })}
          />
        </span>
      );
  }
}

/** "Pick values…": the column's values with their counts, ticked ones in the rule's list. */
function PickValuesButton({
  column,
  selected,
  onChange,
}: Readonly<{
  column: string;
  selected: readonly (string | number)[];
  onChange: (values: (string | number)[]) => void;
}>) {
  const [open, setOpen] = useState(false);
  return (
    <span className="sc-pick">
      <button
        type="button"
        className="btn btn--small"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="pick-values"
      >
        {open ? 'Done' : 'Pick values…'}
      </button>
      {open ? (
        <div className="sc-pick__pop" data-testid="value-picker">
          <ValuePicker column={column} selected={selected} onChange={onChange} />
        </div>
      ) : null}
    </span>
  );
}

/** The operators a field offers: by its type; seniority compares levels, not text. */
export function operatorsForField(field: FieldOption | undefined): readonly OperatorName[] {
  if (!field) return OPERATOR_NAMES;
  if (field.key === 'seniority') return SENIORITY_OPERATORS;
  return OPERATORS_FOR_TYPE[field.type];
}

const SENIORITY_OPERATORS: readonly OperatorName[] = [
  'equals',
  'not_equals',
  'in',
  'not_in',
  'is_blank',
  'is_not_blank',
];

export function OperatorSelect({
  value,
  onChange,
  invalid,
  allowed,
}: Readonly<{
  value: string;
  onChange: (op: OperatorName) => void;
  invalid?: boolean;
  allowed?: readonly OperatorName[];
}>) {
  const names = allowed ?? OPERATOR_NAMES;
  return (
    <select
      aria-label="Operator"
      className={invalid ? 'is-invalid' : ''}
      value={value}
      onChange={(e) => onChange(e.target.value as OperatorName)}
    >
      {names.includes(value as OperatorName) ? null : <option value={value}>{value || 'Choose…'}</option>}
      {names.map((n) => (
        <option key={n} value={n}>
          {OPERATORS[n].label}
        </option>
      ))}
    </select>
  );
}

function FieldSelect({
  value,
  fields,
  onChange,
  invalid,
}: Readonly<{ value: string; fields: readonly FieldOption[]; onChange: (f: string) => void; invalid: boolean }>) {
  const listId = useId();
  const known = fields.some((f) => f.key === value);
  const isCustom = value.startsWith('custom.');
  const groups = [...new Set(fields.map((f) => f.group))];
  const selectValue = known ? value : isCustom ? '__custom' : value;
  return (
    <>
      <select
        aria-label="Field"
        className={invalid ? 'is-invalid' : ''}
        value={selectValue}
        onChange={(e) => onChange(e.target.value === '__custom' ? 'custom.' : e.target.value)}
      >
        {!known && !isCustom ? <option value={value}>{value || 'Choose a field…'}</option> : null}
        {groups.map((g) => (
          <optgroup key={g} label={g}>
            {fields
              .filter((f) => f.group === g)
              .map((f) => (
                <option key={f.key} value={f.key}>
                  {f.label}
                </option>
              ))}
          </optgroup>
        ))}
        <option value="__custom">Other custom column…</option>
      </select>
      {!known && isCustom ? (
        <>
          <TextField
            label="Custom column"
            invalid={invalid}
            width={150}
            placeholder="column header"
            value={value.slice('custom.'.length)}
            list={listId}
            onChange={(t) => onChange(`custom.${t}`)}
          />
          <datalist id={listId}>
            {fields
              .filter((f) => f.group === 'Custom columns')
              .map((f) => (
                <option key={f.key} value={f.label} />
              ))}
          </datalist>
        </>
      ) : null}
    </>
  );
}

function LeafRow({
  leaf,
  path,
  issues,
  fields,
  onChange,
  onRemove,
}: Readonly<{
  leaf: FieldCondition;
  path: IssuePath;
  issues: readonly ModelIssue[];
  fields: readonly FieldOption[];
  onChange: (c: FieldCondition) => void;
  onRemove: (() => void) | null;
}>) {
  const field = typeof leaf.field === 'string' ? leaf.field : '';
  const option = fields.find((f) => f.key === field);
  const allowed = operatorsForField(option);
  const mine = issuesUnder(issues, path);
  // A field of another type starts from that type's first operator (≥ for numbers, "is one
  // of" for categories); within one type the operator and its operand stay.
  const changeField = (f: string) => {
    const next = { ...leaf, field: f };
    const target = fields.find((o) => o.key === f);
    const ops = operatorsForField(target);
    const sameType = option?.type === target?.type && (field === 'seniority') === (f === 'seniority');
    onChange(sameType && ops.includes(leaf.op) ? next : withOperator(next, ops[0]!));
  };
  return (
    <div className="sc-cond__leaf" data-testid="condition">
      <div className="sc-cond__row">
        <div className="sc-cond__controls">
          <FieldSelect
            value={field}
            fields={fields}
            invalid={issuesAt(issues, [...path, 'field']).length > 0}
            onChange={changeField}
          />
          <OperatorSelect
            value={String(leaf.op ?? '')}
            allowed={allowed}
            invalid={issuesAt(issues, [...path, 'op']).length > 0}
            onChange={(op) => onChange(withOperator(leaf, op))}
          />
          <OperandEditor
            operand={leaf}
            field={field}
            numeric={option?.numeric ?? false}
            pickable={option?.pickable ?? false}
            onChange={onChange}
            issues={issues}
            path={path}
          />
        </div>
        {onRemove ? <IconButton icon="close" label="Remove condition" onClick={onRemove} /> : null}
      </div>
      <Issues issues={mine} />
    </div>
  );
}

const NEW_LEAF: FieldCondition = { field: 'title', op: 'contains', value: '' };

function GroupView({
  mode,
  items,
  itemPath,
  groupPath,
  issues,
  fields,
  depth,
  onChange,
  onRemove,
}: Readonly<{
  mode: 'all' | 'any';
  items: readonly Condition[];
  itemPath: (i: number) => IssuePath;
  groupPath: IssuePath | null;
  issues: readonly ModelIssue[];
  fields: readonly FieldOption[];
  depth: number;
  onChange: (mode: 'all' | 'any', items: Condition[]) => void;
  onRemove: (() => void) | null;
}>) {
  const set = (i: number, c: Condition) =>
    onChange(
      mode,
      items.map((x, j) => (j === i ? c : x)),
    );
  const remove = (i: number) =>
    onChange(
      mode,
      items.filter((_, j) => j !== i),
    );
  return (
    <div className={`sc-cond__group${depth > 0 ? ' sc-cond__group--nested' : ''}`}>
      {items.length > 1 || depth > 0 ? (
        <div className="sc-cond__head">
          <span className="muted">Match</span>
          <Segmented
            label="Combine conditions"
            value={mode}
            options={[
              { value: 'all', label: 'all (AND)' },
              { value: 'any', label: 'any (OR)' },
            ]}
            onChange={(m) => onChange(m, [...items])}
          />
          <span className="muted">of these</span>
          <span className="sc-grow" />
          {onRemove ? <IconButton icon="close" label="Remove group" onClick={onRemove} /> : null}
        </div>
      ) : null}
      {groupPath ? <Issues issues={issuesAt(issues, [...groupPath, mode])} /> : null}
      {items.map((c, i) =>
        isGroup(c) ? (
          <GroupView
            key={i}
            mode={'all' in c ? 'all' : 'any'}
            items={groupItems(c)}
            itemPath={(j) => [...itemPath(i), 'all' in c ? 'all' : 'any', j]}
            groupPath={itemPath(i)}
            issues={issues}
            fields={fields}
            depth={depth + 1}
            onChange={(m, next) => set(i, (m === 'all' ? { all: next } : { any: next }) as Condition)}
            onRemove={() => remove(i)}
          />
        ) : (
          <LeafRow
            key={i}
            leaf={c as FieldCondition}
            path={itemPath(i)}
            issues={issues}
            fields={fields}
            onChange={(next) => set(i, next)}
            onRemove={items.length > 1 || depth > 0 ? () => remove(i) : null}
          />
        ),
      )}
      <div className="sc-cond__add">
        <button
          type="button"
          className="btn btn--small btn--ghost"
          onClick={() => onChange(mode, [...items, NEW_LEAF])}
        >
          + Condition
        </button>
        {depth < 3 ? (
          <button
            type="button"
            className="btn btn--small btn--ghost"
            onClick={() => onChange(mode, [...items, mode === 'all' ? { any: [NEW_LEAF] } : { all: [NEW_LEAF] }])}
          >
            + {mode === 'all' ? 'OR' : 'AND'} group
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** Edits a rule's condition; `path` locates it in the model for inline issues. */
export function ConditionBuilder({
  condition,
  path,
  issues,
  fields,
  onChange,
}: Readonly<{
  condition: Condition | undefined | null;
  path: IssuePath;
  issues: readonly ModelIssue[];
  fields: readonly FieldOption[];
  onChange: (c: Condition) => void;
}>) {
  const c = condition ?? null;
  const emit = (mode: 'all' | 'any', items: Condition[]) => {
    if (items.length === 1 && !isGroup(items[0])) onChange(items[0] as Condition);
    else onChange((mode === 'all' ? { all: items } : { any: items }) as Condition);
  };
  if (c && isGroup(c)) {
    const mode = 'all' in c ? 'all' : 'any';
    return (
      <div className="sc-cond">
        <GroupView
          mode={mode}
          items={groupItems(c)}
          itemPath={(i) => [...path, mode, i]}
          groupPath={path}
          issues={issues}
          fields={fields}
          depth={0}
          onChange={emit}
          onRemove={null}
        />
      </div>
    );
  }
  return (
    <div className="sc-cond">
      <GroupView
        mode="all"
        items={c ? [c] : []}
        itemPath={() => path}
        groupPath={null}
        issues={issues}
        fields={fields}
        depth={0}
        onChange={emit}
        onRemove={null}
      />
      {!c ? <Issues issues={issuesAt(issues, path)} /> : null}
    </div>
  );
}
