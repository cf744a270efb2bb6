/**
 * SLA policies per grade or segment: time to first contact (elapsed or business hours of
 * a weekly schedule in a time zone), attempts and their spacing, the recommended action.
 * First match from the top applies; editing re-plans leads still waiting for contact.
 */
import { useMemo } from 'react';
import type { SlaPolicy, WeeklySchedule } from '../../../../shared/contract';
import { ATTEMPT_CHANNELS, ATTEMPT_CHANNEL_LABELS, type AttemptChannel } from '../../../../shared/followup/defaults';
import { DEFAULT_SCHEDULE, NO_POLICY_DUE_HOURS, WEEKDAYS, type Weekday } from '../../../../shared/followup/sla';
import { call, useApi, type Notify } from '../../api';
import { ListEditor } from '../../components/ListEditor';
import { MatchFields, matchProblems } from './RoutingSettings';

type Draft = Omit<SlaPolicy, 'id' | 'position' | 'grades' | 'segments'> & {
  id?: number;
  grades: string[];
  segments: string[];
};

const DAY_LABELS: Readonly<Record<Weekday, string>> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** The computer's own time zone: new policies start in it. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every IANA zone the runtime knows, the computer's first, plus `current` if it is not among them. */
function zoneChoices(current: string): string[] {
  let all: string[];
  try {
    all = Intl.supportedValuesOf('timeZone');
  } catch {
    all = [];
  }
  const local = localZone();
  return [...new Set([local, current, 'UTC', ...all])];
}

function hoursText(p: SlaPolicy): string {
  const h = p.hours;
  const text = h >= 24 && h % 24 === 0 && !p.businessHours ? `${h / 24} day${h === 24 ? '' : 's'}` : `${h} h`;
  return p.businessHours ? `${text} business (${p.timeZone})` : text;
}

/** Why a policy cannot be saved yet, in the user's words. */
export function policyProblems(d: Draft): string[] {
  const problems = matchProblems('policy', d);
  if (!(d.hours > 0)) problems.push('The time to first contact must be more than 0 hours.');
  if (!Number.isInteger(d.attemptsRequired) || d.attemptsRequired < 1 || d.attemptsRequired > 50)
    problems.push('Attempts before "could not reach" must be a whole number from 1 to 50.');
  if (!(d.attemptSpacingHours >= 0)) problems.push('The hours between attempts cannot be negative.');
  if (!d.recommendedAction.trim()) problems.push('Write the recommended next action.');
  if (d.businessHours) {
    const open = WEEKDAYS.filter((day) => d.schedule[day].length > 0);
    if (open.length === 0) problems.push('Business hours need at least one open day.');
    for (const day of open)
      for (const r of d.schedule[day])
        if (!r.start || !r.end || r.start >= r.end) problems.push(`${DAY_LABELS[day]} must close after it opens.`);
  }
  return problems;
}

function ScheduleEditor({
  value,
  onChange,
}: Readonly<{ value: WeeklySchedule; onChange: (s: WeeklySchedule) => void }>) {
  return (
    <div className="fu-schedule" role="group" aria-label="Business hours">
      {WEEKDAYS.map((d) => {
        const range = value[d][0];
        return (
          <div key={d} className="fu-schedule__day">
            <label className="fu-check">
              <input
                type="checkbox"
                aria-label={`Open on ${DAY_LABELS[d]}`}
                checked={!!range}
                onChange={(e) =>
                  onChange({ ...value, [d]: e.target.checked ? [{ start: '09:00', end: '17:00' }] : [] })
                }
              />
              {DAY_LABELS[d]}
            </label>
            {range ? (
              <>
                <input
                  className="input fu-time"
                  type="time"
                  aria-label={`${DAY_LABELS[d]} opens`}
                  value={range.start}
                  onChange={(e) =>
                    onChange({ ...value, [d]: [{ ...range, start: e.target.value }, ...value[d].slice(1)] })
                  }
                />
                <input
                  className="input fu-time"
                  type="time"
                  aria-label={`${DAY_LABELS[d]} closes`}
                  value={range.end === '24:00' ? '23:59' : range.end}
                  onChange={(e) =>
                    onChange({ ...value, [d]: [{ ...range, end: e.target.value }, ...value[d].slice(1)] })
                  }
                />
              </>
            ) : (
              <span className="muted fu-schedule__closed">closed</span>
            )}
          </div>
        );
      })}
    </div>
  );
}

function TimeZonePicker({ value, onChange }: Readonly<{ value: string; onChange: (zone: string) => void }>) {
  const zones = useMemo(() => zoneChoices(value), [value]);
  const local = localZone();
  return (
    <select aria-label="Time zone" className="fu-zone" value={value} onChange={(e) => onChange(e.target.value)}>
      {zones.map((z) => (
        <option key={z} value={z}>
          {z === local ? `${z} (this computer)` : z}
        </option>
      ))}
    </select>
  );
}

function blankPolicy(): Draft {
  return {
    name: '',
    enabled: true,
    grades: [],
    segments: [],
    hours: 24,
    businessHours: true,
    schedule: DEFAULT_SCHEDULE,
    timeZone: localZone(),
    attemptsRequired: 3,
    attemptSpacingHours: 24,
    channel: 'call',
    recommendedAction: '',
  };
}

function PolicyForm({ draft, change }: Readonly<{ draft: Draft; change: (patch: Partial<Draft>) => void }>) {
  return (
    <>
      <MatchFields noun="Policy" value={draft} onChange={change} />
      <div className="fu-row fu-row--wrap">
        <label className="fu-inline">
          First contact within
          <input
            className="input fu-num"
            type="number"
            min={0.25}
            step={0.25}
            aria-label="Hours to first contact"
            value={draft.hours}
            onChange={(e) => change({ hours: Number(e.target.value) })}
          />
          hours
        </label>
        <label className="fu-check">
          <input
            type="checkbox"
            checked={draft.businessHours}
            onChange={(e) => change({ businessHours: e.target.checked })}
          />
          counted in business hours
        </label>
        <label className="fu-inline">
          Time zone
          <TimeZonePicker value={draft.timeZone} onChange={(timeZone) => change({ timeZone })} />
        </label>
      </div>
      {draft.businessHours ? (
        <ScheduleEditor value={draft.schedule} onChange={(schedule) => change({ schedule })} />
      ) : null}
      <div className="fu-row fu-row--wrap">
        <label className="fu-inline">
          Attempts before &quot;could not reach&quot;
          <input
            className="input fu-num"
            type="number"
            min={1}
            max={50}
            aria-label="Required attempts"
            value={draft.attemptsRequired}
            onChange={(e) => change({ attemptsRequired: Number(e.target.value) })}
          />
        </label>
        <label className="fu-inline">
          spaced
          <input
            className="input fu-num"
            type="number"
            min={0}
            aria-label="Hours between attempts"
            value={draft.attemptSpacingHours}
            onChange={(e) => change({ attemptSpacingHours: Number(e.target.value) })}
          />
          hours apart, by
        </label>
        <select
          aria-label="Channel"
          value={draft.channel}
          onChange={(e) => change({ channel: e.target.value as AttemptChannel })}
        >
          {ATTEMPT_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {ATTEMPT_CHANNEL_LABELS[c]}
            </option>
          ))}
        </select>
      </div>
      <label className="fu-field">
        <span>Recommended next action</span>
        <input
          className="input"
          aria-label="Recommended action"
          placeholder="e.g. offer a product demo"
          value={draft.recommendedAction}
          onChange={(e) => change({ recommendedAction: e.target.value })}
        />
      </label>
    </>
  );
}

export function SlaSettings({ onMessage }: Readonly<{ onMessage: Notify }>) {
  const policies = useApi('sla-policies-list', {}, { refreshOn: ['followup'] });
  return (
    <ListEditor<SlaPolicy, Draft>
      title="SLA policies"
      noun="SLA policy"
      shortNoun="policy"
      help={`The first policy from the top that matches a lead's grade and segment sets its clock; a lead none matches is due ${NO_POLICY_DUE_HOURS} hours after it became MQL.`}
      emptyText={`No SLA policies: new MQLs are due ${NO_POLICY_DUE_HOURS} hours after they become MQL. Add one (e.g. first contact within 24 hours).`}
      items={policies.data ?? []}
      itemName={(p) => p.name}
      isInactive={(p) => !p.enabled}
      columns={[
        { header: 'Policy', cell: (p) => p.name },
        {
          header: 'Grades / segments',
          cell: (p) => [p.grades.join(', '), p.segments.join(', ')].filter(Boolean).join(' · ') || 'any',
        },
        { header: 'First contact within', cell: hoursText },
        {
          header: 'Attempts',
          cell: (p) =>
            `${p.attemptsRequired} × ${ATTEMPT_CHANNEL_LABELS[p.channel].toLowerCase()}, ${p.attemptSpacingHours} h apart`,
        },
        { header: 'Recommended action', cell: (p) => p.recommendedAction },
      ]}
      blank={blankPolicy}
      toDraft={(p) => ({ ...p, grades: [...p.grades], segments: [...p.segments] })}
      validate={policyProblems}
      save={(d) =>
        call('sla-policy-save', {
          ...d,
          name: d.name.trim(),
          recommendedAction: d.recommendedAction.trim(),
        })
      }
      savedMessage={(d) => `Saved policy "${d.name.trim()}"`}
      remove={(p) => call('sla-policy-delete', { id: p.id })}
      reorder={(ids) => call('sla-policies-reorder', { ids })}
      onMessage={onMessage}
      renderForm={(draft, change) => <PolicyForm draft={draft} change={change} />}
    />
  );
}
