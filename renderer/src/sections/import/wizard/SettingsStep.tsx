/**
 * What the import does with the rows: existing leads, placeholder values, identity by row
 * number, date order (detected from the whole file, switchable, with the dates that read both
 * ways), and the kind's own settings (a type for untyped activity rows, a date for all rows
 * of a list without one, the event's name and list status).
 */
import type { Dispatch } from 'react';
import type { FileProfile } from '../../../../../shared/contract';
import { ACTIVITY_TYPES, ACTIVITY_TYPE_LABELS, type ActivityType } from '../../../../../shared/domain';
import { parseDay, type ColumnTarget, type ImportKind } from '../../../../../shared/mapping';
import { DateOrderChoice } from '../../../components/DateOrderChoice';
import type { Settings, WizardAction } from './state';

export function SettingsStep({
  profile,
  kind,
  reportTopic,
  mapping,
  settings,
  dispatch,
}: Readonly<{
  profile: FileProfile | null;
  kind: ImportKind;
  /** The report's own name for the event (InspectResult.reportTopic): used when no name is typed. */
  reportTopic: string | null;
  mapping: Readonly<Record<string, ColumnTarget>>;
  settings: Settings;
  dispatch: Dispatch<WizardAction>;
}>) {
  const set = (s: Partial<Settings>) => dispatch({ type: 'settings', settings: s });
  return (
    <>
      <label>Existing leads</label>
      <div className="choice-row">
        <label>
          <input
            type="radio"
            name="update"
            checked={settings.update !== 'overwrite'}
            onChange={() => set({ update: 'fill' })}
          />
          Fill blank fields only
        </label>
        <label>
          <input
            type="radio"
            name="update"
            checked={settings.update === 'overwrite'}
            onChange={() => set({ update: 'overwrite' })}
          />
          Overwrite with the file's values
        </label>
      </div>
      <label>Values</label>
      <div className="choice-row">
        <label>
          <input
            type="checkbox"
            checked={settings.blankPlaceholders ?? false}
            onChange={(e) => set({ blankPlaceholders: e.target.checked })}
          />
          Treat “Select”, “N/A”, “-” as blank
        </label>
        <label>
          <input
            type="checkbox"
            checked={settings.rowKey ?? false}
            onChange={(e) => set({ rowKey: e.target.checked })}
          />
          No id column: identify people by row number
        </label>
      </div>
      <label htmlFor="iw-dates">Dates</label>
      <DateOrderChoice
        id="iw-dates"
        detected={profile?.dates.detected ?? null}
        chosen={settings.dateOrder === 'dmy' || settings.dateOrder === 'mdy' ? settings.dateOrder : undefined}
        ambiguousRows={profile?.dates.ambiguousRows ?? 0}
        examples={(profile?.dates.examples ?? []).map((e) => ({ row: e.row, value: e.value, where: e.column }))}
        onChange={(dateOrder) => set({ dateOrder })}
      />
      {kind !== 'leads' ? <DateForAllRows kind={kind} mapping={mapping} settings={settings} set={set} /> : null}
      {kind === 'activities' ? (
        <>
          <label htmlFor="iw-type">Type for rows without one</label>
          <select
            id="iw-type"
            value={settings.activityType ?? ''}
            onChange={(e) => set({ activityType: (e.target.value || undefined) as ActivityType | undefined })}
          >
            <option value="">(from the type column)</option>
            {ACTIVITY_TYPES.map((t) => (
              <option key={t} value={t}>
                {ACTIVITY_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </>
      ) : null}
      {kind === 'event' ? (
        <EventSettings mapping={mapping} reportTopic={reportTopic} settings={settings} set={set} />
      ) : null}
    </>
  );
}

/**
 * A date for every row of a list that has no date column (a campaign's recipients, one
 * webinar's attendees), or for the rows whose date is blank.
 */
function DateForAllRows({
  kind,
  mapping,
  settings,
  set,
}: Readonly<{
  kind: ImportKind;
  mapping: Readonly<Record<string, ColumnTarget>>;
  settings: Settings;
  set: (s: Partial<Settings>) => void;
}>) {
  const targets = Object.values(mapping);
  const dated = targets.includes('activity.time') || (kind === 'event' && targets.includes('event.join_time'));
  const value = settings.eventTime === undefined ? '' : new Date(settings.eventTime).toISOString().slice(0, 10);
  return (
    <>
      <label htmlFor="iw-date-all">{dated ? 'Date for rows without one' : 'All rows happened on'}</label>
      <div className="choice-row">
        <input
          id="iw-date-all"
          className="input"
          type="date"
          value={value}
          onChange={(e) => set({ eventTime: parseDay(e.target.value) ?? undefined })}
        />
        {dated ? null : <span className="muted">The file has no date column: every row gets this date.</span>}
      </div>
    </>
  );
}

const EVENT_LISTS = [
  ['column', 'Mixed: the “Attended” column (or a join time) says who came'],
  ['registered', 'Registrations only'],
  ['attended', 'Attendees only'],
] as const;

function EventSettings({
  mapping,
  reportTopic,
  settings,
  set,
}: Readonly<{
  mapping: Readonly<Record<string, ColumnTarget>>;
  reportTopic: string | null;
  settings: Settings;
  set: (s: Partial<Settings>) => void;
}>) {
  const list = settings.eventList ?? (Object.values(mapping).includes('event.attended') ? 'column' : 'registered');
  return (
    <>
      <label htmlFor="iw-asset">Event name</label>
      <input
        id="iw-asset"
        className="input"
        value={settings.asset ?? ''}
        placeholder={reportTopic ? `${reportTopic} (from the report)` : 'e.g. Product demo webinar, 12 Oct'}
        onChange={(e) => set({ asset: e.target.value })}
      />
      <label>This list is</label>
      <div className="choice-row">
        {EVENT_LISTS.map(([v, label]) => (
          <label key={v}>
            <input type="radio" name="eventList" checked={list === v} onChange={() => set({ eventList: v })} />
            {label}
          </label>
        ))}
      </div>
    </>
  );
}
