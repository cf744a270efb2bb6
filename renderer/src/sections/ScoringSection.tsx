/**
 * Scoring section: the workspace's models on the left, the selected model's editor on the
 * right (draft, preview, publish, history, lead tester), and the progress of the rescore a
 * publish or restore started.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { JobProgress, PublishResult, RescoreOutcome } from '../../../shared/contract';
import { CHANGED_SCORES_HELP, changedPerModel } from '../../../shared/scoring/changed-per-model';
import { call, shell, useApi, useApiEvent, errorMessage } from '../api';
import { EmptyState, ErrorState } from '../components/EmptyState';
import type { SectionId } from '../sections';
import { bannerOffersSuggest, ModelFitBanner, useModelFit, type ModelFitAction } from '../components/ModelFitBanner';
import { SectionHeader } from '../components/SectionHeader';
import { formatCount, plural } from '../format';
import { Modal } from '../components/Modal';
import { ScIcon, TextField } from './scoring/controls';
import { ModelEditor } from './scoring/ModelEditor';
import { ModelList } from './scoring/ModelList';
import { SuggestDialog } from './scoring/SuggestDialog';
import { ActivityTypesDialog, mergeSummary } from './scoring/ActivityTypesDialog';
import { fieldOptions } from './scoring/words';
import './scoring/scoring.css';

type Notice = Readonly<{ kind: 'ok' | 'error'; text: string }>;
type ActiveJob = Readonly<{ jobId: string; what: string; modelId: number }>;
type Finished = Readonly<{ outcome: RescoreOutcome | null; error: string | null }>;

function ModelPane({
  modelId,
  ...rest
}: Readonly<{ modelId: number } & Omit<Parameters<typeof ModelEditor>[0], 'detail'>>) {
  const detail = useApi('model-get', { modelId }, { key: String(modelId) });
  if (detail.error && !detail.data) return <ErrorState message={detail.error.message} onRetry={detail.reload} />;
  if (!detail.data || detail.data.id !== modelId) return <div className="sc-loading">Loading model…</div>;
  return <ModelEditor key={modelId} detail={detail.data} {...rest} />;
}

export function ScoringSection({
  action = null,
  onActionTaken,
  leadCount,
  onNavigate,
}: Readonly<{
  /** Asked for by the Leads screen's "model doesn't fit" banner: carried out once on arrival. */
  action?: ModelFitAction | null;
  onActionTaken?: () => void;
  /** The workspace's leads: with none, the section says that importing comes first. */
  leadCount?: number | undefined;
  onNavigate?: (id: SectionId) => void;
}> = {}) {
  const models = useApi('models-list', {}, { refreshOn: ['models', 'scores'] });
  const columns = useApi('leads-columns', {}, { refreshOn: ['imports'] });
  const fit = useModelFit();
  const [chosen, setChosen] = useState<number | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [progress, setProgress] = useState<Readonly<Record<string, JobProgress>>>({});
  const [finished, setFinished] = useState<Readonly<Record<string, Finished>>>({});
  const [job, setJob] = useState<ActiveJob | null>(null);
  const [creating, setCreating] = useState<string | null>(null);
  const [suggesting, setSuggesting] = useState(action === 'suggest');
  const [managingTypes, setManagingTypes] = useState(false);
  // A merge rewrites drafts in the backend: the editor reloads its model rather than keep (and autosave) the old one.
  const [editorEpoch, setEditorEpoch] = useState(0);

  useApiEvent('job-progress', (p) => {
    if (p.kind === 'rescore') setProgress((prev) => ({ ...prev, [p.jobId]: p }));
  });
  useApiEvent('rescore-finished', (f) => setFinished((prev) => ({ ...prev, [f.jobId]: f })));

  const list = useMemo(() => models.data ?? [], [models.data]);
  const selectedId =
    chosen !== null && list.some((m) => m.id === chosen)
      ? chosen
      : (list.find((m) => m.isPrimary)?.id ?? list[0]?.id ?? null);

  const fields = useMemo(() => fieldOptions((columns.data?.columns ?? []).filter((c) => c.custom)), [columns.data]);

  const notify = useCallback((kind: 'ok' | 'error', text: string) => setNotice({ kind, text }), []);
  const reloadModels = models.reload;

  const onJobStarted = useCallback(
    (r: PublishResult, what: string) => setJob({ jobId: r.jobId, what, modelId: r.modelId }),
    [],
  );

  const importModel = async () => {
    const path = await shell().openFileDialog({
      title: 'Import a scoring model',
      filters: [{ name: 'Scoring model', extensions: ['json'] }],
    });
    if (!path) return;
    try {
      const r = await call('model-import-json', { path });
      setChosen(r.model.id);
      reloadModels();
      notify(
        r.issues.length ? 'error' : 'ok',
        r.issues.length
          ? `Imported "${r.model.name}" as a draft with ${plural(r.issues.length, 'problem')} to fix.`
          : `Imported "${r.model.name}" as a draft. Preview and publish it when ready.`,
      );
    } catch (err) {
      notify('error', errorMessage(err));
    }
  };

  const createModel = async () => {
    if (creating === null) return;
    try {
      const d = await call('model-create', { name: creating.trim() || 'New model' });
      setCreating(null);
      setChosen(d.id);
      reloadModels();
    } catch (err) {
      notify('error', errorMessage(err));
    }
  };

  const startFromColumns = useCallback(
    () =>
      call('model-start-from-columns', {})
        .then((r) => {
          setChosen(r.modelId);
          reloadModels();
          notify(
            'ok',
            `Started "From your columns": ${plural(r.rules, 'fit rule')} for your columns' most common values, all at 0 points. Give points to the values that make a good lead, delete the rest, then preview and publish.`,
          );
        })
        .catch((err: unknown) => notify('error', errorMessage(err))),
    [notify, reloadModels],
  );

  const takeAction = useCallback(
    (a: ModelFitAction) => (a === 'suggest' ? setSuggesting(true) : void startFromColumns()),
    [startFromColumns],
  );
  // The Leads banner's action: "suggest" opened the dialog from the first render; the
  // starter model is created once, on arrival.
  const arrived = useRef(false);
  useEffect(() => {
    if (arrived.current || action === null) return;
    arrived.current = true;
    if (action === 'starter') void startFromColumns();
    onActionTaken?.();
  }, [action, startFromColumns, onActionTaken]);

  const p = job ? progress[job.jobId] : undefined;
  const done = job ? finished[job.jobId] : undefined;

  return (
    <section className="section sc-section">
      <SectionHeader
        title="Scoring"
        subtitle="Models decide every lead's score, grade and segment. Edit a draft, preview its impact, then publish."
        actions={
          <>
            <button type="button" className="btn" onClick={() => setManagingTypes(true)}>
              Activity types…
            </button>
            {/* The "doesn't fit" banner below offers the same action, as the screen's main one: one button is enough. */}
            {bannerOffersSuggest(fit) ? null : (
              <button type="button" className="btn" onClick={() => setSuggesting(true)}>
                Suggest a model from outcomes…
              </button>
            )}
          </>
        }
      />
      <ModelFitBanner fit={fit} onAction={takeAction} />
      {leadCount === 0 && onNavigate ? (
        <div className="sc-notice" role="status">
          <span>
            No leads to score yet. The primary model below scores every lead you import; edit it now or after your first
            import.
          </span>
          <button type="button" className="btn btn--small btn--primary" onClick={() => onNavigate('import')}>
            Import leads…
          </button>
        </div>
      ) : null}
      {notice ? (
        <div className={`sc-notice sc-notice--${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <ScIcon name={notice.kind === 'error' ? 'alert' : 'check'} />
          <span data-testid="notice">{notice.text}</span>
          <button type="button" className="sc-link" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
      {job ? (
        <div className="sc-job" data-testid="rescore-status" role="status">
          {done ? (
            done.error ? (
              <>
                <ScIcon name="alert" />
                <span>
                  {job.what}, but the rescore stopped: {done.error}. The previous scores are kept.
                </span>
              </>
            ) : (
              <>
                <ScIcon name="check" />
                <span>
                  {job.what}. Rescored {plural(done.outcome?.scored ?? 0, 'lead')}
                  {done.outcome?.frozen ? `, ${formatCount(done.outcome.frozen)} frozen` : ''}
                  {done.outcome ? ` in ${(done.outcome.durationMs / 1000).toFixed(1)} s` : ''}.
                  {done.outcome ? (
                    <>
                      {' '}
                      <span data-testid="rescore-changed" title={CHANGED_SCORES_HELP}>
                        Changed scores: {changedPerModel(done.outcome, job.modelId, list, formatCount)}.
                      </span>
                    </>
                  ) : null}
                </span>
              </>
            )
          ) : (
            <>
              <span className="sc-spinner" aria-hidden="true" />
              <span>
                {job.what}. Rescoring leads…
                {p ? ` ${formatCount(p.done)}${p.total !== null ? ` of ${formatCount(p.total)}` : ''}` : ''}
              </span>
              <progress max={1} value={p?.fraction ?? undefined} />
              <button
                type="button"
                className="btn btn--small"
                onClick={() => void call('job-cancel', { jobId: job.jobId }).catch(() => undefined)}
              >
                Stop
              </button>
            </>
          )}
          {done ? (
            <button type="button" className="sc-link" onClick={() => setJob(null)}>
              Dismiss
            </button>
          ) : null}
        </div>
      ) : null}
      {models.error && !models.data ? <ErrorState message={models.error.message} onRetry={models.reload} /> : null}
      {models.data && list.length === 0 ? (
        <EmptyState
          icon="scoring"
          title="No scoring model yet"
          actions={
            <>
              <button type="button" className="btn btn--primary" onClick={() => setCreating('Default')}>
                Start from the default model
              </button>
              <button type="button" className="btn" onClick={() => void importModel()}>
                Import a model file…
              </button>
            </>
          }
        >
          <p>A model turns profile fields and activity into a score, a grade and a segment for every lead.</p>
        </EmptyState>
      ) : null}
      {list.length > 0 ? (
        <div className="sc-layout">
          <ModelList
            models={list}
            selectedId={selectedId}
            onSelect={setChosen}
            onNew={() => setCreating('')}
            onImport={() => void importModel()}
          />
          {selectedId !== null ? (
            <ModelPane
              key={`${selectedId}:${editorEpoch}`}
              modelId={selectedId}
              fields={fields}
              progress={progress}
              notify={notify}
              onJobStarted={onJobStarted}
              onModelsChanged={reloadModels}
              onSelectModel={setChosen}
            />
          ) : null}
        </div>
      ) : null}
      {managingTypes ? (
        <ActivityTypesDialog
          onClose={() => setManagingTypes(false)}
          onMerged={(m) => {
            reloadModels();
            setEditorEpoch((n) => n + 1);
            notify('ok', mergeSummary(m));
            if (m.jobId !== null && selectedId !== null) {
              setJob({ jobId: m.jobId, what: `Merged "${m.from.label}" into "${m.into.label}"`, modelId: selectedId });
            }
          }}
        />
      ) : null}
      {suggesting ? (
        <SuggestDialog
          onClose={() => setSuggesting(false)}
          onSaved={(id, report) => {
            setSuggesting(false);
            setChosen(id);
            reloadModels();
            notify(
              'ok',
              `Saved the suggestion (${report.reasons.length} rules) as a draft. Preview its impact and its results against outcomes, then publish it.`,
            );
          }}
        />
      ) : null}
      {creating !== null ? (
        <Modal
          title="New scoring model"
          onClose={() => setCreating(null)}
          actions={
            <>
              <button type="button" className="btn" onClick={() => setCreating(null)}>
                Cancel
              </button>
              <button type="button" className="btn btn--primary" onClick={() => void createModel()}>
                Create draft
              </button>
            </>
          }
        >
          <p className="muted">
            The new model starts as a draft copy of the default model. It scores nothing until you publish it.
          </p>
          <TextField label="Model name" placeholder="e.g. Enterprise persona" value={creating} onChange={setCreating} />
        </Modal>
      ) : null}
    </section>
  );
}
