/** Routing rules: first match wins, top to bottom; groups share leads round robin. */
import { useState } from 'react';
import type { FieldCondition, Owner, RoutingRule, RoutingTargetKind } from '../../../../shared/contract';
import { OWNER_ROLES, OWNER_ROLE_LABELS } from '../../../../shared/followup/defaults';
import { call, useApi } from '../../api';
import { ConditionRow, OP_LABELS } from './ConditionRow';
import { attempt } from './SettingsView';

type Msg = (text: string, kind?: 'ok' | 'error') => void;

export const ALL_GRADES = ['A', 'B', 'C', 'D'].flatMap((f) => [1, 2, 3, 4].map((e) => `${f}${e}`));

/** What routing rules and SLA policies both match on, as their editors hold it. */
export type MatchDraft = { name: string; enabled: boolean; grades: string[]; segments: string };

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
          required
        />
        <label className="fu-check">
          <input type="checkbox" checked={value.enabled} onChange={(e) => onChange({ enabled: e.target.checked })} /> On
        </label>
      </div>
      <div className="fu-field">
        <span>Grades (none = any)</span>
        <GradePicker label={`${noun} grades`} value={value.grades} onChange={(grades) => onChange({ grades })} />
      </div>
      <label className="fu-field">
        <span>Segments (comma separated, empty = any)</span>
        <input
          className="input"
          aria-label={`${noun} segments`}
          value={value.segments}
          onChange={(e) => onChange({ segments: e.target.value })}
        />
      </label>
    </>
  );
}

type Draft = {
  id?: number;
  name: string;
  enabled: boolean;
  grades: string[];
  segments: string;
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
    <div className="fu-grades" role="group" aria-label={label}>
      {ALL_GRADES.map((g) => {
        const on = value.includes(g);
        return (
          <button
            key={g}
            type="button"
            aria-pressed={on}
            className={`fu-grade-pick${on ? ' is-on' : ''}`}
            onClick={() => onChange(on ? value.filter((x) => x !== g) : [...value, g])}
          >
            {g}
          </button>
        );
      })}
    </div>
  );
}

function describe(r: RoutingRule, owners: readonly Owner[]): { when: string; to: string } {
  const parts: string[] = [];
  if (r.grades.length) parts.push(`grade ${r.grades.join(', ')}`);
  if (r.segments.length) parts.push(`segment ${r.segments.join(', ')}`);
  for (const c of r.conditions)
    parts.push(`${c.field} ${OP_LABELS[c.op]}${c.op === 'empty' || c.op === 'not_empty' ? '' : ` ${c.value}`}`);
  const to =
    r.targetKind === 'owner'
      ? (owners.find((o) => o.id === r.targetOwnerId)?.name ?? 'a deleted owner')
      : `${r.targetKind === 'role' ? (OWNER_ROLE_LABELS[r.targetGroup ?? ''] ?? r.targetGroup) : `team ${r.targetGroup}`} (round robin)`;
  return { when: parts.length ? parts.join(' and ') : 'any lead', to };
}

export function RoutingSettings({ owners, onMessage }: Readonly<{ owners: readonly Owner[]; onMessage: Msg }>) {
  const rules = useApi('routing-rules-list', {}, { refreshOn: ['followup'] });
  const columns = useApi('leads-columns', {}, { refreshOn: ['leads', 'imports'] });
  const [draft, setDraft] = useState<Draft | null>(null);
  const list = rules.data ?? [];
  const teams = [...new Set(owners.map((o) => o.team).filter((t): t is string => !!t))];

  function edit(r?: RoutingRule) {
    setDraft(
      r
        ? {
            id: r.id,
            name: r.name,
            enabled: r.enabled,
            grades: [...r.grades],
            segments: r.segments.join(', '),
            conditions: [...r.conditions],
            targetKind: r.targetKind,
            targetOwnerId: r.targetOwnerId,
            targetGroup: r.targetGroup ?? '',
          }
        : {
            name: '',
            enabled: true,
            grades: [],
            segments: '',
            conditions: [],
            targetKind: 'role',
            targetOwnerId: null,
            targetGroup: 'inside_sales',
          },
    );
  }

  async function save() {
    if (!draft) return;
    const ok = await attempt(
      () =>
        call('routing-rule-save', {
          ...(draft.id ? { id: draft.id } : {}),
          name: draft.name,
          enabled: draft.enabled,
          grades: draft.grades,
          segments: draft.segments
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          conditions: draft.conditions,
          targetKind: draft.targetKind,
          targetOwnerId: draft.targetKind === 'owner' ? draft.targetOwnerId : null,
          targetGroup: draft.targetKind === 'owner' ? null : draft.targetGroup,
        }),
      onMessage,
      `Saved rule "${draft.name}"`,
    );
    if (ok) setDraft(null);
  }

  const move = (i: number, d: number) => {
    const ids = list.map((r) => r.id);
    const [x] = ids.splice(i, 1);
    ids.splice(i + d, 0, x!);
    void attempt(() => call('routing-rules-reorder', { ids }), onMessage);
  };

  return (
    <section className="card fu-card" aria-label="Routing rules">
      <div className="fu-card__head">
        <h2>Routing rules</h2>
        <button type="button" className="btn btn--small" onClick={() => edit()}>
          Add rule
        </button>
      </div>
      <p className="muted fu-help">When a lead becomes MQL, the first matching rule from the top assigns its owner.</p>
      <table className="table">
        <thead>
          <tr>
            <th>#</th>
            <th>Rule</th>
            <th>When</th>
            <th>Assign to</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((r, i) => {
            const d = describe(r, owners);
            return (
              <tr key={r.id} className={r.enabled ? '' : 'fu-inactive'}>
                <td>{i + 1}</td>
                <td>
                  {r.name}
                  {r.enabled ? '' : ' (off)'}
                </td>
                <td>{d.when}</td>
                <td>{d.to}</td>
                <td className="fu-actions">
                  <button
                    type="button"
                    className="btn btn--small btn--ghost"
                    disabled={i === 0}
                    onClick={() => move(i, -1)}
                    aria-label={`Move rule ${r.name} up`}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="btn btn--small btn--ghost"
                    disabled={i === list.length - 1}
                    onClick={() => move(i, 1)}
                    aria-label={`Move rule ${r.name} down`}
                  >
                    ↓
                  </button>
                  <button type="button" className="btn btn--small btn--ghost" onClick={() => edit(r)}>
                    Edit
                  </button>
                  <button
                    type="button"
                    className="btn btn--small btn--ghost btn--danger"
                    onClick={() =>
                      void attempt(
                        () => call('routing-rule-delete', { id: r.id }),
                        onMessage,
                        `Deleted rule "${r.name}"`,
                      )
                    }
                  >
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {draft ? (
        <form
          className="fu-editor"
          aria-label="Routing rule"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <MatchFields noun="Rule" value={draft} onChange={(patch) => setDraft({ ...draft, ...patch })} />
          <div className="fu-field">
            <span>Field conditions (all must hold)</span>
            {draft.conditions.map((c, i) => (
              <ConditionRow
                key={i}
                value={c}
                columns={columns.data?.columns ?? []}
                onChange={(next) =>
                  setDraft({ ...draft, conditions: draft.conditions.map((x, j) => (j === i ? next : x)) })
                }
                onRemove={() => setDraft({ ...draft, conditions: draft.conditions.filter((_, j) => j !== i) })}
              />
            ))}
            <button
              type="button"
              className="btn btn--small btn--ghost"
              onClick={() =>
                setDraft({ ...draft, conditions: [...draft.conditions, { field: 'country', op: 'eq', value: '' }] })
              }
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
                onChange={(e) => setDraft({ ...draft, targetKind: e.target.value as RoutingTargetKind })}
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
                onChange={(e) =>
                  setDraft({ ...draft, targetOwnerId: e.target.value === '' ? null : Number(e.target.value) })
                }
              >
                <option value="">Choose…</option>
                {owners.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            ) : draft.targetKind === 'role' ? (
              <select
                aria-label="Target role"
                value={draft.targetGroup}
                onChange={(e) => setDraft({ ...draft, targetGroup: e.target.value })}
              >
                {OWNER_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {OWNER_ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
            ) : (
              <input
                className="input"
                aria-label="Target team"
                list="fu-teams"
                value={draft.targetGroup}
                onChange={(e) => setDraft({ ...draft, targetGroup: e.target.value })}
              />
            )}
            <datalist id="fu-teams">
              {teams.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </div>
          <div className="fu-row">
            <button type="submit" className="btn btn--primary btn--small">
              Save rule
            </button>
            <button type="button" className="btn btn--small btn--ghost" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
