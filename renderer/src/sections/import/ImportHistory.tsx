/** Past imports with their counts and mapping; undo one as a single step; see its rejected rows. */
import { Fragment, useState } from 'react';
import type { ImportRecord } from '../../../../shared/contract';
import { TARGET_LABELS } from '../../../../shared/mapping';
import { call, useApi, errorMessage } from '../../api';
import { ErrorState } from '../../components/EmptyState';
import { formatCount, formatDateTime } from '../../format';
import { ImportErrors } from './ImportErrors';

function MappingSummary({ record }: Readonly<{ record: ImportRecord }>) {
  const entries = Object.entries(record.mapping).filter(([, t]) => t !== 'custom' && t !== 'ignore');
  return (
    <ul className="ih-mapping">
      {entries.map(([h, t]) => (
        <li key={h}>
          {h} → {TARGET_LABELS[t]}
        </li>
      ))}
      <li className="muted">Other columns kept as custom fields.</li>
    </ul>
  );
}

export function ImportHistory() {
  const { data, error, reload } = useApi('imports-list', {}, { refreshOn: ['imports'] });
  const [open, setOpen] = useState<number | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [note, setNote] = useState<string | null>(null);

  async function undo(r: ImportRecord) {
    if (
      !window.confirm(
        `Undo the import of ${r.fileName}? Leads it created are removed and leads it changed are restored.`,
      )
    ) {
      return;
    }
    setBusy(r.id);
    try {
      const u = await call('import-undo', { importId: r.id });
      setNote(
        `Undone: ${formatCount(u.leadsDeleted)} leads and ${formatCount(u.activitiesDeleted)} activities removed, ${formatCount(u.leadsRestored)} leads restored.`,
      );
      reload();
    } catch (err) {
      setNote(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  if (error) return <ErrorState message={error.message} onRetry={reload} />;
  if (!data) return null;
  if (data.length === 0) {
    return (
      <div className="card ih-empty" role="status">
        <h3>No imports yet</h3>
        <p className="muted">
          Each file you import is listed here with what it added, changed and rejected, and can be undone in one step.
        </p>
      </div>
    );
  }
  return (
    <div className="card">
      <h3>Import history</h3>
      {note ? <p className="notice">{note}</p> : null}
      <div className="ih-scroll">
        <table className="table ih-table" aria-label="Import history">
          <thead>
            <tr>
              <th>File</th>
              <th>Rows</th>
              <th>Inserted</th>
              <th>Updated</th>
              <th>Unchanged</th>
              <th>Skipped</th>
              <th>Errors</th>
              <th>Activities</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.map((r) => (
              <Fragment key={r.id}>
                <tr>
                  {/* The file with its kind, status and date below: the counts and the undo fit 1280 px. */}
                  <td title={r.filePath}>
                    <div>{r.fileName}</div>
                    <div className="muted ih-when">
                      {r.kind} · {r.status} · {formatDateTime(r.startedAt)}
                    </div>
                  </td>
                  <td>{formatCount(r.rowsTotal)}</td>
                  <td>{formatCount(r.inserted)}</td>
                  <td>{formatCount(r.updated)}</td>
                  <td>{formatCount(r.unchanged)}</td>
                  <td>{formatCount(r.skipped)}</td>
                  <td>{formatCount(r.errors)}</td>
                  <td>{formatCount(r.activitiesInserted)}</td>
                  <td className="ih-actions">
                    <button
                      type="button"
                      className="btn btn--small btn--ghost"
                      onClick={() => setOpen(open === r.id ? null : r.id)}
                    >
                      {open === r.id ? 'Hide' : 'Details'}
                    </button>
                    {r.status === 'done' ? (
                      <button
                        type="button"
                        className="btn btn--small btn--danger"
                        disabled={busy !== null}
                        onClick={() => void undo(r)}
                      >
                        Undo
                      </button>
                    ) : null}
                  </td>
                </tr>
                {open === r.id ? (
                  <tr>
                    <td colSpan={9}>
                      <MappingSummary record={r} />
                      {r.message ? <p className="muted">{r.message}</p> : null}
                      {r.errors > 0 ? <ImportErrors importId={r.id} total={r.errors} /> : null}
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
