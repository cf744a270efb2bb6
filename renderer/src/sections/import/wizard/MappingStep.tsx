/**
 * Where each column of the file goes, with its values to recognize it by. Custom columns get
 * a type (detected from all their values, which the user can override); wide files can be
 * searched by column name, and trailing columns without a header or a value are left out.
 */
import { useState, type Dispatch } from 'react';
import type { ColumnProfile, FileProfile, InspectResult } from '../../../../../shared/contract';
import {
  CUSTOM_FIELD_TYPES,
  CUSTOM_FIELD_TYPE_LABELS,
  type CustomFieldType,
} from '../../../../../shared/custom-fields';
import { TARGET_LABELS, targetsForKind, type ColumnTarget, type ImportKind } from '../../../../../shared/mapping';
import { formatCount } from '../../../format';
import type { Settings, WizardAction } from './state';

export function MappingStep({
  info,
  profile,
  kind,
  mapping,
  settings,
  dispatch,
}: Readonly<{
  info: InspectResult;
  profile: FileProfile | null;
  kind: ImportKind;
  mapping: Readonly<Record<string, ColumnTarget>>;
  settings: Settings;
  dispatch: Dispatch<WizardAction>;
}>) {
  const [search, setSearch] = useState('');
  const targets = targetsForKind(kind);
  const byHeader = new Map(profile?.columns.map((c) => [c.header, c]));
  const shown = info.headers
    .map((h, i) => [h, i] as const)
    .filter(([h]) => !isEmptyUnnamedColumn(h, byHeader.get(h)))
    .filter(([h]) => h.toLowerCase().includes(search.trim().toLowerCase()));
  const setType = (header: string, type: CustomFieldType | undefined) => {
    const { [header]: _old, ...rest } = settings.customTypes ?? {};
    dispatch({ type: 'settings', settings: { customTypes: type ? { ...rest, [header]: type } : rest } });
  };
  return (
    <div className="card">
      <div className="iw-columns-head">
        <h3>Columns</h3>
        <input
          className="input"
          type="search"
          aria-label="Search columns"
          placeholder={`Search ${formatCount(info.headers.length)} columns…`}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      <table className="table iw-mapping" aria-label="Column mapping">
        <thead>
          <tr>
            <th>Column in the file</th>
            <th>Goes to</th>
            <th>Type</th>
            <th>Values</th>
          </tr>
        </thead>
        <tbody>
          {shown.map(([h, i]) => {
            const target = mapping[h] ?? 'custom';
            const column = byHeader.get(h);
            return (
              <tr key={h}>
                <td>{h}</td>
                <td>
                  <select
                    aria-label={`Target for ${h}`}
                    value={target}
                    onChange={(e) => dispatch({ type: 'target', header: h, target: e.target.value as ColumnTarget })}
                  >
                    {targets.map((t) => (
                      <option key={t} value={t}>
                        {TARGET_LABELS[t]}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {target === 'custom' && kind !== 'activities' ? (
                    <TypePicker
                      header={h}
                      detected={column?.inferredType}
                      chosen={settings.customTypes?.[h]}
                      onChange={(t) => setType(h, t)}
                    />
                  ) : null}
                </td>
                <td className="muted iw-sample" title={column ? valuesText(column, 20) : undefined}>
                  {column ? valuesText(column, 4) : firstValues(info.sampleRows, i)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {shown.length === 0 ? <p className="muted">No column matches “{search}”.</p> : null}
    </div>
  );
}

function TypePicker({
  header,
  detected,
  chosen,
  onChange,
}: Readonly<{
  header: string;
  detected: CustomFieldType | undefined;
  chosen: CustomFieldType | undefined;
  onChange: (type: CustomFieldType | undefined) => void;
}>) {
  return (
    <select
      aria-label={`Type of ${header}`}
      value={chosen ?? ''}
      onChange={(e) => onChange((e.target.value || undefined) as CustomFieldType | undefined)}
    >
      <option value="">{detected ? `${CUSTOM_FIELD_TYPE_LABELS[detected]} (detected)` : 'Detect'}</option>
      {CUSTOM_FIELD_TYPES.map((t) => (
        <option key={t} value={t}>
          {CUSTOM_FIELD_TYPE_LABELS[t]}
        </option>
      ))}
    </select>
  );
}

/** A column with no header and no value anywhere (X Education's trailing comma): nothing to map. */
function isEmptyUnnamedColumn(header: string, column: ColumnProfile | undefined): boolean {
  return column !== undefined && column.filled === 0 && /^Column \d+$/.test(header);
}

/** The column's most frequent values with their counts: "Google (2,868) · Direct Traffic (2,543) · …". */
function valuesText(column: ColumnProfile, max: number): string {
  if (column.filled === 0) return '(empty)';
  const shown = column.values.slice(0, max).map((v) => `${v.value} (${formatCount(v.count)})`);
  const more = column.distinct - shown.length;
  return more > 0 ? `${shown.join(' · ')} · ${column.capped ? 'many' : formatCount(more)} more` : shown.join(' · ');
}

/** Before the profile arrives: the column's first three non-blank sample values. */
function firstValues(rows: InspectResult['sampleRows'], column: number): string {
  return rows
    .slice(0, 3)
    .map((r) => r[column] ?? '')
    .filter((v) => v !== '')
    .join(' · ');
}
