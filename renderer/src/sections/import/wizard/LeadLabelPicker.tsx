/**
 * "Show leads by": for files without a name or an email, which key or custom column names a
 * lead in the grid, the drawer and the queue (the `showLeadsBy` import option).
 */
import type { Dispatch } from 'react';
import type { ColumnTarget } from '../../../../../shared/mapping';
import type { Settings, WizardAction } from './state';

/** Targets that give a lead a human label of its own (then no choice is needed). */
const NAMING_TARGETS: readonly ColumnTarget[] = ['email', 'first_name', 'last_name'];

export function needsLeadLabel(mapping: Readonly<Record<string, ColumnTarget>>): boolean {
  return !Object.values(mapping).some((t) => NAMING_TARGETS.includes(t));
}

export function LeadLabelPicker({
  headers,
  mapping,
  settings,
  dispatch,
}: Readonly<{
  headers: readonly string[];
  mapping: Readonly<Record<string, ColumnTarget>>;
  settings: Settings;
  dispatch: Dispatch<WizardAction>;
}>) {
  const candidates = headers.filter((h) => ['key', 'custom'].includes(mapping[h] ?? 'custom'));
  const key = headers.find((h) => mapping[h] === 'key');
  return (
    <>
      <label htmlFor="iw-show-by">Show leads by</label>
      <select
        id="iw-show-by"
        value={settings.showLeadsBy ?? ''}
        onChange={(e) => dispatch({ type: 'settings', settings: { showLeadsBy: e.target.value || undefined } })}
      >
        <option value="">{key ? `${key} (the identity key)` : '(the identity key)'}</option>
        {candidates
          .filter((h) => h !== key)
          .map((h) => (
            <option key={h}>{h}</option>
          ))}
      </select>
    </>
  );
}
