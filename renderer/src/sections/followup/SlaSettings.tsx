/**
 * SLA policies per grade or segment: time to first contact (elapsed or business hours of
 * a weekly schedule in a time zone), attempts and their spacing, the recommended action.
 * First match from the top applies; editing re-plans leads still waiting for contact.
 */
import { useMemo, useState } from 'react';
import type { SlaPolicy, WeeklySchedule } from '../../../../shared/contract';
import { ATTEMPT_CHANNELS, ATTEMPT_CHANNEL_LABELS, type AttemptChannel } from '../../../../shared/followup/defaults';
import { DEFAULT_SCHEDULE, WEEKDAYS, type Weekday } from '../../../../shared/followup/sla';
import { call, useApi } from '../../api';
import { MatchFields } from './RoutingSettings';
import { attempt } from './SettingsView';

type Msg = (text: string, kind?: 'ok' | 'error') => void;

type Draft = Omit<SlaPolicy, 'id' | 'position' | 'grades' | 'segments'> & {
  id?: number;
  grades: string[];
  segments: string;
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

function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function hoursText(p: SlaPolicy): string {
  const h = p.hours;
  const text = h >= 24 && h % 24 === 0 && !p.businessHours ? `${h / 24} day${h === 24 ? '' : 's'}` : `${h} h`;
  return p.businessHours ? `${text} business (${p.timeZone})` : text;
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
                  className="input"
                  type="time"
                  aria-label={`${DAY_LABELS[d]} opens`}
                  value={range.start}
                  onChange={(e) =>
                    onChange({ ...value, [d]: [{ ...range, start: e.target.value }, ...value[d].slice(1)] })
                  }
                />
                <input
                  className="input"
                  type="time"
                  aria-label={`${DAY_LABELS[d]} closes`}
                  value={range.end === '24:00' ? '23:59' : range.end}
                  onChange={(e) =>
                    onChange({ ...value, [d]: [{ ...range, end: e.target.value }, ...value[d].slice(1)] })
                  }
                />
              </>
            ) : (
              <span className="muted">closed</span>
            )}
          </div>
        );
      })}
    </div>
  );
}

export function SlaSettings({ onMessage }: Readonly<{ onMessage: Msg }>) {
  const policies = useApi('sla-policies-list', {}, { refreshOn: ['followup'] });
  const [draft, setDraft] = useState<Draft | null>(null);
  const zones = useMemo(() => {
    try {
      return (Intl as unknown as { supportedValuesOf: (k: string) => string[] }).supportedValuesOf('timeZone');
    } catch {
      return ['UTC'];
    }
  }, []);
  const list = policies.data ?? [];

  function edit(p?: SlaPolicy) {
    setDraft(
      p
        ? { ...p, grades: [...p.grades], segments: p.segments.join(', ') }
        : {
            name: '',
            enabled: true,
            grades: [],
            segments: '',
            hours: 24,
            businessHours: true,
            schedule: DEFAULT_SCHEDULE,
            timeZone: localZone(),
            attemptsRequired: 3,
            attemptSpacingHours: 24,
            channel: 'call',
            recommendedAction: '',
          },
    );
  }

  async function save() {
    if (!draft) return;
    const { segments, ...rest } = draft;
    const ok = await attempt(
      () =>
        call('sla-policy-save', {
          ...rest,
          segments: segments
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }),
      onMessage,
      `Saved policy "${draft.name}"`,
    );
    if (ok) setDraft(null);
  }

  const move = (i: number, d: number) => {
    const ids = list.map((r) => r.id);
    const [x] = ids.splice(i, 1);
    ids.splice(i + d, 0, x!);
    void attempt(() => call('sla-policies-reorder', { ids }), onMessage);
  };

  return (
    <section className="card fu-card" aria-label="SLA policies">
      <div className="fu-card__head">
        <h2>SLA policies</h2>
        <button type="button" className="btn btn--small" onClick={() => edit()}>
          Add policy
        </button>
      </div>
      <p className="muted fu-help">
        The first policy from the top that matches a lead's grade and segment sets its clock.
      </p>
      <table className="table">
        <thead>
          <tr>
            <th>Policy</th>
            <th>Grades / segments</th>
            <th>First contact within</th>
            <th>Attempts</th>
            <th>Recommended action</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((p, i) => (
            <tr key={p.id} className={p.enabled ? '' : 'fu-inactive'}>
              <td>{p.name}</td>
              <td>{[p.grades.join(', '), p.segments.join(', ')].filter(Boolean).join(' · ') || 'any'}</td>
              <td>{hoursText(p)}</td>
              <td>
                {p.attemptsRequired} × {ATTEMPT_CHANNEL_LABELS[p.channel].toLowerCase()}, {p.attemptSpacingHours} h
                apart
              </td>
              <td>{p.recommendedAction}</td>
              <td className="fu-actions">
                <button
                  type="button"
                  className="btn btn--small btn--ghost"
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                  aria-label={`Move policy ${p.name} up`}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="btn btn--small btn--ghost"
                  disabled={i === list.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={`Move policy ${p.name} down`}
                >
                  ↓
                </button>
                <button type="button" className="btn btn--small btn--ghost" onClick={() => edit(p)}>
                  Edit
                </button>
                <button
                  type="button"
                  className="btn btn--small btn--ghost btn--danger"
                  onClick={() =>
                    void attempt(() => call('sla-policy-delete', { id: p.id }), onMessage, `Deleted policy "${p.name}"`)
                  }
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {draft ? (
        <form
          className="fu-editor"
          aria-label="SLA policy"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <MatchFields noun="Policy" value={draft} onChange={(patch) => setDraft({ ...draft, ...patch })} />
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
                onChange={(e) => setDraft({ ...draft, hours: Number(e.target.value) })}
              />
              hours
            </label>
            <label className="fu-check">
              <input
                type="checkbox"
                checked={draft.businessHours}
                onChange={(e) => setDraft({ ...draft, businessHours: e.target.checked })}
              />
              counted in business hours
            </label>
            <label className="fu-inline">
              Time zone
              <input
                className="input"
                aria-label="Time zone"
                list="fu-zones"
                value={draft.timeZone}
                onChange={(e) => setDraft({ ...draft, timeZone: e.target.value })}
              />
              <datalist id="fu-zones">
                {zones.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </label>
          </div>
          {draft.businessHours ? (
            <ScheduleEditor value={draft.schedule} onChange={(schedule) => setDraft({ ...draft, schedule })} />
          ) : null}
          <div className="fu-row fu-row--wrap">
            <label className="fu-inline">
              Attempts before "could not reach"
              <input
                className="input fu-num"
                type="number"
                min={1}
                max={50}
                aria-label="Required attempts"
                value={draft.attemptsRequired}
                onChange={(e) => setDraft({ ...draft, attemptsRequired: Number(e.target.value) })}
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
                onChange={(e) => setDraft({ ...draft, attemptSpacingHours: Number(e.target.value) })}
              />
              hours apart, by
            </label>
            <select
              aria-label="Channel"
              value={draft.channel}
              onChange={(e) => setDraft({ ...draft, channel: e.target.value as AttemptChannel })}
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
              onChange={(e) => setDraft({ ...draft, recommendedAction: e.target.value })}
              required
            />
          </label>
          <div className="fu-row">
            <button type="submit" className="btn btn--primary btn--small">
              Save policy
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
