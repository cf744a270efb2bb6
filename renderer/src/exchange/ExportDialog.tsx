/**
 * File > Export…: leads (all, a segment, a saved view, the queue, or what the grid passes
 * in) or per-owner packs, to CSV or XLSX, as a Leadbench round-trip sheet or in a CRM's
 * import format, with a choice of columns. The backend streams the file; this dialog shows
 * progress and where the file went.
 */
import { useMemo, useState } from 'react';
import type { ExportColumnInfo, ExportResult, ExportSourceInput, JobProgress } from '../../../shared/contract';
import { call, shell, useApi, useApiEvent, errorMessage } from '../api';
import { ErrorState } from '../components/EmptyState';
import { Modal } from '../components/Modal';
import { formatBytes, formatCount, plural } from '../format';

export type ExportRequest = Readonly<{ source?: ExportSourceInput; sourceLabel?: string }>;

type Scope = 'given' | 'all' | 'segment' | 'view' | 'queue' | 'packs';
type Target = 'leadbench' | 'hubspot' | 'salesforce' | 'pipedrive';

const GROUP_LABELS: Readonly<Record<ExportColumnInfo['group'], string>> = {
  id: 'Identity',
  lead: 'Lead fields',
  score: 'Score',
  followup: 'Follow-up',
  rep: 'For the rep to fill in',
};

function todayStamp(): string {
  return new Date().toISOString().slice(0, 10);
}

export function ExportDialog({ request, onClose }: Readonly<{ request: ExportRequest; onClose: () => void }>) {
  const options = useApi('export-options', {});
  const [scope, setScope] = useState<Scope>(request.source ? 'given' : 'all');
  const [segment, setSegment] = useState('');
  const [viewId, setViewId] = useState<number | null>(null);
  const [ownerId, setOwnerId] = useState<number | null>(null);
  const [layout, setLayout] = useState<'workbook' | 'files'>('workbook');
  const [format, setFormat] = useState<'csv' | 'xlsx'>('xlsx');
  const [bom, setBom] = useState(true);
  const [delimiter, setDelimiter] = useState<',' | ';'>(',');
  const [target, setTarget] = useState<Target>('leadbench');
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  const [jobId] = useState(() => `export-${Date.now().toString(36)}`);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useApiEvent('job-progress', (p) => {
    if (p.jobId === jobId) setProgress(p);
  });

  const data = options.data;
  const defaults = scope === 'packs' ? data?.defaults.ownerPack : data?.defaults.leads;
  const columns = useMemo(() => chosen ?? new Set(defaults ?? []), [chosen, defaults]);
  const effectiveFormat = scope === 'packs' && layout === 'workbook' ? 'xlsx' : format;

  function toggleColumn(key: string) {
    const next = new Set(columns);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setChosen(next);
  }

  function source(): ExportSourceInput {
    switch (scope) {
      case 'given':
        return request.source ?? { kind: 'all' };
      case 'segment':
        return { kind: 'segment', segment: segment || (data?.segments[0] ?? 'hot') };
      case 'view':
        return viewId ? { kind: 'view', viewId } : { kind: 'all' };
      case 'queue':
        return { kind: 'queue', ownerId };
      default:
        return { kind: 'all' };
    }
  }

  async function run() {
    setError(null);
    const ext = effectiveFormat;
    const out = await shell().saveFileDialog({
      title: scope === 'packs' && layout === 'files' ? 'Folder for the owner packs' : 'Export to',
      defaultPath:
        scope === 'packs' && layout === 'files' ? `owner-packs-${todayStamp()}` : `leads-${todayStamp()}.${ext}`,
      filters: scope === 'packs' && layout === 'files' ? [] : [{ name: ext.toUpperCase(), extensions: [ext] }],
    });
    if (!out) return;
    setRunning(true);
    const cols = [...columns];
    const csv = effectiveFormat === 'csv' ? { bom, delimiter } : undefined;
    try {
      const r =
        scope === 'packs'
          ? await call('export-owner-packs', {
              layout,
              out,
              format: effectiveFormat,
              jobId,
              includeUnassigned: false,
              ...(cols.length ? { columns: cols } : {}),
              ...(csv ? { csv } : {}),
            })
          : await call('export-leads', {
              source: source(),
              out,
              format: effectiveFormat,
              jobId,
              ...(target !== 'leadbench' ? { preset: target } : {}),
              ...(cols.length ? { columns: cols } : {}),
              ...(csv ? { csv } : {}),
            });
      setResult(r);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setRunning(false);
    }
  }

  const grouped = useMemo(() => {
    const groups = new Map<ExportColumnInfo['group'], ExportColumnInfo[]>();
    for (const c of data?.columns ?? []) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
    return [...groups.entries()];
  }, [data]);

  if (result) {
    return (
      <Modal
        title="Export finished"
        onClose={onClose}
        actions={
          <button type="button" className="btn btn--primary" onClick={onClose}>
            Done
          </button>
        }
      >
        <p className="notice" data-testid="export-result">
          {plural(result.rows, 'row')} exported in {(result.tookMs / 1000).toFixed(1)} s
          {result.roundTrip ? ' — this sheet can come back: File › Apply an edited sheet…' : ''}.
        </p>
        <table className="table">
          <thead>
            <tr>
              <th>File</th>
              <th>Rows</th>
              <th>Size</th>
            </tr>
          </thead>
          <tbody>
            {result.files.map((f) => (
              <tr key={`${f.path}#${f.sheet ?? ''}`}>
                <td>
                  <code>{f.path}</code>
                  {f.sheet ? ` (sheet ${f.sheet})` : ''}
                  {f.ownerName ? ` — ${f.ownerName}` : ''}
                </td>
                <td>{formatCount(f.rows)}</td>
                <td>{formatBytes(f.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Modal>
    );
  }

  return (
    <Modal
      title="Export"
      wide
      onClose={running ? () => undefined : onClose}
      actions={
        <>
          {running ? (
            <button type="button" className="btn" onClick={() => void call('export-cancel', { jobId })}>
              Cancel export
            </button>
          ) : (
            <button type="button" className="btn" onClick={onClose}>
              Close
            </button>
          )}
          <button
            type="button"
            className="btn btn--primary"
            disabled={running || !data || columns.size === 0}
            onClick={() => void run()}
          >
            {running ? 'Exporting…' : 'Export…'}
          </button>
        </>
      }
    >
      {options.error ? <ErrorState message={options.error.message} onRetry={options.reload} /> : null}
      <div className="form-grid">
        <label htmlFor="export-scope">Leads</label>
        <select id="export-scope" value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
          {request.source ? <option value="given">{request.sourceLabel ?? 'Current view'}</option> : null}
          <option value="all">All leads</option>
          <option value="segment">A segment</option>
          <option value="view">A saved view</option>
          <option value="queue">The follow-up queue</option>
          <option value="packs">Per-owner packs (each rep's queue)</option>
        </select>

        {scope === 'segment' ? (
          <>
            <label htmlFor="export-segment">Segment</label>
            <select id="export-segment" value={segment} onChange={(e) => setSegment(e.target.value)}>
              {(data?.segments ?? []).map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </>
        ) : null}
        {scope === 'view' ? (
          <>
            <label htmlFor="export-view">Saved view</label>
            <select
              id="export-view"
              value={viewId ?? ''}
              onChange={(e) => setViewId(e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">Choose a view…</option>
              {(data?.views ?? []).map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          </>
        ) : null}
        {scope === 'queue' ? (
          <>
            <label htmlFor="export-owner">Owner</label>
            <select
              id="export-owner"
              value={ownerId ?? ''}
              onChange={(e) => setOwnerId(e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">Everyone</option>
              {(data?.owners ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name} ({plural(o.leads, 'lead')})
                </option>
              ))}
            </select>
          </>
        ) : null}
        {scope === 'packs' ? (
          <>
            <span className="muted">Layout</span>
            <div className="choice-row">
              <label>
                <input type="radio" checked={layout === 'workbook'} onChange={() => setLayout('workbook')} /> One
                workbook, a sheet per owner
              </label>
              <label>
                <input type="radio" checked={layout === 'files'} onChange={() => setLayout('files')} /> One file per
                owner
              </label>
            </div>
          </>
        ) : (
          <>
            <label htmlFor="export-target">Sheet for</label>
            <select id="export-target" value={target} onChange={(e) => setTarget(e.target.value as Target)}>
              <option value="leadbench">Leadbench (reps can edit it and send it back)</option>
              {(data?.presets ?? []).map((p) => (
                <option key={p.id} value={p.id} title={p.description}>
                  {p.label} import
                </option>
              ))}
            </select>
          </>
        )}

        <span className="muted">Format</span>
        <div className="choice-row">
          <label>
            <input
              type="radio"
              name="export-format"
              checked={effectiveFormat === 'xlsx'}
              onChange={() => setFormat('xlsx')}
            />{' '}
            Excel (.xlsx)
          </label>
          <label>
            <input
              type="radio"
              name="export-format"
              checked={effectiveFormat === 'csv'}
              disabled={scope === 'packs' && layout === 'workbook'}
              onChange={() => setFormat('csv')}
            />{' '}
            CSV
          </label>
          {effectiveFormat === 'csv' ? (
            <>
              <label>
                <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} /> UTF-8 mark for Excel
              </label>
              <label>
                Separator{' '}
                <select value={delimiter} onChange={(e) => setDelimiter(e.target.value as ',' | ';')}>
                  <option value=",">Comma</option>
                  <option value=";">Semicolon</option>
                </select>
              </label>
            </>
          ) : null}
        </div>
      </div>

      <div>
        <strong>Columns</strong>{' '}
        <span className="muted">
          ({columns.size} chosen{target !== 'leadbench' && scope !== 'packs' ? ', added after the CRM columns' : ''})
        </span>
        <div className="column-picker">
          {grouped.map(([group, cols]) => (
            <div key={group} style={{ display: 'contents' }}>
              <h4>{GROUP_LABELS[group]}</h4>
              {cols.map((c) => (
                <label key={c.key}>
                  <input type="checkbox" checked={columns.has(c.key)} onChange={() => toggleColumn(c.key)} />
                  {c.label}
                </label>
              ))}
            </div>
          ))}
        </div>
      </div>
      {running && progress ? (
        <div className="choice-row" data-testid="export-progress">
          <progress max={1} value={progress.fraction ?? undefined} />
          <span>
            {progress.phase} · {formatCount(progress.done)}
            {progress.total ? ` of ${formatCount(progress.total)}` : ''} rows
          </span>
        </div>
      ) : null}
      {error ? <ErrorState message={error} /> : null}
    </Modal>
  );
}
