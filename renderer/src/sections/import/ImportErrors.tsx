/** The rejected rows of one import (paged from the backend), exportable as CSV. */
import { useState } from 'react';
import { call, shell, useApi } from '../../api';
import { formatCount } from '../../format';

const PAGE = 50;

export function ImportErrors({ importId, total }: Readonly<{ importId: number; total: number }>) {
  const [offset, setOffset] = useState(0);
  const [exported, setExported] = useState<string | null>(null);
  const { data } = useApi('import-errors', { importId, offset, limit: PAGE });

  async function exportCsv() {
    const path = await shell().saveFileDialog({
      title: 'Export rejected rows',
      defaultPath: `import-${importId}-errors.csv`,
      filters: [{ name: 'CSV', extensions: ['csv'] }],
    });
    if (!path) return;
    const r = await call('import-errors-export', { importId, path });
    setExported(`${formatCount(r.rows)} rows written to ${r.path}`);
  }

  return (
    <div className="card" data-testid="import-errors">
      <div className="iw__actions">
        <h3>Rejected rows ({formatCount(total)})</h3>
        <button type="button" className="btn btn--small" onClick={() => void exportCsv()}>
          Export as CSV
        </button>
        {exported ? <span className="muted">{exported}</span> : null}
      </div>
      <table className="table">
        <thead>
          <tr>
            <th>Row</th>
            <th>Column</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {(data?.rows ?? []).map((e, i) => (
            <tr key={`${e.row}-${i}`}>
              <td>{e.row}</td>
              <td>{e.column ?? ''}</td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > PAGE ? (
        <div className="iw__actions">
          <button
            type="button"
            className="btn btn--small"
            disabled={offset === 0}
            onClick={() => setOffset(offset - PAGE)}
          >
            Previous
          </button>
          <span className="muted">
            {formatCount(offset + 1)}–{formatCount(Math.min(total, offset + PAGE))} of {formatCount(total)}
          </span>
          <button
            type="button"
            className="btn btn--small"
            disabled={offset + PAGE >= total}
            onClick={() => setOffset(offset + PAGE)}
          >
            Next
          </button>
        </div>
      ) : null}
    </div>
  );
}
