/**
 * "Preview impact" and "Publish": the preview scores the real workspace with the draft
 * (in the backend, nothing written) and shows how many leads move between segments and
 * grades, MQL counts before and after, and example leads that change; publishing takes an
 * optional note, creates a new version and starts the full rescore.
 */
import { useEffect, useRef, useState } from 'react';
import type { JobProgress, ModelPreview, PreviewCell, PublishResult } from '../../../../shared/contract';
import { ALL_GRADES, type ScoringModel } from '../../../../shared/scoring';
import { call, errorMessage } from '../../api';
import { formatCount, plural } from '../../format';
import { Modal } from '../../components/Modal';
import { segmentTone } from './ModelPanels';
import { OutcomeBacktest } from './Backtest';
import { signedPoints } from './words';

let previewCounter = 0;

function Matrix<T extends string>({
  title,
  keys,
  cells,
  labelOf,
  rankOf,
  testId,
}: Readonly<{
  title: string;
  keys: readonly T[];
  cells: readonly PreviewCell<T>[];
  labelOf: (k: T | null) => string;
  rankOf: (k: T | null) => number;
  testId: string;
}>) {
  const present = (side: 'from' | 'to'): (T | null)[] => {
    const seen = new Set(cells.filter((c) => c.count > 0).map((c) => c[side]));
    const ordered: (T | null)[] = keys.filter((k) => seen.has(k));
    for (const k of seen) if (k !== null && !ordered.includes(k)) ordered.push(k);
    if (seen.has(null)) ordered.push(null);
    return ordered;
  };
  const rows = present('from');
  const cols = present('to');
  const count = (f: T | null, t: T | null) => cells.find((c) => c.from === f && c.to === t)?.count ?? 0;
  if (rows.length === 0) return <p className="muted">No leads to compare.</p>;
  return (
    <div className="sc-matrix-wrap">
      <table className="sc-matrix" data-testid={testId} aria-label={title}>
        <thead>
          <tr>
            <th className="sc-matrix__corner">
              <span>now ↓</span>
              <span>draft →</span>
            </th>
            {cols.map((c) => (
              <th key={String(c)} scope="col">
                {labelOf(c)}
              </th>
            ))}
            <th scope="col" className="sc-matrix__total">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const rowTotal = cols.reduce((s, c) => s + count(r, c), 0);
            return (
              <tr key={String(r)}>
                <th scope="row">{labelOf(r)}</th>
                {cols.map((c) => {
                  const n = count(r, c);
                  const kind = n === 0 ? 'is-zero' : r === c ? 'is-same' : rankOf(c) < rankOf(r) ? 'is-up' : 'is-down';
                  return (
                    <td
                      key={String(c)}
                      className={kind}
                      data-from={r ?? ''}
                      data-to={c ?? ''}
                      title={`${labelOf(r)} → ${labelOf(c)}: ${plural(n, 'lead')}`}
                    >
                      {n === 0 ? '·' : formatCount(n)}
                    </td>
                  );
                })}
                <td className="sc-matrix__total">{formatCount(rowTotal)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function PreviewDialog({
  modelId,
  draft,
  progress,
  onClose,
  onPublish,
}: Readonly<{
  modelId: number;
  draft: ScoringModel;
  progress: Readonly<Record<string, JobProgress>>;
  onClose: () => void;
  onPublish: (preview: ModelPreview) => void;
}>) {
  const [jobId] = useState(() => `preview-${modelId}-${Date.now().toString(36)}-${previewCounter++}`);
  const [result, setResult] = useState<ModelPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<'segments' | 'grades'>('segments');
  const draftRef = useRef(draft);
  useEffect(() => {
    let live = true;
    call('model-preview', { modelId, definition: draftRef.current, exampleLimit: 25, jobId }).then(
      (r) => live && setResult(r),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [modelId, jobId]);
  const running = result === null && error === null;
  const p = progress[jobId];
  const bands = draft.segments.bands;
  const bandIndex = (k: string | null) => (k === null ? 99 : bands.findIndex((b) => b.key === k));
  const segLabel = (k: string | null) => (k === null ? 'Not scored' : (bands.find((b) => b.key === k)?.label ?? k));
  const gradeRank = (g: string | null) => (g === null ? 99 : ALL_GRADES.indexOf(g as never));
  return (
    <Modal
      title="Impact of this draft"
      wide
      onClose={() => {
        if (running) void call('job-cancel', { jobId }).catch(() => undefined);
        onClose();
      }}
      actions={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Keep editing
          </button>
          <button
            type="button"
            className="btn btn--primary"
            disabled={result === null}
            onClick={() => result && onPublish(result)}
          >
            Publish…
          </button>
        </>
      }
    >
      {error ? <div className="error-state">{error}</div> : null}
      {running ? (
        <div className="sc-progress" data-testid="preview-progress">
          <span>Scoring the workspace with the draft…</span>
          <progress max={1} value={p?.fraction ?? undefined} />
          <span className="muted">
            {p ? `${formatCount(p.done)}${p.total !== null ? ` of ${formatCount(p.total)}` : ''} leads` : ''}
          </span>
        </div>
      ) : null}
      {result ? (
        <div className="sc-preview" data-testid="preview">
          <div className="sc-tiles">
            <div className="sc-tile">
              <span className="sc-tile__value" data-testid="preview-considered">
                {formatCount(result.leadsConsidered)}
              </span>
              <span className="sc-tile__label">leads scored</span>
            </div>
            <div className={`sc-tile${result.leadsChanged ? ' sc-tile--accent' : ''}`}>
              <span className="sc-tile__value" data-testid="preview-changed">
                {formatCount(result.leadsChanged)}
              </span>
              <span className="sc-tile__label">would change</span>
            </div>
            <div className="sc-tile">
              <span className="sc-tile__value">
                {formatCount(result.mqlBefore)} → {formatCount(result.mqlAfter)}
              </span>
              <span className="sc-tile__label">MQLs</span>
            </div>
            <div className="sc-tile">
              <span className="sc-tile__value">{formatCount(result.leadsFrozen)}</span>
              <span className="sc-tile__label" title="Leads closed in this workspace keep the score they closed with">
                frozen (closed here)
              </span>
            </div>
          </div>
          <OutcomeBacktest draft={draft} />
          <div className="sc-preview__head">
            <h3>Where leads move</h3>
            <div className="sc-seg" role="tablist" aria-label="Matrix">
              {(['segments', 'grades'] as const).map((v) => (
                <button
                  key={v}
                  type="button"
                  role="tab"
                  aria-selected={view === v}
                  className={`sc-seg__opt${view === v ? ' is-on' : ''}`}
                  onClick={() => setView(v)}
                >
                  {v === 'segments' ? 'Segments' : 'Grades'}
                </button>
              ))}
            </div>
            <span className="muted sc-small" data-testid="preview-compared-with">
              Rows: {result.comparedWith ? `today (scores of “${result.comparedWith.name}”)` : 'today (not scored)'} ·
              columns: with the draft
            </span>
          </div>
          {view === 'segments' ? (
            <Matrix
              title="Segment changes"
              testId="segment-matrix"
              keys={result.segmentKeys}
              cells={result.segmentMatrix}
              labelOf={segLabel}
              rankOf={bandIndex}
            />
          ) : (
            <Matrix
              title="Grade changes"
              testId="grade-matrix"
              keys={ALL_GRADES}
              cells={result.gradeMatrix}
              labelOf={(g) => g ?? 'Not scored'}
              rankOf={gradeRank}
            />
          )}
          <h3>Leads that change</h3>
          {result.examples.length === 0 ? (
            <p className="muted">No lead changes its score, grade, segment or MQL status.</p>
          ) : (
            <div className="sc-examples">
              <table className="table" data-testid="preview-examples">
                <thead>
                  <tr>
                    <th>Lead</th>
                    <th>Company</th>
                    <th className="sc-col-num">Score</th>
                    <th>Segment</th>
                    <th>Grade</th>
                    <th>MQL</th>
                  </tr>
                </thead>
                <tbody>
                  {result.examples.map((e) => {
                    const delta = (e.toTotal ?? 0) - (e.fromTotal ?? 0);
                    return (
                      <tr key={e.leadId}>
                        <td>
                          <div className="sc-lead-name">{e.name}</div>
                          {e.name && e.email ? <div className="muted sc-small">{e.email}</div> : null}
                        </td>
                        <td>{e.company ?? ''}</td>
                        <td className="sc-col-num">
                          {e.fromTotal ?? '—'} → <strong>{e.toTotal ?? '—'}</strong>{' '}
                          <span className={`sc-delta ${delta > 0 ? 'is-pos' : delta < 0 ? 'is-neg' : ''}`}>
                            {signedPoints(delta)}
                          </span>
                        </td>
                        <td>
                          <SegmentBadge
                            k={e.fromSegment}
                            label={segLabel(e.fromSegment)}
                            tone={bandIndex(e.fromSegment)}
                            count={bands.length}
                          />
                          {e.fromSegment !== e.toSegment ? (
                            <>
                              {' → '}
                              <SegmentBadge
                                k={e.toSegment}
                                label={segLabel(e.toSegment)}
                                tone={bandIndex(e.toSegment)}
                                count={bands.length}
                              />
                            </>
                          ) : null}
                        </td>
                        <td>
                          {e.fromGrade ?? '—'}
                          {e.fromGrade !== e.toGrade ? ` → ${e.toGrade ?? '—'}` : ''}
                        </td>
                        <td>
                          {e.fromMql === e.toMql ? (e.toMql ? 'MQL' : '') : e.toMql ? 'becomes MQL' : 'no longer MQL'}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ) : null}
    </Modal>
  );
}

export function SegmentBadge({
  k,
  label,
  tone,
  count,
}: Readonly<{ k: string | null; label: string; tone: number; count: number }>) {
  if (k === null) return <span className="badge">{label}</span>;
  const t = tone < 0 ? null : segmentTone(tone, count);
  return <span className={`badge${t ? ` badge--${t}` : ''}`}>{label}</span>;
}

export function PublishDialog({
  modelId,
  modelName,
  draft,
  nextVersion,
  preview,
  onClose,
  onPublished,
}: Readonly<{
  modelId: number;
  modelName: string;
  draft: ScoringModel;
  nextVersion: number;
  preview: ModelPreview | null;
  onClose: () => void;
  onPublished: (r: PublishResult) => void;
}>) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call('model-publish', { modelId, definition: draft, note: note.trim() || undefined });
      onPublished(r);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <Modal
      title={`Publish "${modelName}" as version ${nextVersion}`}
      onClose={onClose}
      busy={busy}
      actions={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="btn btn--primary" onClick={() => void publish()} disabled={busy}>
            {busy ? 'Publishing…' : 'Publish and rescore'}
          </button>
        </>
      }
    >
      <p>
        Publishing keeps the current version in the history (you can restore it at any time) and rescores every lead in
        the background. Leads closed in this workspace keep the score they closed with; leads that arrived closed from
        an import&apos;s outcome column take this version&apos;s score, as they stood when they closed.
      </p>
      {preview ? (
        <p className="sc-callout">
          The preview found <strong>{plural(preview.leadsChanged, 'lead')}</strong> that change; MQLs go from{' '}
          {formatCount(preview.mqlBefore)} to {formatCount(preview.mqlAfter)}.
        </p>
      ) : null}
      <label className="sc-field sc-field--wide">
        <span className="sc-field__label">Note (optional)</span>
        <textarea
          className="input sc-textarea"
          rows={3}
          aria-label="Version note"
          placeholder="What changed and why, e.g. “Pricing page worth more after the Q3 review”"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          autoFocus
        />
      </label>
      {error ? <div className="error-state">{error}</div> : null}
    </Modal>
  );
}
