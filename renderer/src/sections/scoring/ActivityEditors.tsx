/**
 * Editors for behaviour rules: which activities count (types, asset test, minimum
 * duration) and how they count (first time or every time, repeats of one asset, caps,
 * a cap per time window, the decay group).
 */
import { useId } from 'react';
import type { ActivityTypeInfo } from '../../../../shared/contract';
import { ACTIVITY_TYPES, activityTypeLabel, type ActivityTypeKey } from '../../../../shared/domain';
import { useApi } from '../../api';
import { formatCount } from '../../format';
import type { ActivityMatch, CountingOptions, ModelIssue, OperatorName } from '../../../../shared/scoring';
import { OperandEditor, OperatorSelect, withOperator } from './ConditionBuilder';
import { Field, Issues, NumberField, Segmented, TextField } from './controls';
import { issuesAt, issuesUnder, type IssuePath } from './draft';

type Asset = NonNullable<ActivityMatch['asset']>;

type OfferedType = Readonly<{ type: ActivityTypeKey; label: string; title: string }>;

/**
 * The types a rule can count: the built-in ten, the workspace's own types (files' words,
 * "SMS Sent"), and any type the rule already names that the workspace has no activity of.
 */
function offeredTypes(
  known: readonly ActivityTypeInfo[] | undefined,
  chosen: readonly ActivityTypeKey[] | undefined,
): OfferedType[] {
  const list: ActivityTypeInfo[] = [
    ...(known ??
      ACTIVITY_TYPES.map((type) => ({
        type,
        label: activityTypeLabel(type),
        builtIn: true,
        activities: 0,
        aliases: [],
      }))),
  ];
  for (const type of Array.isArray(chosen) ? chosen : [])
    if (!list.some((t) => t.type === type))
      list.push({ type, label: activityTypeLabel(type), builtIn: false, activities: 0, aliases: [] });
  return list.map((t) => ({
    type: t.type,
    label: t.label,
    title: `${t.builtIn ? 'Built-in type' : 'Workspace type'}: ${formatCount(t.activities)} activities in this workspace`,
  }));
}

export function ActivityMatchEditor({
  match,
  path,
  issues,
  onChange,
}: Readonly<{
  match: ActivityMatch | undefined;
  path: IssuePath;
  issues: readonly ModelIssue[];
  onChange: (m: ActivityMatch) => void;
}>) {
  const known = useApi('activity-types', {}, { refreshOn: ['imports', 'activities'] });
  const m: ActivityMatch = match ?? { types: [] };
  const types = new Set<string>(Array.isArray(m.types) ? m.types : []);
  const asset = m.asset ?? null;
  const offered = offeredTypes(known.data, m.types);
  const minutes = m.minDurationSec == null ? null : Math.round((m.minDurationSec / 60) * 100) / 100;
  return (
    <>
      <Field label="Activity types" issues={issuesUnder(issues, [...path, 'types'])} wide>
        <div className="sc-pills" role="group" aria-label="Activity types">
          {offered.map((t) => (
            <label key={t.type} className={`sc-pill${types.has(t.type) ? ' is-on' : ''}`} title={t.title}>
              <input
                type="checkbox"
                checked={types.has(t.type)}
                onChange={(e) =>
                  onChange({
                    ...m,
                    types: offered.map((x) => x.type).filter((x) => (x === t.type ? e.target.checked : types.has(x))),
                  })
                }
              />
              {t.label}
            </label>
          ))}
        </div>
      </Field>
      <Field
        label="Asset or page"
        hint="The page URL, document, video or webinar title the activity is about."
        issues={issuesUnder(issues, [...path, 'asset'])}
        wide
      >
        <div className="sc-inline">
          <select
            aria-label="Asset test"
            value={asset ? 'test' : 'any'}
            onChange={(e) => onChange({ ...m, asset: e.target.value === 'any' ? null : { op: 'contains', value: '' } })}
          >
            <option value="any">Any asset</option>
            <option value="test">Only when the asset…</option>
          </select>
          {asset ? (
            <>
              <OperatorSelect
                value={String(asset.op)}
                invalid={issuesAt(issues, [...path, 'asset', 'op']).length > 0}
                onChange={(op: OperatorName) => onChange({ ...m, asset: withOperator(asset, op) })}
              />
              <OperandEditor<Asset>
                operand={asset}
                field="asset"
                numeric={false}
                issues={issues}
                path={[...path, 'asset']}
                onChange={(a) => onChange({ ...m, asset: a })}
              />
            </>
          ) : null}
        </div>
      </Field>
      <Field
        label="Minimum duration"
        hint="Only activities that lasted at least this long (videos, webinars, time on page)."
        issues={issuesUnder(issues, [...path, 'minDurationSec'])}
      >
        <span className="sc-inline">
          <NumberField
            label="Minimum duration in minutes"
            placeholder="none"
            min={0}
            step={0.5}
            value={minutes}
            onChange={(v) => onChange({ ...m, minDurationSec: v == null ? null : Math.round(v * 60) })}
          />
          <span className="muted">minutes</span>
        </span>
      </Field>
    </>
  );
}

export function CountingEditor<T extends CountingOptions>({
  rule,
  path,
  issues,
  groups,
  onChange,
}: Readonly<{
  rule: T;
  path: IssuePath;
  issues: readonly ModelIssue[];
  groups: readonly string[];
  onChange: (r: T) => void;
}>) {
  const listId = useId();
  const frequency = rule.frequency ?? 'every';
  const windowCap = rule.windowCap ?? null;
  return (
    <>
      <Field label="Counts" issues={issuesAt(issues, [...path, 'frequency'])}>
        <Segmented
          label="Counts"
          value={frequency}
          options={[
            { value: 'every', label: 'Every time' },
            { value: 'first', label: 'First time only' },
          ]}
          onChange={(f) => onChange({ ...rule, frequency: f })}
        />
      </Field>
      <Field label="Same asset again" hint="Off: each page or document counts once for this rule.">
        <label className="sc-check">
          <input
            type="checkbox"
            disabled={frequency === 'first'}
            checked={rule.countRepeats === true}
            onChange={(e) => onChange({ ...rule, countRepeats: e.target.checked })}
          />
          Count repeats of the same asset
        </label>
      </Field>
      <Field
        label="Cap"
        hint="Most points this rule gives a lead in total."
        issues={issuesAt(issues, [...path, 'cap'])}
      >
        <span className="sc-inline">
          <NumberField
            label="Cap"
            placeholder="no cap"
            min={1}
            invalid={issuesAt(issues, [...path, 'cap']).length > 0}
            value={rule.cap}
            onChange={(cap) => onChange({ ...rule, cap })}
          />
          <span className="muted">points</span>
        </span>
      </Field>
      <Field label="Window cap" issues={issuesUnder(issues, [...path, 'windowCap'])}>
        <span className="sc-inline">
          <input
            type="checkbox"
            aria-label="Cap per time window"
            checked={windowCap !== null}
            onChange={(e) => onChange({ ...rule, windowCap: e.target.checked ? { days: 1, points: 15 } : null })}
          />
          <span className="muted">at most</span>
          <NumberField
            label="Window cap points"
            disabled={windowCap === null}
            value={windowCap?.points}
            required
            min={1}
            width={70}
            invalid={issuesAt(issues, [...path, 'windowCap', 'points']).length > 0}
            onChange={(p) => windowCap && onChange({ ...rule, windowCap: { ...windowCap, points: p as number } })}
          />
          <span className="muted">points per</span>
          <NumberField
            label="Window cap days"
            disabled={windowCap === null}
            value={windowCap?.days}
            required
            min={1}
            width={70}
            invalid={issuesAt(issues, [...path, 'windowCap', 'days']).length > 0}
            onChange={(d) => windowCap && onChange({ ...rule, windowCap: { ...windowCap, days: d as number } })}
          />
          <span className="muted">days</span>
        </span>
      </Field>
      <Field
        label="Decay group"
        hint="Rules in a group can decay differently (Decay tab)."
        issues={issuesAt(issues, [...path, 'group'])}
      >
        <TextField
          label="Decay group"
          placeholder="default"
          width={140}
          list={listId}
          value={rule.group ?? ''}
          onChange={(g) => {
            const next: Record<string, unknown> = { ...rule };
            if (g.trim() === '') delete next.group;
            else next.group = g;
            onChange(next as T);
          }}
        />
        <datalist id={listId}>
          {groups.map((g) => (
            <option key={g} value={g} />
          ))}
        </datalist>
      </Field>
    </>
  );
}

export function PointsField({
  value,
  path,
  issues,
  onChange,
  negative,
}: Readonly<{
  value: number;
  path: IssuePath;
  issues: readonly ModelIssue[];
  onChange: (n: number) => void;
  negative?: boolean;
}>) {
  const mine = issuesAt(issues, [...path, 'points']);
  return (
    <Field label="Points" hint={negative ? 'A negative number: the points this rule takes away.' : undefined}>
      <NumberField
        label="Points"
        required
        invalid={mine.length > 0}
        value={value}
        onChange={(n) => onChange(n as number)}
      />
      <Issues issues={mine} />
    </Field>
  );
}
