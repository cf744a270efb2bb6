/**
 * The engagement tab's second table: engagement from numeric lead fields ("1 point per
 * minute on the website, at most 30"). The field picker offers number fields only; the
 * unit presets fill "per", the unit's name and what the field counts, which stay editable.
 */
import type { FieldEngagementRule, ModelIssue, ScoringModel } from '../../../../shared/scoring';
import { describeFieldRule, unitSize } from '../../../../shared/scoring';
import type { ModelCheck } from '../../../../shared/contract';
import { PointsField } from './ActivityEditors';
import { Field, NumberField, TextField } from './controls';
import { issuesAt, newRuleId, replaceAt, type IssuePath } from './draft';
import { RuleTable } from './RuleTable';
import { signedPoints, type FieldOption } from './words';

type Unit = Pick<FieldEngagementRule, 'per' | 'unit' | 'fieldUnit'>;

/** Common units: the field's own count, or minutes and hours of a field in seconds. */
const UNIT_PRESETS: readonly Readonly<{ key: string; label: string; unit: Unit }>[] = [
  { key: 'each', label: 'Each one counted', unit: { per: 1, unit: 'unit', fieldUnit: null } },
  { key: 'minute', label: 'Minute (field in seconds)', unit: { per: 60, unit: 'minute', fieldUnit: 's' } },
  { key: 'hour', label: 'Hour (field in seconds)', unit: { per: 3600, unit: 'hour', fieldUnit: 's' } },
];

function presetOf(r: Unit): string {
  const p = UNIT_PRESETS.find(
    (x) => x.unit.per === r.per && x.unit.unit === r.unit && (x.unit.fieldUnit ?? null) === (r.fieldUnit ?? null),
  );
  return p ? p.key : 'custom';
}

function NumericFieldSelect({
  value,
  fields,
  invalid,
  onChange,
}: Readonly<{ value: string; fields: readonly FieldOption[]; invalid: boolean; onChange: (f: string) => void }>) {
  const known = fields.some((f) => f.key === value);
  return (
    <select
      aria-label="Number field"
      className={invalid ? 'is-invalid' : ''}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      {known ? null : <option value={value}>{value ? `${value} (not a number field here)` : 'Choose a field…'}</option>}
      {fields.map((f) => (
        <option key={f.key} value={f.key}>
          {f.label}
        </option>
      ))}
    </select>
  );
}

function FieldRuleEditor({
  rule,
  path,
  issues,
  numeric,
  onChange,
}: Readonly<{
  rule: FieldEngagementRule;
  path: IssuePath;
  issues: readonly ModelIssue[];
  numeric: readonly FieldOption[];
  onChange: (r: FieldEngagementRule) => void;
}>) {
  const at = (k: string) => issuesAt(issues, [...path, k]);
  const preset = presetOf(rule);
  return (
    <div className="sc-form">
      <Field label="Name" issues={[...at('name'), ...at('id')]}>
        <TextField
          label="Rule name"
          value={rule.name}
          width={280}
          invalid={at('name').length > 0}
          onChange={(name) => onChange({ ...rule, name })}
        />
      </Field>
      <Field
        label="Number field"
        hint={numeric.length ? undefined : 'No number fields in this workspace yet.'}
        issues={at('field')}
      >
        <NumericFieldSelect
          value={rule.field}
          fields={numeric}
          invalid={at('field').length > 0}
          onChange={(field) => onChange({ ...rule, field })}
        />
      </Field>
      <PointsField
        value={rule.points}
        path={path}
        issues={issues}
        onChange={(points) => onChange({ ...rule, points })}
      />
      <Field label="Per" issues={[...at('per'), ...at('unit'), ...at('fieldUnit')]}>
        <select
          aria-label="Unit"
          value={preset}
          onChange={(e) => {
            const p = UNIT_PRESETS.find((x) => x.key === e.target.value);
            if (p) onChange({ ...rule, ...p.unit });
          }}
        >
          {UNIT_PRESETS.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom unit…</option>
        </select>
      </Field>
      <Field label="One unit is" hint="How much of the field makes one unit, and what the field counts.">
        <NumberField
          label="Amount per unit"
          required
          min={0}
          step={0.5}
          invalid={at('per').length > 0}
          value={rule.per}
          onChange={(n) => onChange({ ...rule, per: n as number })}
        />
        <TextField
          label="Field counts in"
          placeholder="s"
          width={60}
          value={rule.fieldUnit ?? ''}
          onChange={(v) => onChange({ ...rule, fieldUnit: v.trim() ? v : null })}
        />
        <span className="muted">named</span>
        <TextField
          label="Unit name"
          width={110}
          invalid={at('unit').length > 0}
          value={rule.unit}
          onChange={(unit) => onChange({ ...rule, unit })}
        />
      </Field>
      <Field label="At most" hint="The most points this rule gives a lead." issues={at('cap')}>
        <NumberField
          label="At most"
          required
          min={1}
          invalid={at('cap').length > 0}
          value={rule.cap}
          onChange={(n) => onChange({ ...rule, cap: n as number })}
        />
      </Field>
      <p className="muted sc-field--wide" data-testid="field-rule-summary">
        {ruleSummary(rule)} A lead field has no date: these points do not decay.
      </p>
    </div>
  );
}

/** The rule in one sentence for the editor, or '' while a number is missing. */
function ruleSummary(r: FieldEngagementRule): string {
  const complete = [r.points, r.per, r.cap].every(Number.isFinite) && r.unit && r.field;
  return complete ? `${describeFieldRule(r)}.` : '';
}

/** A new rule on the first number field (time on a site first: the commonest measure). */
function newFieldRule(model: ScoringModel, numeric: readonly FieldOption[]): FieldEngagementRule {
  const custom = numeric.filter((f) => f.key.startsWith('custom.'));
  const field = custom.find((f) => /time/i.test(f.label)) ?? custom[0] ?? numeric[0];
  const name = field ? field.label : 'New field engagement rule';
  return {
    id: newRuleId(model, 'field', name),
    name,
    field: field?.key ?? '',
    points: 1,
    per: 1,
    unit: 'unit',
    fieldUnit: null,
    cap: 10,
  };
}

export function FieldEngagementTable({
  model,
  check,
  issues,
  fields,
  onChange,
  expanded,
  onExpand,
}: Readonly<{
  model: ScoringModel;
  check: ModelCheck | null;
  issues: readonly ModelIssue[];
  fields: readonly FieldOption[];
  onChange: (m: ScoringModel) => void;
  expanded: number | null;
  onExpand: (i: number | null) => void;
}>) {
  const rules = model.fieldEngagement ?? [];
  const numeric = fields.filter((f) => f.numeric);
  const label = (key: string) => fields.find((f) => f.key === key)?.label ?? key.replace(/^custom\./, '');
  const setRules = (fieldEngagement: FieldEngagementRule[]) => onChange({ ...model, fieldEngagement });
  return (
    <RuleTable<FieldEngagementRule>
      testId="field-engagement-rules"
      title="From lead fields"
      description="Points per unit of a number column that measures engagement (time on the website, visits), up to a cap. A lead field has no date, so these points do not decay."
      rules={rules}
      section={['fieldEngagement']}
      check={check}
      issues={issues}
      expanded={expanded}
      onExpand={onExpand}
      onChange={setRules}
      addLabel="Add rule on a field"
      emptyText="No rules on lead fields."
      onAdd={() => {
        setRules([...rules, newFieldRule(model, numeric)]);
        onExpand(rules.length);
      }}
      columns={[
        {
          header: 'Counts',
          cell: (r) => (
            <span className="sc-words">
              {label(r.field)}:{' '}
              <span className="sc-nowrap">
                {signedPoints(r.points)} per {r.unit}
                {unitSize(r) ? <span className="muted"> ({unitSize(r)})</span> : null}
              </span>
            </span>
          ),
        },
        { header: 'At most', cell: (r) => <span>{r.cap}</span>, className: 'sc-col-num' },
      ]}
      renderEditor={(r, i) => (
        <FieldRuleEditor
          rule={r}
          path={['fieldEngagement', i]}
          issues={issues}
          numeric={numeric}
          onChange={(next) => setRules(replaceAt(rules, i, () => next))}
        />
      )}
    />
  );
}
