/** Where each column of the file goes, with its first values to recognize it by. */
import type { Dispatch } from 'react';
import type { InspectResult } from '../../../../../shared/contract';
import { TARGET_LABELS, targetsForKind, type ColumnTarget, type ImportKind } from '../../../../../shared/mapping';
import type { WizardAction } from './state';

export function MappingStep({
  info,
  kind,
  mapping,
  dispatch,
}: Readonly<{
  info: InspectResult;
  kind: ImportKind;
  mapping: Readonly<Record<string, ColumnTarget>>;
  dispatch: Dispatch<WizardAction>;
}>) {
  const targets = targetsForKind(kind);
  return (
    <div className="card">
      <h3>Columns</h3>
      <table className="table iw-mapping" aria-label="Column mapping">
        <thead>
          <tr>
            <th>Column in the file</th>
            <th>Goes to</th>
            <th>First values</th>
          </tr>
        </thead>
        <tbody>
          {info.headers.map((h, i) => (
            <tr key={h}>
              <td>{h}</td>
              <td>
                <select
                  aria-label={`Target for ${h}`}
                  value={mapping[h] ?? 'custom'}
                  onChange={(e) => dispatch({ type: 'target', header: h, target: e.target.value as ColumnTarget })}
                >
                  {targets.map((t) => (
                    <option key={t} value={t}>
                      {TARGET_LABELS[t]}
                    </option>
                  ))}
                </select>
              </td>
              <td className="muted iw-sample">{firstValues(info.sampleRows, i)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The column's first three non-blank sample values, joined for a one-line hint. */
function firstValues(rows: InspectResult['sampleRows'], column: number): string {
  return rows
    .slice(0, 3)
    .map((r) => r[column] ?? '')
    .filter((v) => v !== '')
    .join(' · ');
}
