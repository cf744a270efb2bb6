/**
 * The activity types step (#13): every distinct value of the file's type column, with how
 * many rows hold it, goes to a built-in type or to a workspace type. A value no built-in
 * type names becomes a workspace type named after it; the user can rename it, or merge two
 * values by giving them one name (or picking the same type), so no row is rejected for its
 * type. Writes the `activityTypeMap` import option the CLI's mapping file can carry too.
 */
import { useState, type Dispatch } from 'react';
import type { ActivityTypeInfo, ColumnProfile } from '../../../../../shared/contract';
import {
  ACTIVITY_TYPES,
  WORKSPACE_TYPE_PREFIX,
  activityTypeLabel,
  workspaceActivityType,
  type ActivityTypeKey,
} from '../../../../../shared/domain';
import { activityTypeOf } from '../../../../../shared/mapping';
import { typeLabels } from '../../scoring/activity-type-labels';
import { useApi } from '../../../api';
import { formatCount } from '../../../format';
import type { Settings, WizardAction } from './state';

type TypeMap = Readonly<Record<string, ActivityTypeKey>>;

export function ActivityTypesStep({
  column,
  settings,
  dispatch,
}: Readonly<{
  /** The profile of the column mapped to the activity type; null while the file is read. */
  column: ColumnProfile | null;
  settings: Settings;
  dispatch: Dispatch<WizardAction>;
}>) {
  const known = useApi('activity-types', {}, { refreshOn: ['imports', 'activities'] });
  // Workspace types renamed under Scoring > Activity types show their names.
  const labels = typeLabels(known.data);
  const label = (t: string) => activityTypeLabel(t, labels);
  // The option's input type is plain text (the schema checks it); this step only ever writes type keys.
  const chosen = (settings.activityTypeMap ?? {}) as TypeMap;
  const setType = (value: string, type: ActivityTypeKey) =>
    dispatch({ type: 'settings', settings: { activityTypeMap: { ...chosen, [value]: type } } });
  const values = column?.values ?? [];
  // A word merged into another type (or a type's name before a rename) lands where the import sends it.
  const aliases = aliasMap(known.data);
  const targetOf = (value: string) => activityTypeOf(value, chosen, aliases);
  // Workspace types to merge onto: those already stored, and those this file's values go to.
  const workspaceTypes = [
    ...new Set<ActivityTypeKey>([
      ...(known.data ?? []).filter((t) => !t.builtIn).map((t) => t.type),
      ...values.map((v) => targetOf(v.value)).filter((t) => t.startsWith(WORKSPACE_TYPE_PREFIX)),
    ]),
  ].sort((a, b) => label(a).localeCompare(label(b)));
  const newTypes = new Set(values.map((v) => targetOf(v.value)).filter((t) => t.startsWith(WORKSPACE_TYPE_PREFIX)));
  const unlisted = column ? column.distinct - values.length : 0;

  return (
    <div className="card">
      <h3>Activity types</h3>
      <p className="muted">
        Each value of the type column becomes a built-in type or a type of this workspace, named after the value. Rename
        a type, or give two values the same type to merge them. Engagement rules can score every type.
      </p>
      {column === null ? <p className="muted">Reading the file…</p> : null}
      {column && values.length > 0 ? (
        <table className="table iw-types" aria-label="Activity types">
          <thead>
            <tr>
              <th>Value in the file</th>
              <th className="num">Rows</th>
              <th>Becomes</th>
              <th>Type name</th>
            </tr>
          </thead>
          <tbody>
            {values.map((v) => {
              const target = targetOf(v.value);
              return (
                <tr key={v.value}>
                  <td>{v.value}</td>
                  <td className="num">{formatCount(v.count)}</td>
                  <td>
                    <select
                      aria-label={`Type for ${v.value}`}
                      value={target}
                      onChange={(e) => setType(v.value, e.target.value as ActivityTypeKey)}
                    >
                      <optgroup label="Built-in types">
                        {ACTIVITY_TYPES.map((t) => (
                          <option key={t} value={t}>
                            {activityTypeLabel(t)}
                          </option>
                        ))}
                      </optgroup>
                      <optgroup label="Workspace types">
                        {withOwn(workspaceTypes, workspaceActivityType(v.value)).map((t) => (
                          <option key={t} value={t}>
                            {label(t)}
                            {newTypes.has(t) && !isStored(known.data, t) ? ' (new)' : ''}
                          </option>
                        ))}
                      </optgroup>
                    </select>
                  </td>
                  <td>
                    {target.startsWith(WORKSPACE_TYPE_PREFIX) ? (
                      <TypeName
                        key={target}
                        value={v.value}
                        name={label(target)}
                        onRename={(name) => setType(v.value, workspaceActivityType(name))}
                      />
                    ) : (
                      <span className="muted">built-in</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {column && column.filled === 0 ? <p className="muted">The type column is empty.</p> : null}
      {unlisted > 0 || column?.capped ? (
        <p className="muted">
          {column?.capped ? 'Many more' : formatCount(unlisted)} rarer values are not listed: each becomes the built-in
          type it names, else a workspace type named after it.
        </p>
      ) : null}
    </div>
  );
}

/** The workspace types offered for one value: its own new type is always among them. */
function withOwn(types: readonly ActivityTypeKey[], own: ActivityTypeKey): readonly ActivityTypeKey[] {
  return types.includes(own) ? types : [...types, own];
}

function aliasMap(known: readonly ActivityTypeInfo[] | undefined): Record<string, ActivityTypeKey> {
  return Object.fromEntries((known ?? []).flatMap((t) => t.aliases.map((alias) => [alias, t.type])));
}

function isStored(known: readonly Readonly<{ type: string }>[] | undefined, type: string): boolean {
  return (known ?? []).some((t) => t.type === type);
}

/** A workspace type's name, applied when the field is left or Enter is pressed (typing "Phone call" passes "Phone "). */
function TypeName({
  value,
  name,
  onRename,
}: Readonly<{ value: string; name: string; onRename: (name: string) => void }>) {
  const [text, setText] = useState(name);
  const commit = () => {
    if (text.trim() && text.trim() !== name) onRename(text);
    else setText(name);
  };
  return (
    <input
      className="input"
      aria-label={`Type name for ${value}`}
      value={text}
      maxLength={100}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
    />
  );
}
