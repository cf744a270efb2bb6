/**
 * File > Export…: leads (all, a segment, a saved view, the queue, or what the grid passes
 * in) or per-owner packs, to CSV or XLSX, as a Leadbench round-trip sheet or in a CRM's
 * import format, with a choice of columns. The backend streams the file; this dialog shows
 * progress and where the file went. What the choices mean (the format written, the request
 * made) is export-choices.ts; this file shows them.
 */
import { useMemo, useState } from 'react';
import type {
  ExportColumnInfo,
  ExportOptions,
  ExportResult,
  ExportSourceInput,
  JobProgress,
} from '../../../shared/contract';
import { call, shell, useApi, useApiEvent, errorMessage } from '../api';
import { ErrorState } from '../components/EmptyState';
import { Modal } from '../components/Modal';
import { formatBytes, formatCount, plural } from '../format';
import {
  effectiveFormat,
  exportCall,
  initialChoices,
  saveDialogFor,
  type ExportChoices,
  type ExportScope,
  type ExportTarget,
} from './export-choices';

export type ExportRequest = Readonly<{ source?: ExportSourceInput; sourceLabel?: string }>;

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

/** Changes some of the choices. */
type Choose = (change: Partial<ExportChoices>) => void;

export function ExportDialog({ request, onClose }: Readonly<{ request: ExportRequest; onClose: () => void }>) {
  const options = useApi('export-options', {});
  const [choices, setChoices] = useState<ExportChoices>(() => initialChoices(request.source !== undefined));
  const choose: Choose = (change) => setChoices((ch) => ({ ...ch, ...change }));
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
  const defaults = choices.scope === 'packs' ? data?.defaults.ownerPack : data?.defaults.leads;
  const columns = useMemo(() => chosen ?? new Set(defaults ?? []), [chosen, defaults]);

  function toggleColumn(key: string) {
    const next = new Set(columns);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setChosen(next);
  }

  async function run() {
    setError(null);
    const out = await shell().saveFileDialog(saveDialogFor(choices, todayStamp()));
    if (!out) return;
    setRunning(true);
    const made = exportCall(choices, {
      out,
      jobId,
      columns: [...columns],
      given: request.source,
      segments: data?.segments ?? [],
    });
    try {
      setResult(
        made.name === 'export-owner-packs'
          ? await call('export-owner-packs', made.args)
          : await call('export-leads', made.args),
      );
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setRunning(false);
    }
  }

  if (result) return <ExportFinished result={result} onClose={onClose} />;

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
        <SourceFields choices={choices} choose={choose} request={request} data={data} />
        <FormatFields choices={choices} choose={choose} />
      </div>
      <ColumnPicker
        columns={data?.columns ?? []}
        chosen={columns}
        crmFirst={choices.target !== 'leadbench' && choices.scope !== 'packs'}
        onToggle={toggleColumn}
      />
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

/** The finished export: rows, time, and each file written. */
function ExportFinished({ result, onClose }: Readonly<{ result: ExportResult; onClose: () => void }>) {
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

/**
 * Which leads (all, a segment, a saved view, the queue, what the caller passed in, or owner
 * packs and their layout) and whom the sheet is for (Leadbench's round trip or a CRM).
 */
function SourceFields({
  choices,
  choose,
  request,
  data,
}: Readonly<{ choices: ExportChoices; choose: Choose; request: ExportRequest; data: ExportOptions | undefined }>) {
  const { scope, segment, viewId, ownerId, layout, target } = choices;
  return (
    <>
      <label htmlFor="export-scope">Leads</label>
      <select id="export-scope" value={scope} onChange={(e) => choose({ scope: e.target.value as ExportScope })}>
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
          <select id="export-segment" value={segment} onChange={(e) => choose({ segment: e.target.value })}>
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
            onChange={(e) => choose({ viewId: e.target.value ? Number(e.target.value) : null })}
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
            onChange={(e) => choose({ ownerId: e.target.value ? Number(e.target.value) : null })}
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
              <input type="radio" checked={layout === 'workbook'} onChange={() => choose({ layout: 'workbook' })} /> One
              workbook, a sheet per owner
            </label>
            <label>
              <input type="radio" checked={layout === 'files'} onChange={() => choose({ layout: 'files' })} /> One file
              per owner
            </label>
          </div>
        </>
      ) : (
        <>
          <label htmlFor="export-target">Sheet for</label>
          <select
            id="export-target"
            value={target}
            onChange={(e) => choose({ target: e.target.value as ExportTarget })}
          >
            <option value="leadbench">Leadbench (reps can edit it and send it back)</option>
            {(data?.presets ?? []).map((p) => (
              <option key={p.id} value={p.id} title={p.description}>
                {p.label} import
              </option>
            ))}
          </select>
        </>
      )}
    </>
  );
}

/** XLSX or CSV (a workbook of owner packs is XLSX only), and CSV's byte-order mark and separator. */
function FormatFields({ choices, choose }: Readonly<{ choices: ExportChoices; choose: Choose }>) {
  const { scope, layout, bom, delimiter } = choices;
  const format = effectiveFormat(choices);
  return (
    <>
      <span className="muted">Format</span>
      <div className="choice-row">
        <label>
          <input
            type="radio"
            name="export-format"
            checked={format === 'xlsx'}
            onChange={() => choose({ format: 'xlsx' })}
          />{' '}
          Excel (.xlsx)
        </label>
        <label>
          <input
            type="radio"
            name="export-format"
            checked={format === 'csv'}
            disabled={scope === 'packs' && layout === 'workbook'}
            onChange={() => choose({ format: 'csv' })}
          />{' '}
          CSV
        </label>
        {format === 'csv' ? (
          <>
            <label>
              <input type="checkbox" checked={bom} onChange={(e) => choose({ bom: e.target.checked })} /> UTF-8 mark for
              Excel
            </label>
            <label>
              Separator{' '}
              <select value={delimiter} onChange={(e) => choose({ delimiter: e.target.value as ',' | ';' })}>
                <option value=",">Comma</option>
                <option value=";">Semicolon</option>
              </select>
            </label>
          </>
        ) : null}
      </div>
    </>
  );
}

/** The columns by group, each ticked when chosen. */
function ColumnPicker({
  columns,
  chosen,
  crmFirst,
  onToggle,
}: Readonly<{
  columns: readonly ExportColumnInfo[];
  chosen: ReadonlySet<string>;
  crmFirst: boolean;
  onToggle: (key: string) => void;
}>) {
  const grouped = useMemo(() => {
    const groups = new Map<ExportColumnInfo['group'], ExportColumnInfo[]>();
    for (const c of columns) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
    return [...groups.entries()];
  }, [columns]);
  return (
    <div>
      <strong>Columns</strong>{' '}
      <span className="muted">
        ({chosen.size} chosen{crmFirst ? ', added after the CRM columns' : ''})
      </span>
      <div className="column-picker">
        {grouped.map(([group, cols]) => (
          <div key={group} style={{ display: 'contents' }}>
            <h4>{GROUP_LABELS[group]}</h4>
            {cols.map((c) => (
              <label key={c.key}>
                <input type="checkbox" checked={chosen.has(c.key)} onChange={() => onToggle(c.key)} />
                {c.label}
              </label>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
