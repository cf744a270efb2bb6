/** Confirms deleting a model: what goes with it (versions, the scores it gave) and what stays. */
import { Modal } from '../../components/Modal';

export function DeleteModelDialog({
  name,
  versionCount,
  onCancel,
  onDelete,
}: Readonly<{ name: string; versionCount: number; onCancel: () => void; onDelete: () => void }>) {
  return (
    <Modal
      title={`Delete "${name}"?`}
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="btn btn--primary btn--danger-fill" onClick={onDelete}>
            Delete model
          </button>
        </>
      }
    >
      <p>
        The model, its {versionCount === 1 ? 'version' : `${versionCount} versions`} and the scores it gave are removed.
        Leads keep the scores of the other models. Export it first if you may want it back.
      </p>
    </Modal>
  );
}
