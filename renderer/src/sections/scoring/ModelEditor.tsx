/**
 * The editor of one model: a local draft validated on every change (the same validator
 * the backend runs), saved as the model's draft shortly after each edit, with tabs for the
 * rule tables and model settings, "Preview impact", "Publish", history and a lead tester.
 * The parts live beside it: head and actions (EditorHeader), banners, tab bar, the tab's
 * panel, the draft state (useModelDraft), autosave (useDraftAutosave), JSON files
 * (useModelFiles) and the dialogs (EditorDialogs, below).
 */
import { useState } from 'react';
import type { JobProgress, ModelDetail, PublishResult } from '../../../../shared/contract';
import type { ModelIssue } from '../../../../shared/scoring';
import { call, errorMessage } from '../../api';
import { DeleteModelDialog } from './DeleteModelDialog';
import { normalizeDraft, type EditorTab } from './draft';
import { DraftDiffersBanner, DraftIssuesBanner } from './EditorBanners';
import { EditorHeader } from './EditorHeader';
import { issueTarget } from './editor-state';
import { EditorTabPanel } from './EditorTabPanel';
import { EditorTabs } from './EditorTabs';
import { PreviewDialog, PublishDialog } from './ImpactDialogs';
import { useDraftAutosave } from './useDraftAutosave';
import { useModelCheck } from './useModelCheck';
import { useModelDraft, type ModelDraft } from './useModelDraft';
import { useModelFiles } from './useModelFiles';
import type { FieldOption } from './words';

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
  const model = useModelDraft(detail);
  const { draft, saveState, publishedVersion, issues } = model;
  const [tab, setTab] = useState<EditorTab>('fit');
  const [expanded, setExpanded] = useState<Readonly<{ tab: EditorTab; index: number }> | null>(null);
  const [dialog, setDialog] = useState<EditorDialog>(null);

  useDraftAutosave(modelId, draft, saveState, model.setSaveState, notify);
  const check = useModelCheck(draft, model.valid);
  const files = useModelFiles(modelId, draft, saveState, model.reset, notify);

  const reload = async () => {
    try {
      model.reset(await call('model-get', { modelId }));
    } catch (err) {
      notify('error', errorMessage(err));
    }
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
        valid={model.valid}
        differs={model.differs}
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
              model.reset(await call('model-discard-draft', { modelId }));
            }, 'Draft discarded.'),
          askDelete: () => setDialog('delete'),
        }}
      />

      {issues.length > 0 ? (
        <DraftIssuesBanner issues={issues} onGoTo={goToIssue} />
      ) : model.differs && publishedVersion !== null ? (
        <DraftDiffersBanner publishedVersion={publishedVersion} onPreview={() => setDialog('preview')} />
      ) : null}

      <EditorTabs draft={draft} issues={issues} tab={tab} onTab={setTab} />

      <EditorTabPanel
        tab={tab}
        modelId={modelId}
        modelName={draft.name || detail.name}
        draft={draft}
        draftValid={model.valid}
        published={model.published}
        check={check}
        issues={issues}
        fields={fields}
        expanded={expanded}
        hasDraft={saveState !== 'clean'}
        onChange={model.edit}
        onExpand={setExpanded}
        notify={notify}
        onRestored={(r) => {
          onJobStarted(r, `Restored as version ${r.version}`);
          onModelsChanged();
          void reload();
        }}
        onCopyToDraft={(m, v) => {
          model.edit(normalizeDraft(m, detail.name));
          setTab('fit');
          notify('ok', `Version ${v} copied into the draft.`);
        }}
      />

      <EditorDialogs
        dialog={dialog}
        detail={detail}
        model={model}
        progress={progress}
        onDialog={setDialog}
        onPublished={(r) => {
          setDialog(null);
          model.markPublished(r.version);
          onJobStarted(r, `Published version ${r.version}`);
          onModelsChanged();
        }}
        onDelete={() => {
          setDialog(null);
          void act(() => call('model-delete', { modelId }), `"${detail.name}" deleted.`);
        }}
      />
    </div>
  );
}

type EditorDialog = 'preview' | 'publish' | 'delete' | null;

/** The editor's dialogs: preview the draft's impact, publish it (with the last preview), delete the model. */
function EditorDialogs({
  dialog,
  detail,
  model,
  progress,
  onDialog,
  onPublished,
  onDelete,
}: Readonly<{
  dialog: EditorDialog;
  detail: ModelDetail;
  model: ModelDraft;
  progress: Readonly<Record<string, JobProgress>>;
  onDialog: (d: EditorDialog) => void;
  onPublished: (r: PublishResult) => void;
  onDelete: () => void;
}>) {
  if (dialog === 'delete') {
    return (
      <DeleteModelDialog
        name={detail.name}
        versionCount={model.versionCount}
        onCancel={() => onDialog(null)}
        onDelete={onDelete}
      />
    );
  }
  if (!model.valid) return null;
  if (dialog === 'preview') {
    return (
      <PreviewDialog
        modelId={detail.id}
        draft={model.draft}
        progress={progress}
        onClose={() => onDialog(null)}
        onPublish={(p) => {
          model.previewed(p);
          onDialog('publish');
        }}
      />
    );
  }
  if (dialog === 'publish') {
    return (
      <PublishDialog
        modelId={detail.id}
        modelName={model.draft.name || detail.name}
        draft={model.draft}
        nextVersion={model.versionCount + 1}
        preview={model.lastPreview}
        onClose={() => onDialog(null)}
        onPublished={onPublished}
      />
    );
  }
  return null;
}
