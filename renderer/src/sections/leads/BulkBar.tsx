/**
 * The bulk action bar: shows what is selected (offering "select all N matching"), the
 * actions, a confirmation that states exactly how many leads will change, and after the
 * action a toast with Undo.
 */
import { useState } from 'react';
import type { BulkAction, BulkResult, LeadGridMeta, LeadSelectionInput } from '../../../../shared/contract';
import { ApiFailure, call, errorMessage } from '../../api';
import { Modal } from '../../components/Modal';
import { formatCount, plural } from '../../format';

type Pending = Readonly<{ action: BulkAction; title: string; danger?: boolean }>;

export function BulkBar({
  count,
  total,
  allMatching,
  meta,
  selection,
  onSelectAll,
  onClear,
  onDone,
}: Readonly<{
  count: number;
  total: number;
  allMatching: boolean;
  meta: LeadGridMeta | undefined;
  selection: () => LeadSelectionInput;
  onSelectAll: () => void;
  onClear: () => void;
  onDone: (result: BulkResult) => void;
}>) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [confirmCount, setConfirmCount] = useState<number | null>(null);
  const [tag, setTag] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function ask(p: Pending) {
    setError(null);
    setPending(p);
    setConfirmCount(null);
    try {
      const r = await call('leads-select', { selection: selection() });
      setConfirmCount(r.count);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function run(action: BulkAction) {
    if (!pending || confirmCount === null) return;
    setBusy(true);
    setError(null);
    try {
      const result = await call('leads-bulk', { selection: selection(), action, confirmCount });
      setPending(null);
      onDone(result);
    } catch (err) {
      if (
        err instanceof ApiFailure &&
        err.code === 'VALIDATION' &&
        typeof (err.details as { count?: number })?.count === 'number'
      ) {
        setConfirmCount((err.details as { count: number }).count);
      }
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="lg-bulk" role="region" aria-label="Bulk actions">
      <strong>{plural(count, 'lead')} selected</strong>
      {!allMatching && total > count ? (
        <button
          type="button"
          className="btn btn--small btn--ghost"
          aria-label={`Select all ${formatCount(total)} matching`}
          onClick={onSelectAll}
        >
          All {formatCount(total)} matching
        </button>
      ) : null}
      <span className="lg-bulk__sep" />
      {/* Choosing an owner or a stage asks at once: the confirmation names the count, so no
          second button is needed, and the bar stays one line at 1280 px. */}
      <select
        aria-label="Assign owner"
        value=""
        onChange={(e) => {
          if (!e.target.value) return;
          const ownerId = e.target.value === 'none' ? null : Number(e.target.value);
          const name = meta?.owners.find((o) => o.id === ownerId)?.name ?? 'no owner';
          void ask({ action: { kind: 'assign-owner', ownerId }, title: `Assign to ${name}` });
        }}
      >
        <option value="">Assign owner…</option>
        <option value="none">(no owner)</option>
        {meta?.owners
          .filter((o) => o.active)
          .map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
      </select>
      <select
        aria-label="Set stage"
        value=""
        onChange={(e) => {
          const stage = e.target.value;
          if (!stage) return;
          void ask({
            action: { kind: 'set-stage', stage },
            title: `Move to ${meta?.stages.find((s) => s.key === stage)?.label ?? stage}`,
          });
        }}
      >
        <option value="">Set stage…</option>
        {meta?.stages.map((s) => (
          <option key={s.key} value={s.key}>
            {s.label}
          </option>
        ))}
      </select>
      <input
        className="input lg-bulk__input"
        placeholder="tag"
        aria-label="Tag"
        value={tag}
        onChange={(e) => setTag(e.target.value)}
      />
      <button
        type="button"
        className="btn btn--small"
        disabled={!tag.trim()}
        onClick={() => void ask({ action: { kind: 'add-tag', tag: tag.trim() }, title: `Add tag "${tag.trim()}"` })}
      >
        Add tag
      </button>
      <button
        type="button"
        className="btn btn--small"
        onClick={() =>
          void ask({ action: { kind: 'suppress', reason: 'Suppressed from the leads grid' }, title: 'Suppress' })
        }
      >
        Suppress
      </button>
      <button
        type="button"
        className="btn btn--small"
        onClick={() => void ask({ action: { kind: 'unsuppress' }, title: 'Unsuppress' })}
      >
        Unsuppress
      </button>
      <button
        type="button"
        className="btn btn--small btn--danger"
        onClick={() => void ask({ action: { kind: 'delete' }, title: 'Delete', danger: true })}
      >
        Delete…
      </button>
      <button
        type="button"
        className="btn btn--small btn--ghost"
        aria-label="Clear selection"
        title="Clear selection"
        onClick={onClear}
      >
        ✕
      </button>
      {pending ? (
        <Modal
          title={`${pending.title}: ${confirmCount === null ? '…' : plural(confirmCount, 'lead')}`}
          onClose={() => setPending(null)}
          busy={busy}
          actions={
            <>
              <button type="button" className="btn" onClick={() => setPending(null)} disabled={busy}>
                Cancel
              </button>
              <button
                type="button"
                className={`btn ${pending.danger ? 'btn--danger' : 'btn--primary'}`}
                disabled={busy || confirmCount === null || confirmCount === 0}
                onClick={() =>
                  void run(
                    pending.action.kind === 'suppress' && reason.trim()
                      ? { kind: 'suppress', reason: reason.trim() }
                      : pending.action,
                  )
                }
              >
                {pending.danger ? `Delete ${confirmCount === null ? '' : plural(confirmCount, 'lead')}` : 'Confirm'}
              </button>
            </>
          }
        >
          {pending.action.kind === 'suppress' ? (
            <label className="lg-field">
              <span>Reason</span>
              <input
                className="input"
                value={reason}
                placeholder="Suppressed from the leads grid"
                onChange={(e) => setReason(e.target.value)}
              />
            </label>
          ) : null}
          <p className="muted">
            {pending.danger
              ? 'The leads, their activities, scores, stage history and notes are removed. You can undo this right after.'
              : 'You can undo this right after.'}
          </p>
          {error ? (
            <div className="field-error" role="alert">
              {error}
            </div>
          ) : null}
        </Modal>
      ) : error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}
