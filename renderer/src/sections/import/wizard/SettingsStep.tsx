/**
 * What the import does with the rows: existing leads, placeholder values, identity by row
 * number, date order, and the kind's own settings (a type for untyped activity rows, the
 * event's name and list status).
 */
import type { Dispatch } from 'react';
import type { InspectResult } from '../../../../../shared/contract';
import { ACTIVITY_TYPES, ACTIVITY_TYPE_LABELS, type ActivityType } from '../../../../../shared/domain';
import type { ColumnTarget, ImportKind } from '../../../../../shared/mapping';
import type { Settings, WizardAction } from './state';

export function SettingsStep({
  info,
  kind,
  mapping,
  settings,
  dispatch,
}: Readonly<{
  info: InspectResult;
  kind: ImportKind;
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
      <select
        id="iw-dates"
        value={settings.dateOrder ?? 'auto'}
        onChange={(e) => set({ dateOrder: e.target.value as Settings['dateOrder'] })}
      >
        <option value="auto">
          Detect{info.dateOrder ? ` (${info.dateOrder === 'dmy' ? 'day first' : 'month first'})` : ''}
        </option>
        <option value="dmy">Day first (31/12/2025)</option>
        <option value="mdy">Month first (12/31/2025)</option>
      </select>
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
      {kind === 'event' ? <EventSettings mapping={mapping} settings={settings} set={set} /> : null}
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
  settings,
  set,
}: Readonly<{
  mapping: Readonly<Record<string, ColumnTarget>>;
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
        placeholder="e.g. Product demo webinar, 12 Oct"
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
