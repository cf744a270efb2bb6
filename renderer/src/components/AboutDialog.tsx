/** Help > About: version and where the data lives. */
import type { WorkspaceInfo } from '../../../shared/contract';

export function AboutDialog({ info, onClose }: Readonly<{ info: WorkspaceInfo | undefined; onClose: () => void }>) {
  return (
    <div className="modal-backdrop" role="presentation" onClick={onClose}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="about-title"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="about-title">About Leadbench</h2>
        <p>An offline lead workbench: import, score, follow up, report and export — on this computer only.</p>
        {info ? (
          <p className="muted">
            Workspace <code>{info.path}</code> (schema {info.schemaVersion})
          </p>
        ) : null}
        <div className="modal__actions">
          <button type="button" className="btn btn--primary" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
