/**
 * "Suggest a model from outcomes": learns a model from the won and lost leads (a backend
 * job with progress and Stop), shows how it ranks leads it was not fitted on beside the
 * current model, which fields were left out and why (a field filled in after contact can be
 * kept deliberately), and every suggested rule with its reason, grouped by field (the fields
 * with the most points first). Saving makes it an ordinary
 * draft model: read, edit, preview and publish it like any other.
 */
import { useCallback, useEffect, useState } from 'react';
import type { JobProgress, LearnReport } from '../../../../shared/contract';
import { call, errorMessage, useApiEvent } from '../../api';
import { formatCount, plural } from '../../format';
import { Modal } from '../../components/Modal';
import { groupReasons } from './suggest-groups';

const auc = (a: LearnReport['suggestedAuc']): string =>
  a.auc === null ? '—' : `${a.auc.toFixed(2)} (95% ${a.low!.toFixed(2)}–${a.high!.toFixed(2)})`;

let jobCounter = 0;
const newJobId = (): string => `learn-${Date.now().toString(36)}-${(jobCounter++).toString(36)}`;

/** Creates a draft model holding the suggestion, under the first free name. */
async function saveAsDraft(report: LearnReport): Promise<number> {
  for (let i = 1; i <= 50; i++) {
    const name = i === 1 ? report.model.name : `${report.model.name} ${i}`;
    try {
      const created = await call('model-create', { name });
      await call('model-save-draft', { modelId: created.id, definition: { ...report.model, name } });
      return created.id;
    } catch (err) {
      if (!/unique|already|exists/i.test(errorMessage(err))) throw err;
    }
  }
  throw new Error('Could not find a free name for the suggested model.');
}

export function SuggestDialog({
  onClose,
  onSaved,
}: Readonly<{ onClose: () => void; onSaved: (modelId: number, report: LearnReport) => void }>) {
  const [keep, setKeep] = useState<readonly string[]>([]);
  // One learning request at a time: its job id (for progress and Stop) and the fields kept.
  const [request, setRequest] = useState(() => ({ jobId: newJobId(), keep: [] as readonly string[] }));
  const [jobId, setJobId] = useState<string | null>(request.jobId);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [report, setReport] = useState<LearnReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useApiEvent('job-progress', (p) => {
    if (p.jobId === jobId) setProgress(p);
  });

  useEffect(() => {
    let live = true;
    call('model-learn', { jobId: request.jobId, ...(request.keep.length ? { keep: [...request.keep] } : {}) })
      .then((r) => live && setReport(r))
      .catch((err: unknown) => live && setError(errorMessage(err)))
      .finally(() => live && setJobId(null));
    return () => {
      live = false;
    };
  }, [request]);

  const learnAgain = () => {
    const next = { jobId: newJobId(), keep };
    setReport(null);
    setError(null);
    setProgress(null);
    setJobId(next.jobId);
    setRequest(next);
  };

  const stop = useCallback(() => {
    if (jobId) void call('job-cancel', { jobId }).catch(() => undefined);
  }, [jobId]);

  const save = async () => {
    if (!report) return;
    setSaving(true);
    try {
      onSaved(await saveAsDraft(report), report);
    } catch (err) {
      setError(errorMessage(err));
      setSaving(false);
    }
  };

  const learning = jobId !== null;
  const leaks = report?.fields.filter((f) => f.status === 'leak') ?? [];
  const kept = report?.fields.filter((f) => f.status === 'used' && f.reason?.startsWith('kept by you')) ?? [];
  const skipped = report?.fields.filter((f) => f.status === 'skipped' || f.status === 'excluded') ?? [];
  return (
    <Modal
      title="Suggest a model from outcomes"
      wide
      onClose={learning ? stop : onClose}
      actions={
        learning ? (
          <button type="button" className="btn" onClick={stop}>
            Stop
          </button>
        ) : (
          <>
            <button type="button" className="btn" onClick={onClose}>
              Close
            </button>
            <button type="button" className="btn btn--primary" disabled={!report || saving} onClick={() => void save()}>
              Save as a draft model
            </button>
          </>
        )
      }
    >
      {learning ? (
        <div className="sg-progress" role="status">
          <span className="sc-spinner" aria-hidden="true" />
          <span>{progress?.phase ?? 'Starting'}…</span>
          <progress max={1} value={progress?.fraction ?? undefined} />
        </div>
      ) : null}
      {error ? (
        <p className="sg-error" role="alert">
          {error}
        </p>
      ) : null}
      {report ? (
        <div className="sg-body" data-testid="suggestion">
          <div className="sg-compare" aria-label="Measured on held-out leads">
            <div>
              <span>Suggested model</span>
              <strong data-testid="suggested-auc">{auc(report.suggestedAuc)}</strong>
            </div>
            <div>
              <span>Current model{report.currentModel ? ` (${report.currentModel.name})` : ''}</span>
              <strong data-testid="current-auc">{auc(report.currentAuc)}</strong>
            </div>
            <div>
              <span>Measured on</span>
              <strong>{formatCount(report.heldOutLeads)} held-out leads</strong>
            </div>
          </div>
          <p className="muted sg-help">
            AUC: the chance that a won lead scores above a lost one, on closed leads the suggestion was not fitted on
            (0.5 is a coin toss).
          </p>
          {/* The "Left out" lines are the group below, with their Keep boxes: said once. */}
          {report.summary
            .slice(2)
            .filter((line) => !leaks.some((f) => line.startsWith(`Left out ${f.label}:`)))
            .map((line) => (
              <p
                key={line}
                className={/^(The interval is wide|Not worth publishing)/.test(line) ? 'sg-warn' : 'sg-line'}
              >
                {line}
              </p>
            ))}
          {leaks.length || kept.length ? (
            <fieldset className="sg-leaks">
              <legend>Probably filled in after contact</legend>
              {[...leaks, ...kept].map((f) => (
                <label key={f.field}>
                  <input
                    type="checkbox"
                    checked={keep.includes(f.field)}
                    onChange={(e) =>
                      setKeep((k) => (e.target.checked ? [...k, f.field] : k.filter((x) => x !== f.field)))
                    }
                  />
                  Keep {f.label} <span className="muted">({f.reason})</span>
                </label>
              ))}
              <button type="button" className="btn btn--small" onClick={learnAgain}>
                Learn again
              </button>
            </fieldset>
          ) : null}
          <h3>Suggested rules ({report.reasons.length})</h3>
          <ul className="sg-rules sg-groups" aria-label="Suggested rules">
            {groupReasons(report).map((g) => (
              <li key={g.label}>
                <strong>{g.label}</strong>{' '}
                <span className="muted">
                  {plural(g.reasons.length, 'rule')}, up to {g.most} points
                </span>
                <ul>
                  {g.reasons.map((r) => (
                    <li key={r.ruleId}>{r.text}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
          {report.currentRules.length ? (
            <details className="sg-details">
              <summary>The current model's rules against outcomes</summary>
              <ul className="sg-rules">
                {report.currentRules.map((r) => (
                  <li key={r.id}>{r.text}</li>
                ))}
              </ul>
            </details>
          ) : null}
          {skipped.length ? (
            <details className="sg-details">
              <summary>Fields not used ({skipped.length})</summary>
              <ul className="sg-rules">
                {skipped.map((f) => (
                  <li key={f.field}>
                    {f.label}: {f.reason}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </div>
      ) : null}
    </Modal>
  );
}
