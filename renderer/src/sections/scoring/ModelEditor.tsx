/**
 * The editor of one model: a local draft validated on every change (the same validator
 * the backend runs), saved as the model's draft shortly after each edit, with tabs for the
 * rule tables and model settings, "Preview impact", "Publish", history and a lead tester.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { JobProgress, ModelDetail, ModelPreview, PublishResult } from '../../../../shared/contract';
import { validateModel, type ModelIssue, type ScoringModel } from '../../../../shared/scoring';
import { call, shell, errorMessage } from '../../api';
import { MenuButton, Modal, ScIcon } from './controls';
import { issueTab, normalizeDraft, type EditorTab } from './draft';
import { PreviewDialog, PublishDialog } from './ImpactDialogs';
import { LeadTester } from './LeadTester';
import { BandsPanel, DecayPanel, SettingsPanel } from './ModelPanels';
import { EngagementPanel, FitPanel, NegativePanel, SuppressionPanel } from './RulePanels';
import { VersionsPanel } from './VersionsPanel';
import type { FieldOption } from './words';

type SaveState = 'clean' | 'pending' | 'saving' | 'saved' | 'error';

const TABS: readonly Readonly<{ id: EditorTab; label: string }>[] = [
  { id: 'fit', label: 'Fit' },
  { id: 'engagement', label: 'Engagement' },
  { id: 'negative', label: 'Negative' },
  { id: 'suppression', label: 'Suppression' },
  { id: 'decay', label: 'Decay' },
  { id: 'bands', label: 'Segments' },
  { id: 'settings', label: 'Model' },
  { id: 'versions', label: 'History' },
  { id: 'test', label: 'Test a lead' },
];

function initialDraft(d: ModelDetail): ScoringModel {
  return normalizeDraft(d.draft ?? d.published, d.name);
}

function errorText(err: unknown): string {
  return errorMessage(err);
}

function fileName(name: string): string {
  return `${name.replace(/[\\/:*?"<>|]+/g, '-').trim() || 'model'}.json`;
}

export function ModelEditor({
  detail,
  fields,
  progress,
  onJobStarted,
  onModelsChanged,
  onSelectModel,
  notify,
}: Readonly<{
  detail: ModelDetail;
  fields: readonly FieldOption[];
  progress: Readonly<Record<string, JobProgress>>;
  onJobStarted: (r: PublishResult, what: string) => void;
  onModelsChanged: () => void;
  onSelectModel: (id: number) => void;
  notify: (kind: 'ok' | 'error', text: string) => void;
}>) {
  const modelId = detail.id;
  const [draft, setDraft] = useState<ScoringModel>(() => initialDraft(detail));
  const [published, setPublished] = useState<ScoringModel | null>(detail.published);
  const [publishedVersion, setPublishedVersion] = useState<number | null>(detail.publishedVersion);
  const [versionCount, setVersionCount] = useState(detail.versionCount);
  const [saveState, setSaveState] = useState<SaveState>(detail.draft !== null ? 'saved' : 'clean');
  const [tab, setTab] = useState<EditorTab>('fit');
  const [expanded, setExpanded] = useState<Readonly<{ tab: EditorTab; index: number }> | null>(null);
  const [dialog, setDialog] = useState<'preview' | 'publish' | 'delete' | null>(null);
  const [lastPreview, setLastPreview] = useState<ModelPreview | null>(null);

  const validation = useMemo(() => validateModel(draft), [draft]);
  const issues: readonly ModelIssue[] = validation.ok ? [] : validation.issues;
  const publishedJson = useMemo(
    () => (published ? JSON.stringify(normalizeDraft(published, detail.name)) : null),
    [published, detail.name],
  );
  const differs = useMemo(
    () => publishedJson === null || JSON.stringify(draft) !== publishedJson,
    [draft, publishedJson],
  );

  // Save the draft shortly after the last edit; a newer edit while saving saves again.
  useEffect(() => {
    if (saveState !== 'pending') return;
    const t = setTimeout(() => {
      setSaveState('saving');
      call('model-save-draft', { modelId, definition: draft }).then(
        () => setSaveState((s) => (s === 'saving' ? 'saved' : s)),
        (err: unknown) => {
          setSaveState('error');
          notify('error', `The draft could not be saved: ${errorText(err)}`);
        },
      );
    }, 600);
    return () => clearTimeout(t);
  }, [draft, saveState, modelId, notify]);

  // Switching models with an edit not yet saved: save it on the way out.
  const latest = useRef({ draft, saveState });
  useEffect(() => {
    latest.current = { draft, saveState };
  });
  useEffect(
    () => () => {
      if (latest.current.saveState === 'pending')
        void call('model-save-draft', { modelId, definition: latest.current.draft }).catch(() => undefined);
    },
    [modelId],
  );

  const change = (m: ScoringModel) => {
    setDraft(m);
    setSaveState('pending');
  };

  const resetTo = (d: ModelDetail) => {
    setDraft(initialDraft(d));
    setPublished(d.published);
    setPublishedVersion(d.publishedVersion);
    setVersionCount(d.versionCount);
    setSaveState(d.draft !== null ? 'saved' : 'clean');
    setLastPreview(null);
  };

  const reload = async () => {
    try {
      resetTo(await call('model-get', { modelId }));
    } catch (err) {
      notify('error', errorText(err));
    }
  };

  const onPublished = (r: PublishResult, what: string) => {
    setDialog(null);
    setSaveState('clean');
    setPublished(draft);
    setPublishedVersion(r.version);
    setVersionCount((n) => Math.max(n, r.version));
    setLastPreview(null);
    onJobStarted(r, what);
    onModelsChanged();
  };

  const exportJson = async () => {
    const path = await shell().saveFileDialog({
      title: 'Export scoring model',
      defaultPath: fileName(draft.name),
      filters: [{ name: 'Scoring model', extensions: ['json'] }],
    });
    if (!path) return;
    try {
      if (saveState !== 'clean') await call('model-save-draft', { modelId, definition: draft });
      const r = await call('model-export-json', { modelId, path, draft: saveState !== 'clean' || undefined });
      notify('ok', `Exported "${draft.name}" to ${r.path}`);
    } catch (err) {
      notify('error', errorText(err));
    }
  };

  const importJson = async () => {
    const path = await shell().openFileDialog({
      title: 'Import a scoring model into this draft',
      filters: [{ name: 'Scoring model', extensions: ['json'] }],
    });
    if (!path) return;
    try {
      const r = await call('model-import-json', { path, modelId });
      resetTo(r.model);
      notify(
        r.issues.length ? 'error' : 'ok',
        r.issues.length
          ? `Imported into the draft with ${r.issues.length} problem(s) to fix.`
          : 'Imported into the draft. Preview and publish when ready.',
      );
    } catch (err) {
      notify('error', errorText(err));
    }
  };

  const act = async (fn: () => Promise<unknown>, ok?: string) => {
    try {
      await fn();
      if (ok) notify('ok', ok);
      onModelsChanged();
    } catch (err) {
      notify('error', errorText(err));
    }
  };

  const issueCount = (t: EditorTab) => issues.filter((i) => issueTab(i) === t).length;
  const goToIssue = (i: ModelIssue) => {
    const t = issueTab(i);
    setTab(t);
    const idx = t === 'suppression' ? i.path[2] : i.path[1];
    if ((t === 'fit' || t === 'engagement' || t === 'negative' || t === 'suppression') && typeof idx === 'number')
      setExpanded({ tab: t, index: idx });
  };

  const saveWords: Record<SaveState, string> = {
    clean: publishedVersion ? `Version ${publishedVersion} · no draft` : 'Not published',
    pending: 'Unsaved changes…',
    saving: 'Saving draft…',
    saved: 'Draft saved',
    error: 'Draft not saved',
  };

  const panelProps = (t: EditorTab) => ({
    model: draft,
    issues,
    fields,
    onChange: change,
    expanded: expanded?.tab === t ? expanded.index : null,
    onExpand: (index: number | null) => setExpanded(index === null ? null : { tab: t, index }),
  });

  return (
    <div className="sc-editor-pane" data-testid="model-editor">
      <div className="sc-editor-head">
        <div className="sc-editor-head__title">
          <h2 data-testid="model-title">{draft.name || detail.name}</h2>
          {detail.isPrimary ? (
            <span className="badge badge--ok">
              <ScIcon name="star" size={11} /> Primary
            </span>
          ) : null}
          <span className="badge">{publishedVersion ? `v${publishedVersion} published` : 'Never published'}</span>
          <span className={`sc-save sc-save--${saveState}`} data-testid="save-state">
            {saveWords[saveState]}
          </span>
        </div>
        <div className="sc-editor-head__actions">
          <button
            type="button"
            className="btn"
            disabled={!validation.ok}
            title={
              validation.ok ? 'Score the workspace with this draft, without saving scores' : 'Fix the problems first'
            }
            onClick={() => setDialog('preview')}
          >
            <ScIcon name="play" size={14} /> Preview impact
          </button>
          <button
            type="button"
            className="btn btn--primary"
            disabled={!validation.ok || (!differs && publishedVersion !== null)}
            title={
              !validation.ok
                ? 'Fix the problems first'
                : !differs && publishedVersion !== null
                  ? 'Nothing changed since the published version'
                  : 'Publish as a new version and rescore'
            }
            onClick={() => setDialog('publish')}
          >
            Publish…
          </button>
          <MenuButton
            label="More model actions"
            items={[
              { label: 'Export JSON…', onSelect: () => void exportJson() },
              { label: 'Import JSON into draft…', onSelect: () => void importJson() },
              {
                label: 'Duplicate model',
                onSelect: () =>
                  void act(async () => {
                    if (saveState !== 'clean') await call('model-save-draft', { modelId, definition: draft });
                    const d = await call('model-create', {
                      name: `${draft.name || detail.name} copy`,
                      copyOf: modelId,
                    });
                    onSelectModel(d.id);
                  }, 'Model duplicated as a draft.'),
              },
              {
                label: 'Make primary',
                disabled: detail.isPrimary || publishedVersion === null,
                onSelect: () =>
                  void act(
                    () => call('model-set-primary', { modelId }),
                    `"${detail.name}" now drives segments, grades and the MQL queue.`,
                  ),
              },
              {
                label: 'Discard draft',
                disabled: saveState === 'clean' || publishedVersion === null,
                onSelect: () =>
                  void act(async () => {
                    resetTo(await call('model-discard-draft', { modelId }));
                  }, 'Draft discarded.'),
              },
              {
                label: 'Delete model',
                danger: true,
                disabled: detail.isPrimary,
                onSelect: () => setDialog('delete'),
              },
            ]}
          />
        </div>
      </div>

      {issues.length > 0 ? (
        <div className="sc-banner sc-banner--error" role="alert" data-testid="draft-issues">
          <ScIcon name="alert" />
          <div>
            <strong>
              {issues.length === 1 ? '1 problem' : `${issues.length} problems`} to fix before you can preview or publish
            </strong>
            <ul>
              {issues.slice(0, 4).map((i, n) => (
                <li key={n}>
                  <button type="button" className="sc-link" onClick={() => goToIssue(i)}>
                    {i.message}
                  </button>
                </li>
              ))}
              {issues.length > 4 ? <li className="muted">and {issues.length - 4} more</li> : null}
            </ul>
          </div>
        </div>
      ) : differs && publishedVersion !== null ? (
        <div className="sc-banner">
          <ScIcon name="edit" />
          <span>
            This draft differs from version {publishedVersion}. Leads are still scored with version {publishedVersion}{' '}
            until you publish.
          </span>
          <button type="button" className="btn btn--small" onClick={() => setDialog('preview')}>
            Preview impact
          </button>
        </div>
      ) : null}

      <div className="sc-tabs" role="tablist" aria-label="Model parts">
        {TABS.map((t) => {
          const n = issueCount(t.id);
          const count =
            t.id === 'fit'
              ? draft.fit.length
              : t.id === 'engagement'
                ? draft.engagement.length
                : t.id === 'negative'
                  ? draft.negative.length
                  : t.id === 'suppression'
                    ? draft.suppression.rules.length
                    : null;
          return (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              className={`sc-tab${tab === t.id ? ' is-on' : ''}`}
              onClick={() => setTab(t.id)}
            >
              {t.label}
              {count !== null ? <span className="sc-tab__count">{count}</span> : null}
              {n > 0 ? (
                <span className="sc-tab__issues" title={`${n} problem(s)`}>
                  {n}
                </span>
              ) : null}
            </button>
          );
        })}
      </div>

      <div className="sc-tabpanel" role="tabpanel">
        {tab === 'fit' ? <FitPanel {...panelProps('fit')} /> : null}
        {tab === 'engagement' ? <EngagementPanel {...panelProps('engagement')} /> : null}
        {tab === 'negative' ? <NegativePanel {...panelProps('negative')} /> : null}
        {tab === 'suppression' ? <SuppressionPanel {...panelProps('suppression')} /> : null}
        {tab === 'decay' ? <DecayPanel model={draft} issues={issues} onChange={change} /> : null}
        {tab === 'bands' ? <BandsPanel model={draft} issues={issues} onChange={change} /> : null}
        {tab === 'settings' ? <SettingsPanel model={draft} issues={issues} onChange={change} fields={fields} /> : null}
        {tab === 'versions' ? (
          <VersionsPanel
            modelId={modelId}
            modelName={draft.name || detail.name}
            hasDraft={saveState !== 'clean'}
            notify={notify}
            onRestored={(r) => {
              onJobStarted(r, `Restored as version ${r.version}`);
              onModelsChanged();
              void reload();
            }}
            onCopyToDraft={(m, v) => {
              change(normalizeDraft(m, detail.name));
              setTab('fit');
              notify('ok', `Version ${v} copied into the draft.`);
            }}
          />
        ) : null}
        {tab === 'test' ? (
          <LeadTester modelId={modelId} draft={draft} draftValid={validation.ok} published={published} />
        ) : null}
      </div>

      {dialog === 'preview' && validation.ok ? (
        <PreviewDialog
          modelId={modelId}
          draft={draft}
          progress={progress}
          onClose={() => setDialog(null)}
          onPublish={(p) => {
            setLastPreview(p);
            setDialog('publish');
          }}
        />
      ) : null}
      {dialog === 'delete' ? (
        <Modal
          title={`Delete "${detail.name}"?`}
          onClose={() => setDialog(null)}
          actions={
            <>
              <button type="button" className="btn" onClick={() => setDialog(null)}>
                Cancel
              </button>
              <button
                type="button"
                className="btn btn--primary btn--danger-fill"
                onClick={() => {
                  setDialog(null);
                  void act(() => call('model-delete', { modelId }), `"${detail.name}" deleted.`);
                }}
              >
                Delete model
              </button>
            </>
          }
        >
          <p>
            The model, its {versionCount === 1 ? 'version' : `${versionCount} versions`} and the scores it gave are
            removed. Leads keep the scores of the other models. Export it first if you may want it back.
          </p>
        </Modal>
      ) : null}
      {dialog === 'publish' && validation.ok ? (
        <PublishDialog
          modelId={modelId}
          modelName={draft.name || detail.name}
          draft={draft}
          nextVersion={versionCount + 1}
          preview={lastPreview}
          onClose={() => setDialog(null)}
          onPublished={(r) => onPublished(r, `Published version ${r.version}`)}
        />
      ) : null}
    </div>
  );
}
