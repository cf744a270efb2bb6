/** Help > About: what Leadbench is and where the data lives. */
import type { WorkspaceInfo } from '../../../shared/contract';
import { Modal } from './Modal';

export function AboutDialog({ info, onClose }: Readonly<{ info: WorkspaceInfo | undefined; onClose: () => void }>) {
  return (
    <Modal
      title="About Leadbench"
      onClose={onClose}
      actions={
        <button type="button" className="btn btn--primary" onClick={onClose} autoFocus>
          Close
        </button>
      }
    >
      <p>
        <strong data-testid="app-version">Version {info?.appVersion ?? '…'}</strong>
      </p>
      <p>An offline lead workbench: import, score, follow up, report and export — on this computer only.</p>
      {info ? (
        <p className="muted">
          Workspace <code>{info.path}</code> (schema {info.schemaVersion})
        </p>
      ) : null}
    </Modal>
  );
}
