/** The first rows exactly as they will be stored, or the mapping's problems. */
import type { PreviewResult, PreviewRow } from '../../../../../shared/contract';
import { LEAD_FIELDS, activityTypeLabel, type ActivityTypeLabels } from '../../../../../shared/domain';
import type { ColumnTarget, ImportKind } from '../../../../../shared/mapping';
import { formatDateTime } from '../../../format';
import { useActivityTypeLabels } from '../../scoring/activity-type-labels';

export function PreviewStep({
  preview,
  kind,
  headers,
  mapping,
}: Readonly<{
  preview: PreviewResult | null;
  kind: ImportKind;
  headers: readonly string[];
  mapping: Readonly<Record<string, ColumnTarget>>;
}>) {
  const typeLabels = useActivityTypeLabels();
  const fields = LEAD_FIELDS.filter((f) => f.key !== 'email' && Object.values(mapping).includes(f.key));
  // Activity rows keep unmapped cells on the activity, not as the lead's custom fields.
  const custom = kind === 'activities' ? [] : headers.filter((h) => (mapping[h] ?? 'custom') === 'custom');
  return (
    <div className="card">
      <h3>Preview: the first rows as they will be stored</h3>
      {preview?.problems.length ? (
        <div className="error-state" role="alert" data-testid="mapping-problems">
          {preview.problems.join(' ')}
        </div>
      ) : null}
      {preview && !preview.problems.length ? (
        <div className="iw-preview">
          <table className="table" aria-label="Preview">
            <thead>
              <tr>
                <th>Row</th>
                <th>Email / key</th>
                {fields.map((f) => (
                  <th key={f.key}>{f.label}</th>
                ))}
                {custom.map((h) => (
                  <th key={h}>{h}</th>
                ))}
                {kind !== 'leads' ? <th>Activities</th> : null}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r) =>
                r.ok ? (
                  <tr key={r.row}>
                    <td>{r.row}</td>
                    <td>{identityOf(r)}</td>
                    {fields.map((f) => (
                      <td key={f.key}>{r.fields[f.key] ?? ''}</td>
                    ))}
                    {custom.map((h) => (
                      <td key={h}>{r.custom[h] ?? ''}</td>
                    ))}
                    {kind !== 'leads' ? <td>{activitiesOf(r, typeLabels)}</td> : null}
                  </tr>
                ) : (
                  <tr key={r.row} className="iw-rejected">
                    <td>{r.row}</td>
                    <td colSpan={fields.length + custom.length + (kind !== 'leads' ? 2 : 1)}>
                      Rejected{r.error?.column ? ` (${r.error.column})` : ''}: {r.error?.reason}
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function identityOf(r: PreviewRow): string {
  return r.email ?? r.keys.map(([k, v]) => `${k}: ${v}`).join(', ');
}

/** The row's activities, a renamed workspace type by its name in this workspace. */
function activitiesOf(r: PreviewRow, labels: ActivityTypeLabels): string {
  return r.activities.map((a) => `${activityTypeLabel(a.type, labels)} ${formatDateTime(a.occurredAt)}`).join('; ');
}
