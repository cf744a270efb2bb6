/**
 * File > Back up workspace…: a consistent copy of the open workspace (SQLite online
 * backup, safe while the app keeps working), plus the list of recent backups, including
 * the automatic ones taken before destructive operations.
 */
import { useState } from 'react';
import type { BackupInfo } from '../../../shared/contract';
import { call, shell, useApi, errorMessage } from '../api';
import { ErrorState } from '../components/EmptyState';
import { Modal } from '../components/Modal';
import { formatBytes, formatDateTime } from '../format';

export function BackupDialog({ onClose }: Readonly<{ onClose: () => void }>) {
  const backups = useApi('backups-list', {});
  const [made, setMade] = useState<BackupInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function backUp(choosePath: boolean) {
    setError(null);
    const out = choosePath
      ? await shell().saveFileDialog({
          title: 'Back up workspace to',
          defaultPath: `Leadbench backup ${new Date().toISOString().slice(0, 10)}.leadbench`,
          filters: [{ name: 'Leadbench workspace', extensions: ['leadbench'] }],
        })
      : undefined;
    if (choosePath && !out) return;
    setBusy(true);
    try {
      setMade(await call('workspace-backup', out ? { out } : {}));
      backups.reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title="Back up workspace"
      wide
      onClose={onClose}
      actions={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => void backUp(true)}>
            Save a copy as…
          </button>
          <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void backUp(false)}>
            {busy ? 'Backing up…' : 'Back up now'}
          </button>
        </>
      }
    >
      <p>A backup is a complete, consistent copy of this workspace. You can keep working while it is written.</p>
      {made ? (
        <p className="notice" data-testid="backup-result">
          Backed up to <code>{made.path}</code> ({formatBytes(made.sizeBytes)}).
        </p>
      ) : null}
      {error ? <ErrorState message={error} /> : null}
      <table className="table">
        <thead>
          <tr>
            <th>When</th>
            <th>Why</th>
            <th>File</th>
            <th>Size</th>
          </tr>
        </thead>
        <tbody>
          {(backups.data ?? []).map((b) => (
            <tr key={b.id}>
              <td>{formatDateTime(b.createdAt)}</td>
              <td>{b.kind === 'auto' ? `Automatic: ${b.reason}` : b.reason || 'Manual'}</td>
              <td>
                <code>{b.path}</code>
                {b.exists ? '' : ' (file missing)'}
              </td>
              <td>{formatBytes(b.sizeBytes)}</td>
            </tr>
          ))}
          {backups.data?.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted">
                No backups yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </Modal>
  );
}
