/** Routing rules: first match wins, top to bottom; groups share leads round robin. */
import type { FieldCondition, Owner, RoutingRule, RoutingTargetKind } from '../../../../shared/contract';
import { OWNER_ROLE_LABELS } from '../../../../shared/followup/defaults';
import { call, useApi, type Notify } from '../../api';
import { ListEditor } from '../../components/ListEditor';
import { ConditionRow, matchableFields, OP_LABELS } from './ConditionRow';
import { OwnerRoleSelect } from './OwnerRoleSelect';

export const ALL_GRADES = ['A', 'B', 'C', 'D'].flatMap((f) => [1, 2, 3, 4].map((e) => `${f}${e}`));

/** What routing rules and SLA policies both match on, as their editors hold it. */
export type MatchDraft = { name: string; enabled: boolean; grades: string[]; segments: string[] };

/** What is wrong with the fields routing rules and SLA policies both have. */
export function matchProblems(noun: 'rule' | 'policy', d: MatchDraft): string[] {
  return d.name.trim() ? [] : [`Give the ${noun} a name.`];
}

/** The name, on/off, grades and segments fields shared by the routing-rule and SLA-policy editors. */
export function MatchFields({
  noun,
  value,
  onChange,
}: Readonly<{ noun: 'Rule' | 'Policy'; value: MatchDraft; onChange: (patch: Partial<MatchDraft>) => void }>) {
  return (
    <>
      <div className="fu-row fu-row--wrap">
        <input
          className="input"
          aria-label={`${noun} name`}
          placeholder={`${noun} name`}
          value={value.name}
          onChange={(e) => onChange({ name: e.target.value })}
        />
        <label className="fu-check">
          <input type="checkbox" checked={value.enabled} onChange={(e) => onChange({ enabled: e.target.checked })} /> On
        </label>
      </div>
      <div className="fu-field">
        <span>Grades (none = any)</span>
        <GradePicker label={`${noun} grades`} value={value.grades} onChange={(grades) => onChange({ grades })} />
      </div>
      <div className="fu-field">
        <span>Segments (none = any)</span>
        <SegmentPicker
          label={`${noun} segments`}
          value={value.segments}
          onChange={(segments) => onChange({ segments })}
        />
      </div>
    </>
  );
}

/** One toggle per segment of the primary model, by its label; a stored key the model no longer has stays pickable. */
function SegmentPicker({
  value,
  onChange,
  label,
}: Readonly<{ value: readonly string[]; onChange: (segments: string[]) => void; label: string }>) {
  const counts = useApi('leads-counts', {}, { refreshOn: ['scores'] });
  const labels = counts.data?.segmentLabels ?? {};
  const keys = [...Object.keys(labels), ...value.filter((k) => !(k in labels))];
  if (keys.length === 0) return <span className="muted">No segments: publish a scoring model first.</span>;
  return (
    <TogglePicker
      label={label}
      choices={keys.map((k) => ({ key: k, label: labels[k] ?? k }))}
      value={value}
      onChange={onChange}
    />
  );
}

type Draft = {
  id?: number;
  name: string;
  enabled: boolean;
  grades: string[];
  segments: string[];
  conditions: FieldCondition[];
  targetKind: RoutingTargetKind;
  targetOwnerId: number | null;
  targetGroup: string;
};

export function GradePicker({
  value,
  onChange,
  label,
}: Readonly<{ value: readonly string[]; onChange: (g: string[]) => void; label: string }>) {
  return (
    <TogglePicker
      label={label}
      choices={ALL_GRADES.map((g) => ({ key: g, label: g }))}
      value={value}
      onChange={onChange}
    />
  );
}

/** A row of on/off buttons, one per choice; the value is the keys turned on. */
function TogglePicker({
  choices,
  value,
  onChange,
  label,
}: Readonly<{
  choices: readonly { key: string; label: string }[];
  value: readonly string[];
  onChange: (keys: string[]) => void;
  label: string;
}>) {
  return (
    <div className="fu-grades" role="group" aria-label={label}>
      {choices.map(({ key, label: text }) => {
        const on = value.includes(key);
        return (
          <button
            key={key}
            type="button"
            aria-pressed={on}
            className={`fu-grade-pick${on ? ' is-on' : ''}`}
            onClick={() => onChange(on ? value.filter((x) => x !== key) : [...value, key])}
          >
            {text}
          </button>
        );
      })}
    </div>
  );
}

/** What a rule's row says, in the words its editor shows: segment and field labels, not keys. */
type RuleWords = Readonly<{
  owners: readonly Owner[];
  segmentLabels: Readonly<Record<string, string>>;
  fields: readonly Readonly<{ field: string; label: string }>[];
}>;

function describe(r: RoutingRule, { owners, segmentLabels, fields }: RuleWords): { when: string; to: string } {
  const parts: string[] = [];
  if (r.grades.length) parts.push(`grade ${r.grades.join(', ')}`);
  if (r.segments.length) parts.push(`segment ${r.segments.map((k) => segmentLabels[k] ?? k).join(', ')}`);
  for (const c of r.conditions) {
    const field = fields.find((f) => f.field === c.field)?.label ?? c.field;
    parts.push(`${field} ${OP_LABELS[c.op]}${c.op === 'empty' || c.op === 'not_empty' ? '' : ` ${c.value}`}`);
  }
  const to =
    r.targetKind === 'owner'
      ? (owners.find((o) => o.id === r.targetOwnerId)?.name ?? 'a deleted owner')
      : `${r.targetKind === 'role' ? (OWNER_ROLE_LABELS[r.targetGroup ?? ''] ?? r.targetGroup) : `team ${r.targetGroup}`} (round robin)`;
  return { when: parts.length ? parts.join(' and ') : 'any lead', to };
}

/** Why a rule cannot be saved yet, in the user's words. */
export function ruleProblems(d: Draft): string[] {
  const problems = matchProblems('rule', d);
  d.conditions.forEach((c, i) => {
    if (c.op !== 'empty' && c.op !== 'not_empty' && !String(c.value ?? '').trim())
      problems.push(`Condition ${i + 1} (${c.field}) needs a value.`);
  });
  if (d.targetKind === 'owner' && d.targetOwnerId === null) problems.push('Choose the owner to assign leads to.');
  if (d.targetKind === 'team' && !d.targetGroup.trim()) problems.push('Name the team to assign leads to.');
  return problems;
}

function toDraft(r: RoutingRule): Draft {
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    grades: [...r.grades],
    segments: [...r.segments],
    conditions: [...r.conditions],
    targetKind: r.targetKind,
    targetOwnerId: r.targetOwnerId,
    targetGroup: r.targetGroup ?? '',
  };
}

const BLANK: Draft = {
  name: '',
  enabled: true,
  grades: [],
  segments: [],
  conditions: [],
  targetKind: 'role',
  targetOwnerId: null,
  targetGroup: 'inside_sales',
};

export function RoutingSettings({ owners, onMessage }: Readonly<{ owners: readonly Owner[]; onMessage: Notify }>) {
  const rules = useApi('routing-rules-list', {}, { refreshOn: ['followup'] });
  const columns = useApi('leads-columns', {}, { refreshOn: ['leads', 'imports'] });
  const counts = useApi('leads-counts', {}, { refreshOn: ['scores'] });
  const words: RuleWords = {
    owners,
    segmentLabels: counts.data?.segmentLabels ?? {},
    fields: matchableFields(columns.data?.columns ?? []),
  };
  const teams = [...new Set(owners.map((o) => o.team).filter((t): t is string => !!t))];
  return (
    <ListEditor<RoutingRule, Draft>
      title="Routing rules"
      noun="Routing rule"
      shortNoun="rule"
      help="When a lead becomes MQL, the first matching rule from the top assigns its owner. Drag a row or use the arrows to reorder."
      emptyText="No routing rules: MQLs wait without an owner. Add a rule (e.g. any lead to inside sales)."
      items={rules.data ?? []}
      itemName={(r) => r.name}
      isInactive={(r) => !r.enabled}
      columns={[
        { header: 'Rule', cell: (r) => `${r.name}${r.enabled ? '' : ' (off)'}` },
        { header: 'When', cell: (r) => describe(r, words).when },
        { header: 'Assign to', cell: (r) => describe(r, words).to },
      ]}
      blank={() => ({ ...BLANK })}
      toDraft={toDraft}
      validate={ruleProblems}
      save={(d) =>
        call('routing-rule-save', {
          ...(d.id ? { id: d.id } : {}),
          name: d.name.trim(),
          enabled: d.enabled,
          grades: d.grades,
          segments: d.segments,
          conditions: d.conditions,
          targetKind: d.targetKind,
          targetOwnerId: d.targetKind === 'owner' ? d.targetOwnerId : null,
          targetGroup: d.targetKind === 'owner' ? null : d.targetGroup,
        })
      }
      savedMessage={(d) => `Saved rule "${d.name.trim()}"`}
      remove={(r) => call('routing-rule-delete', { id: r.id })}
      reorder={(ids) => call('routing-rules-reorder', { ids })}
      onMessage={onMessage}
      renderForm={(draft, change) => (
        <>
          <MatchFields noun="Rule" value={draft} onChange={change} />
          <div className="fu-field">
            <span>Field conditions (all must hold)</span>
            {draft.conditions.map((c, i) => (
              <ConditionRow
                key={i}
                value={c}
                columns={columns.data?.columns ?? []}
                onChange={(next) => change({ conditions: draft.conditions.map((x, j) => (j === i ? next : x)) })}
                onRemove={() => change({ conditions: draft.conditions.filter((_, j) => j !== i) })}
              />
            ))}
            <button
              type="button"
              className="btn btn--small btn--ghost fu-add-condition"
              onClick={() => change({ conditions: [...draft.conditions, { field: 'country', op: 'eq', value: '' }] })}
            >
              + Condition
            </button>
          </div>
          <div className="fu-row fu-row--wrap">
            <label className="fu-inline">
              Assign to
              <select
                aria-label="Target kind"
                value={draft.targetKind}
                onChange={(e) => change({ targetKind: e.target.value as RoutingTargetKind })}
              >
                <option value="role">a role (round robin)</option>
                <option value="team">a team (round robin)</option>
                <option value="owner">one owner</option>
              </select>
            </label>
            {draft.targetKind === 'owner' ? (
              <select
                aria-label="Target owner"
                value={draft.targetOwnerId ?? ''}
                onChange={(e) => change({ targetOwnerId: e.target.value === '' ? null : Number(e.target.value) })}
              >
                <option value="">Choose…</option>
                {owners.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            ) : draft.targetKind === 'role' ? (
              <OwnerRoleSelect
                label="Target role"
                value={draft.targetGroup}
                onChange={(targetGroup) => change({ targetGroup })}
              />
            ) : (
              <input
                className="input"
                aria-label="Target team"
                list="fu-teams"
                value={draft.targetGroup}
                onChange={(e) => change({ targetGroup: e.target.value })}
              />
            )}
            <datalist id="fu-teams">
              {teams.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </div>
        </>
      )}
    />
  );
}
