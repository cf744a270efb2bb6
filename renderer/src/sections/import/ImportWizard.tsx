/**
 * The import wizard for one file: check how it is read (kind, encoding, delimiter, sheet,
 * header row), map columns while watching the first rows as they will be stored, run with
 * progress and cancel, then read the summary and the rejected rows. Everything goes through
 * the backend handlers; the file itself never crosses IPC, only its path.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type {
  Delimiter,
  ImportOptions,
  ImportSummary,
  InspectResult,
  JobProgress,
  PreviewResult,
  TextEncoding,
} from '../../../../shared/contract';
import { ACTIVITY_TYPES, ACTIVITY_TYPE_LABELS, LEAD_FIELDS, type ActivityType } from '../../../../shared/domain';
import { TARGET_LABELS, targetsForKind, type ColumnTarget, type ImportKind } from '../../../../shared/mapping';
import { call, errorMessage, useApiEvent } from '../../api';
import { ErrorState } from '../../components/EmptyState';
import { formatCount, formatDateTime } from '../../format';
import { ImportErrors } from './ImportErrors';

const KINDS: readonly { id: ImportKind; label: string; hint: string }[] = [
  { id: 'leads', label: 'Leads', hint: 'one row = one person' },
  { id: 'activities', label: 'Activities', hint: 'one row = one event (page visit, email click, download…)' },
  { id: 'event', label: 'Event / webinar list', hint: 'people plus their registration and attendance' },
];
const ENCODINGS: readonly TextEncoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'];
const DELIMITERS: readonly [Delimiter, string][] = [
  [',', 'Comma'],
  [';', 'Semicolon'],
  ['\t', 'Tab'],
  ['|', 'Pipe'],
];

type Settings = Omit<ImportOptions, 'kind' | 'mapping' | 'encoding' | 'delimiter' | 'sheet' | 'headerRow'>;
type Phase =
  | { step: 'setup' }
  | { step: 'running'; jobId: string }
  | { step: 'done'; summary: ImportSummary }
  | { step: 'failed'; message: string };

export function ImportWizard({
  path,
  onClose,
  onShowLeads,
}: Readonly<{ path: string; onClose: () => void; onShowLeads: () => void }>) {
  const [kind, setKind] = useState<ImportKind | undefined>(undefined);
  const [read, setRead] = useState<{
    encoding?: TextEncoding;
    delimiter?: Delimiter;
    sheet?: string;
    headerRow?: number;
  }>({});
  const [info, setInfo] = useState<InspectResult | null>(null);
  const [inspectError, setInspectError] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Record<string, ColumnTarget>>({});
  const [settings, setSettings] = useState<Settings>({ update: 'fill', blankPlaceholders: true });
  const [usedSaved, setUsedSaved] = useState<string | null>(null);
  const [preview, setPreview] = useState<PreviewResult | null>(null);
  const [phase, setPhase] = useState<Phase>({ step: 'setup' });
  const [progress, setProgress] = useState<JobProgress | null>(null);

  // Inspect whenever the file or how it is read changes.
  useEffect(() => {
    let live = true;
    call('import-inspect', { path, ...read, ...(kind ? { kind } : {}) }).then(
      (r) => {
        if (!live) return;
        setInspectError(null);
        setInfo(r);
        if (!kind) setKind(r.kind);
        const saved = r.savedMapping && r.savedMapping.kind === (kind ?? r.kind) ? r.savedMapping : null;
        if (saved) {
          const { mapping: savedMap, kind: _k, ...rest } = saved.settings;
          setMapping({ ...r.mapping, ...(savedMap ?? {}) });
          setSettings((s) => ({ ...s, ...rest }));
          setUsedSaved(saved.name);
        } else {
          setMapping({ ...r.mapping });
          setUsedSaved(null);
        }
      },
      (err: unknown) => {
        if (live) setInspectError(errorMessage(err));
      },
    );
    return () => {
      live = false;
    };
  }, [path, read, kind]);

  const options: ImportOptions | null = useMemo(
    () => (info && kind ? { kind, ...read, headerRow: info.headerRow, mapping, ...settings } : null),
    [info, kind, read, mapping, settings],
  );

  // Preview follows every change, debounced a little.
  useEffect(() => {
    if (!options) return;
    let live = true;
    const t = setTimeout(() => {
      call('import-preview', { path, options, limit: 12 }).then(
        (p) => live && setPreview(p),
        (err: unknown) => live && setPreview({ headers: [], headerRow: 0, problems: [errorMessage(err)], rows: [] }),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [path, options]);

  const jobRef = useRef<string | null>(null);
  useApiEvent('job-progress', (p) => {
    if (p.jobId === jobRef.current) setProgress(p);
  });

  async function run() {
    if (!options) return;
    const jobId = `import-${Date.now().toString(36)}`;
    jobRef.current = jobId;
    setProgress(null);
    setPhase({ step: 'running', jobId });
    try {
      const summary = await call('import-run', { path, options, jobId });
      setPhase({ step: 'done', summary });
    } catch (err) {
      setPhase({ step: 'failed', message: errorMessage(err) });
    }
  }

  if (inspectError) {
    return (
      <div className="card iw">
        <ErrorState message={inspectError} />
        <div className="iw__actions">
          <button type="button" className="btn" onClick={onClose}>
            Choose another file
          </button>
        </div>
      </div>
    );
  }
  if (!info || !kind) return <div className="card iw muted">Reading {path}…</div>;

  if (phase.step === 'running') {
    const pct = progress?.fraction != null ? Math.round(progress.fraction * 100) : 0;
    return (
      <div className="card iw" aria-busy="true">
        <h2>Importing {info.fileName}</h2>
        <div className="iw-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
          <div className="iw-progress__bar" style={{ width: `${pct}%` }} />
        </div>
        <p className="muted" data-testid="import-progress">
          {progress?.phase === 'rescoring' ? 'Rescoring affected leads' : `${pct}%`} ·{' '}
          {formatCount(progress?.done ?? 0)} rows
          {progress?.ratePerSec ? ` · ${formatCount(progress.ratePerSec)} rows/s` : ''}
        </p>
        <button type="button" className="btn" onClick={() => void call('job-cancel', { jobId: phase.jobId })}>
          Cancel
        </button>
      </div>
    );
  }
  if (phase.step === 'failed') {
    return (
      <div className="card iw">
        <ErrorState message={phase.message} />
        <div className="iw__actions">
          <button type="button" className="btn" onClick={() => setPhase({ step: 'setup' })}>
            Back to the settings
          </button>
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    );
  }
  if (phase.step === 'done') {
    return (
      <ImportDone
        summary={phase.summary}
        headers={info.headers}
        kind={kind}
        mapping={mapping}
        settings={settings}
        onClose={onClose}
        onShowLeads={onShowLeads}
      />
    );
  }

  const targets = targetsForKind(kind);
  const setTarget = (h: string, t: ColumnTarget) => setMapping((m) => ({ ...m, [h]: t }));
  const mappedFields = LEAD_FIELDS.filter((f) => Object.values(mapping).includes(f.key));

  return (
    <div className="iw">
      <div className="card iw__file">
        <h2>{info.fileName}</h2>
        <div className="form-grid">
          <label>Import as</label>
          <div className="choice-row" role="radiogroup" aria-label="Import as">
            {KINDS.map((k) => (
              <label key={k.id} title={k.hint}>
                <input type="radio" name="kind" checked={kind === k.id} onChange={() => setKind(k.id)} />
                {k.label}
              </label>
            ))}
          </div>
          {info.format === 'csv' ? (
            <>
              <label htmlFor="iw-encoding">Encoding</label>
              <select
                id="iw-encoding"
                value={info.encoding ?? 'utf-8'}
                onChange={(e) => setRead((r) => ({ ...r, encoding: e.target.value as TextEncoding }))}
              >
                {ENCODINGS.map((e) => (
                  <option key={e} value={e}>
                    {e}
                  </option>
                ))}
              </select>
              <label htmlFor="iw-delimiter">Delimiter</label>
              <select
                id="iw-delimiter"
                value={info.delimiter ?? ','}
                onChange={(e) => setRead((r) => ({ ...r, delimiter: e.target.value as Delimiter }))}
              >
                {DELIMITERS.map(([d, label]) => (
                  <option key={label} value={d}>
                    {label}
                  </option>
                ))}
              </select>
            </>
          ) : (
            <>
              <label htmlFor="iw-sheet">Sheet</label>
              <select
                id="iw-sheet"
                value={info.sheet ?? ''}
                onChange={(e) => setRead((r) => ({ ...r, sheet: e.target.value, headerRow: undefined }))}
              >
                {info.sheets.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </>
          )}
          <label htmlFor="iw-header">Header row</label>
          <select
            id="iw-header"
            value={info.headerRow}
            onChange={(e) => setRead((r) => ({ ...r, headerRow: Number(e.target.value) }))}
          >
            {info.headerCandidates.map((c) => (
              <option key={c.row} value={c.row}>
                Row {c.row}
                {c.label ? ` — ${c.label}` : ''}: {c.headers.slice(0, 4).join(', ')}
                {c.headers.length > 4 ? '…' : ''} ({formatCount(c.dataRows)}+ rows)
              </option>
            ))}
            {info.headerCandidates.some((c) => c.row === info.headerRow) ? null : (
              <option value={info.headerRow}>Row {info.headerRow}</option>
            )}
          </select>
          <label>Existing leads</label>
          <div className="choice-row">
            <label>
              <input
                type="radio"
                name="update"
                checked={settings.update !== 'overwrite'}
                onChange={() => setSettings((s) => ({ ...s, update: 'fill' }))}
              />
              Fill blank fields only
            </label>
            <label>
              <input
                type="radio"
                name="update"
                checked={settings.update === 'overwrite'}
                onChange={() => setSettings((s) => ({ ...s, update: 'overwrite' }))}
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
                onChange={(e) => setSettings((s) => ({ ...s, blankPlaceholders: e.target.checked }))}
              />
              Treat “Select”, “N/A”, “-” as blank
            </label>
            <label>
              <input
                type="checkbox"
                checked={settings.rowKey ?? false}
                onChange={(e) => setSettings((s) => ({ ...s, rowKey: e.target.checked }))}
              />
              No id column: identify people by row number
            </label>
          </div>
          <label htmlFor="iw-dates">Dates</label>
          <select
            id="iw-dates"
            value={settings.dateOrder ?? 'auto'}
            onChange={(e) => setSettings((s) => ({ ...s, dateOrder: e.target.value as Settings['dateOrder'] }))}
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
                onChange={(e) =>
                  setSettings((s) => ({
                    ...s,
                    activityType: (e.target.value || undefined) as ActivityType | undefined,
                  }))
                }
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
          {kind === 'event' ? (
            <>
              <label htmlFor="iw-asset">Event name</label>
              <input
                id="iw-asset"
                className="input"
                value={settings.asset ?? ''}
                placeholder="e.g. Product demo webinar, 12 Oct"
                onChange={(e) => setSettings((s) => ({ ...s, asset: e.target.value }))}
              />
              <label>This list is</label>
              <div className="choice-row">
                {(
                  [
                    ['column', 'Mixed: the “Attended” column says who came'],
                    ['registered', 'Registrations only'],
                    ['attended', 'Attendees only'],
                  ] as const
                ).map(([v, label]) => (
                  <label key={v}>
                    <input
                      type="radio"
                      name="eventList"
                      checked={
                        (settings.eventList ??
                          (Object.values(mapping).includes('event.attended') ? 'column' : 'registered')) === v
                      }
                      onChange={() => setSettings((s) => ({ ...s, eventList: v }))}
                    />
                    {label}
                  </label>
                ))}
              </div>
            </>
          ) : null}
        </div>
        {usedSaved ? <p className="notice">Using your saved mapping “{usedSaved}” (same columns).</p> : null}
      </div>

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
                    onChange={(e) => setTarget(h, e.target.value as ColumnTarget)}
                  >
                    {targets.map((t) => (
                      <option key={t} value={t}>
                        {TARGET_LABELS[t]}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="muted iw-sample">
                  {info.sampleRows
                    .slice(0, 3)
                    .map((r) => r[i] ?? '')
                    .filter((v) => v !== '')
                    .join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

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
                  {mappedFields
                    .filter((f) => f.key !== 'email')
                    .map((f) => (
                      <th key={f.key}>{f.label}</th>
                    ))}
                  <th>Custom fields</th>
                  {kind !== 'leads' ? <th>Activities</th> : null}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) =>
                  r.ok ? (
                    <tr key={r.row}>
                      <td>{r.row}</td>
                      <td>{r.email ?? r.keys.map(([k, v]) => `${k}: ${v}`).join(', ')}</td>
                      {mappedFields
                        .filter((f) => f.key !== 'email')
                        .map((f) => (
                          <td key={f.key}>{r.fields[f.key] ?? ''}</td>
                        ))}
                      <td className="muted">{Object.keys(r.custom).length || ''}</td>
                      {kind !== 'leads' ? (
                        <td>
                          {r.activities
                            .map(
                              (a) =>
                                `${ACTIVITY_TYPE_LABELS[a.type as ActivityType] ?? a.type} ${formatDateTime(a.occurredAt)}`,
                            )
                            .join('; ')}
                        </td>
                      ) : null}
                    </tr>
                  ) : (
                    <tr key={r.row} className="iw-rejected">
                      <td>{r.row}</td>
                      <td colSpan={mappedFields.length + 2}>
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

      <div className="iw__actions">
        <button
          type="button"
          className="btn btn--primary"
          disabled={!preview || preview.problems.length > 0}
          onClick={() => void run()}
        >
          Import {info.fileName}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function ImportDone({
  summary,
  headers,
  kind,
  mapping,
  settings,
  onClose,
  onShowLeads,
}: Readonly<{
  summary: ImportSummary;
  headers: readonly string[];
  kind: ImportKind;
  mapping: Record<string, ColumnTarget>;
  settings: Settings;
  onClose: () => void;
  onShowLeads: () => void;
}>) {
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const activities = kind === 'activities';
  const stats: [string, number][] = [
    ['Rows', summary.rowsTotal],
    [activities ? 'New activities' : 'Inserted', summary.inserted],
    ...(activities ? [] : ([['Updated', summary.updated]] as [string, number][])),
    [activities ? 'Already stored' : 'Unchanged', summary.unchanged],
    ['Skipped (blank)', summary.skipped],
    ['Errors', summary.errors],
    ...(kind === 'event' ? ([['Activities', summary.activitiesInserted]] as [string, number][]) : []),
    ...(activities && summary.leadsCreated ? ([['New leads', summary.leadsCreated]] as [string, number][]) : []),
  ];
  return (
    <div className="iw">
      <div className="card">
        <h2>Imported {summary.fileName}</h2>
        <div className="stat-row" data-testid="import-summary">
          {stats.map(([label, n]) => (
            <div className="stat" key={label}>
              <strong>{formatCount(n)}</strong>
              <span>{label}</span>
            </div>
          ))}
        </div>
        <p className="muted">
          Done in {(summary.durationMs / 1000).toFixed(1)} s; {formatCount(summary.rescored)} leads rescored. You can
          undo this import from the history below.
        </p>
        <div className="iw__actions">
          <button type="button" className="btn btn--primary" onClick={onShowLeads}>
            Show the leads
          </button>
          <button type="button" className="btn" onClick={onClose}>
            Import another file
          </button>
          <form
            className="iw-save"
            onSubmit={(e) => {
              e.preventDefault();
              void call('mapping-save', { name, headers, settings: { kind, mapping, ...settings } }).then((m) =>
                setSaved(m.name),
              );
            }}
          >
            <input
              className="input"
              aria-label="Mapping name"
              placeholder="Save this mapping as…"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" className="btn" disabled={!name.trim()}>
              Save mapping
            </button>
            {saved ? <span className="muted">Saved “{saved}”.</span> : null}
          </form>
        </div>
      </div>
      {summary.errors > 0 ? <ImportErrors importId={summary.importId} total={summary.errors} /> : null}
    </div>
  );
}
