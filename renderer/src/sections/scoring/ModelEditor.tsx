/**
 * The editor of one model: a local draft validated on every change (the same validator
 * the backend runs), saved as the model's draft shortly after each edit, with tabs for the
 * rule tables and model settings, "Preview impact", "Publish", history and a lead tester.
 * The parts live beside it: head and actions (EditorHeader), banners, tab bar, the tab's
 * panel, autosave (useDraftAutosave) and JSON files (useModelFiles).
 */
import { useMemo, useState } from 'react';
import type { JobProgress, ModelDetail, ModelPreview, PublishResult } from '../../../../shared/contract';
import { validateModel, type ModelIssue, type ScoringModel } from '../../../../shared/scoring';
import { call, errorMessage } from '../../api';
import { DeleteModelDialog } from './DeleteModelDialog';
import { normalizeDraft, type EditorTab } from './draft';
import { DraftDiffersBanner, DraftIssuesBanner } from './EditorBanners';
import { EditorHeader } from './EditorHeader';
import { issueTarget, type SaveState } from './editor-state';
import { EditorTabPanel } from './EditorTabPanel';
import { EditorTabs } from './EditorTabs';
import { PreviewDialog, PublishDialog } from './ImpactDialogs';
import { useDraftAutosave } from './useDraftAutosave';
import { useModelCheck } from './useModelCheck';
import { useModelFiles } from './useModelFiles';
import type { FieldOption } from './words';

function initialDraft(d: ModelDetail): ScoringModel {
  return normalizeDraft(d.draft ?? d.published, d.name);
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

  useDraftAutosave(modelId, draft, saveState, setSaveState, notify);
  const check = useModelCheck(draft, validation.ok);

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

  const files = useModelFiles(modelId, draft, saveState, resetTo, notify);

  const reload = async () => {
    try {
      resetTo(await call('model-get', { modelId }));
    } catch (err) {
      notify('error', errorMessage(err));
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

  const act = async (fn: () => Promise<unknown>, ok?: string) => {
    try {
      await fn();
      if (ok) notify('ok', ok);
      onModelsChanged();
    } catch (err) {
      notify('error', errorMessage(err));
    }
  };

  const saveFirst = async () => {
    if (saveState !== 'clean') await call('model-save-draft', { modelId, definition: draft });
  };

  const goToIssue = (i: ModelIssue) => {
    const target = issueTarget(i, draft);
    setTab(target.tab);
    if (target.index !== null) setExpanded({ tab: target.tab, index: target.index });
  };

  return (
    <div className="sc-editor-pane" data-testid="model-editor">
      <EditorHeader
        title={draft.name || detail.name}
        detail={detail}
        publishedVersion={publishedVersion}
        saveState={saveState}
        valid={validation.ok}
        differs={differs}
        actions={{
          preview: () => setDialog('preview'),
          publish: () => setDialog('publish'),
          exportJson: () => void files.exportJson(),
          importJson: () => void files.importJson(),
          duplicate: () =>
            void act(async () => {
              await saveFirst();
              const d = await call('model-create', { name: `${draft.name || detail.name} copy`, copyOf: modelId });
              onSelectModel(d.id);
            }, 'Model duplicated as a draft.'),
          makePrimary: () =>
            void act(
              () => call('model-set-primary', { modelId }),
              `"${detail.name}" now drives segments, grades and the MQL queue.`,
            ),
          discardDraft: () =>
            void act(async () => {
              resetTo(await call('model-discard-draft', { modelId }));
            }, 'Draft discarded.'),
          askDelete: () => setDialog('delete'),
        }}
      />

      {issues.length > 0 ? (
        <DraftIssuesBanner issues={issues} onGoTo={goToIssue} />
      ) : differs && publishedVersion !== null ? (
        <DraftDiffersBanner publishedVersion={publishedVersion} onPreview={() => setDialog('preview')} />
      ) : null}

      <EditorTabs draft={draft} issues={issues} tab={tab} onTab={setTab} />

      <EditorTabPanel
        tab={tab}
        modelId={modelId}
        modelName={draft.name || detail.name}
        draft={draft}
        draftValid={validation.ok}
        published={published}
        check={check}
        issues={issues}
        fields={fields}
        expanded={expanded}
        hasDraft={saveState !== 'clean'}
        onChange={change}
        onExpand={setExpanded}
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
        <DeleteModelDialog
          name={detail.name}
          versionCount={versionCount}
          onCancel={() => setDialog(null)}
          onDelete={() => {
            setDialog(null);
            void act(() => call('model-delete', { modelId }), `"${detail.name}" deleted.`);
          }}
        />
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
