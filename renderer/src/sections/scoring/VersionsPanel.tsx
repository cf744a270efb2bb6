/**
 * The model's history: every published version with its note; restore one (published
 * again as a new version, then a full rescore), export it, or copy it into the draft.
 */
import { useState } from 'react';
import type { ModelVersionInfo, PublishResult } from '../../../../shared/contract';
import type { ScoringModel } from '../../../../shared/scoring';
import { call, shell, useApi, errorMessage } from '../../api';
import { ErrorState } from '../../components/EmptyState';
import { formatDateTime } from '../../format';
import { modelFileName } from './editor-state';
import { Modal } from '../../components/Modal';

export function VersionsPanel({
  modelId,
  modelName,
  hasDraft,
  onRestored,
  onCopyToDraft,
  notify,
}: Readonly<{
  modelId: number;
  modelName: string;
  hasDraft: boolean;
  onRestored: (r: PublishResult) => void;
  onCopyToDraft: (m: ScoringModel, version: number) => void;
  notify: (kind: 'ok' | 'error', text: string) => void;
}>) {
  const versions = useApi('model-versions', { modelId }, { refreshOn: ['models'] });
  const [restoring, setRestoring] = useState<ModelVersionInfo | null>(null);

  const exportVersion = async (v: ModelVersionInfo) => {
    const path = await shell().saveFileDialog({
      title: 'Export model version',
      defaultPath: modelFileName(modelName, v.version),
      filters: [{ name: 'Scoring model', extensions: ['json'] }],
    });
    if (!path) return;
    try {
      const r = await call('model-export-json', { modelId, path, version: v.version });
      notify('ok', `Exported version ${v.version} to ${r.path}`);
    } catch (err) {
      notify('error', errorMessage(err));
    }
  };

  const list = versions.data ?? [];
  return (
    <div className="card" data-testid="versions">
      <h2>Version history</h2>
      <p className="muted">
        Every publish is kept. Restoring publishes that version again as a new version and rescores every lead.
      </p>
      {versions.error ? <ErrorState message={versions.error.message} onRetry={versions.reload} /> : null}
      {list.length === 0 && !versions.loading ? (
        <p className="sc-rules__empty">Not published yet. Publish the draft to create version 1.</p>
      ) : (
        <table className="table sc-table sc-versions">
          <thead>
            <tr>
              <th>Version</th>
              <th>Published</th>
              <th>Note</th>
              <th>Rules</th>
              <th className="sc-col-actions" />
            </tr>
          </thead>
          <tbody>
            {[...list]
              .sort((a, b) => b.version - a.version)
              .map((v) => (
                <tr key={v.version} data-testid="version-row">
                  <td>
                    <strong>v{v.version}</strong>{' '}
                    {v.isCurrent ? <span className="badge badge--ok">Current</span> : null}
                  </td>
                  <td className="sc-nowrap">{formatDateTime(v.publishedAt)}</td>
                  <td>{v.note ?? <span className="muted">—</span>}</td>
                  <td className="muted sc-nowrap">
                    {v.definition.fit.length} fit ·{' '}
                    {v.definition.engagement.length + (v.definition.fieldEngagement?.length ?? 0)} eng. ·{' '}
                    {v.definition.negative.length} neg.
                  </td>
                  <td className="sc-col-actions sc-nowrap">
                    <button
                      type="button"
                      className="btn btn--small"
                      onClick={() => onCopyToDraft(v.definition, v.version)}
                    >
                      Copy to draft
                    </button>
                    <button type="button" className="btn btn--small" onClick={() => void exportVersion(v)}>
                      Export…
                    </button>
                    <button
                      type="button"
                      className="btn btn--small"
                      disabled={v.isCurrent}
                      onClick={() => setRestoring(v)}
                    >
                      Restore…
                    </button>
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      {restoring ? (
        <RestoreDialog
          modelId={modelId}
          version={restoring}
          hasDraft={hasDraft}
          onClose={() => setRestoring(null)}
          onRestored={(r) => {
            setRestoring(null);
            onRestored(r);
          }}
          notify={notify}
        />
      ) : null}
    </div>
  );
}

/** Restores a version after a confirmation (with an optional note): published again as a new version, every lead rescored. */
function RestoreDialog({
  modelId,
  version,
  hasDraft,
  onClose,
  onRestored,
  notify,
}: Readonly<{
  modelId: number;
  version: ModelVersionInfo;
  hasDraft: boolean;
  onClose: () => void;
  onRestored: (r: PublishResult) => void;
  notify: (kind: 'ok' | 'error', text: string) => void;
}>) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const restore = async () => {
    setBusy(true);
    try {
      onRestored(await call('model-restore', { modelId, version: version.version, note: note.trim() || undefined }));
    } catch (err) {
      notify('error', errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={`Restore version ${version.version}?`}
      onClose={onClose}
      busy={busy}
      actions={
        <>
          <button type="button" className="btn" disabled={busy} onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void restore()}>
            {busy ? 'Restoring…' : 'Restore and rescore'}
          </button>
        </>
      }
    >
      <p>
        Version {version.version} ({formatDateTime(version.publishedAt)}) becomes the current version again, as a new
        version. Every lead is rescored; nothing in the history is lost.
      </p>
      {hasDraft ? (
        <p className="sc-callout sc-callout--warn">
          The unpublished draft is replaced by version {version.version}. Export it first if you want to keep it.
        </p>
      ) : null}
      <textarea
        className="input sc-textarea"
        rows={2}
        aria-label="Restore note"
        placeholder={`Restored version ${version.version}`}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
    </Modal>
  );
}
