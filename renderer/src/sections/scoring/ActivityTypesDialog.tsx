/**
 * Scoring > Activity types: every type with its activity count; a workspace type (a file's
 * own word) can be renamed in place (rules on it keep working: they store its key) or merged
 * into another type (its activities move, rules on it are pointed there, leads are rescored).
 * A merge has no undo: it is confirmed first, and the backend keeps a backup before it.
 */
import { useState } from 'react';
import type { ActivityTypeInfo, ActivityTypeMerge } from '../../../../shared/contract';
import { call, errorMessage, useApi } from '../../api';
import { Modal } from '../../components/Modal';
import { formatCount, plural } from '../../format';

type Editing = Readonly<{ type: ActivityTypeInfo; mode: 'rename' | 'merge'; value: string }>;

/** What a merge did, in one sentence. */
export function mergeSummary(m: ActivityTypeMerge): string {
  const rules = m.models.reduce((n, x) => n + new Set([...x.draftRules, ...x.publishedRules].map((r) => r.id)).size, 0);
  return (
    `Merged "${m.from.label}" into "${m.into.label}": ${plural(m.moved, 'activity', 'activities')} moved` +
    (m.duplicates ? `, ${formatCount(m.duplicates)} duplicates dropped` : '') +
    (rules ? `, ${plural(rules, 'rule')} now count "${m.into.label}"` : '') +
    '.'
  );
}

export function ActivityTypesDialog({
  onClose,
  onMerged,
}: Readonly<{ onClose: () => void; onMerged: (m: ActivityTypeMerge) => void }>) {
  const types = useApi('activity-types', {}, { refreshOn: ['imports', 'activities'] });
  const [editing, setEditing] = useState<Editing | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = types.data ?? [];
  const workspace = list.filter((t) => !t.builtIn);

  const close = () => {
    setEditing(null);
    setConfirming(false);
    setError(null);
  };

  const rename = async (e: Editing) => {
    setBusy(true);
    try {
      await call('activity-type-rename', { type: e.type.type, label: e.value });
      close();
      types.reload();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const merge = async (e: Editing) => {
    setBusy(true);
    try {
      const r = await call('activity-type-merge', { from: e.type.type, into: e.value as ActivityTypeInfo['type'] });
      close();
      types.reload();
      onMerged(r);
    } catch (err) {
      setError(errorMessage(err));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  const target = editing?.mode === 'merge' ? list.find((t) => t.type === editing.value) : undefined;

  return (
    <Modal
      title="Activity types"
      wide
      busy={busy}
      onClose={onClose}
      actions={
        <button type="button" className="btn" onClick={onClose} disabled={busy}>
          Close
        </button>
      }
    >
      <p className="muted">
        Types your files named in their own words become workspace types. Rename one (rules that count it keep working)
        or merge it into another type (its activities move there, rules on it follow, and leads are rescored).
      </p>
      {types.error && !types.data ? <p role="alert">{types.error.message}</p> : null}
      <table className="table at-table" aria-label="Activity types">
        <thead>
          <tr>
            <th>Type</th>
            <th className="at-num">Activities</th>
            <th>Kind</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {list.map((t) => {
            const on = editing?.type.type === t.type ? editing : null;
            return (
              <tr key={t.type} data-testid="activity-type-row" data-type={t.type}>
                <td className="at-name">
                  {on?.mode === 'rename' ? (
                    <form
                      className="at-inline"
                      onSubmit={(ev) => {
                        ev.preventDefault();
                        void rename(on);
                      }}
                    >
                      <input
                        className="input"
                        aria-label={`New name for ${t.label}`}
                        value={on.value}
                        maxLength={100}
                        autoFocus
                        onChange={(ev) => setEditing({ ...on, value: ev.target.value })}
                        onKeyDown={(ev) => {
                          if (ev.key === 'Escape') {
                            ev.stopPropagation();
                            close();
                          }
                        }}
                      />
                      <button type="submit" className="btn btn--small btn--primary" disabled={busy || !on.value.trim()}>
                        Save
                      </button>
                      <button type="button" className="btn btn--small" onClick={close}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    t.label
                  )}
                </td>
                <td className="at-num">{formatCount(t.activities)}</td>
                <td className="muted">{t.builtIn ? 'Built-in' : 'From your files'}</td>
                <td className="at-actions">
                  {t.builtIn || on ? null : (
                    <>
                      <button
                        type="button"
                        className="btn btn--small"
                        onClick={() => {
                          setError(null);
                          setEditing({ type: t, mode: 'rename', value: t.label });
                        }}
                      >
                        Rename
                      </button>
                      <button
                        type="button"
                        className="btn btn--small"
                        onClick={() => {
                          setError(null);
                          setEditing({ type: t, mode: 'merge', value: '' });
                        }}
                      >
                        Merge into…
                      </button>
                    </>
                  )}
                  {on?.mode === 'merge' ? (
                    <span className="at-inline">
                      <select
                        className="input"
                        aria-label={`Merge ${t.label} into`}
                        value={on.value}
                        onChange={(ev) => setEditing({ ...on, value: ev.target.value })}
                      >
                        <option value="">Choose a type…</option>
                        {list
                          .filter((x) => x.type !== t.type)
                          .map((x) => (
                            <option key={x.type} value={x.type}>
                              {x.label}
                              {x.builtIn ? ' (built-in)' : ''}
                            </option>
                          ))}
                      </select>
                      <button
                        type="button"
                        className="btn btn--small btn--primary"
                        disabled={!on.value}
                        onClick={() => setConfirming(true)}
                      >
                        Merge
                      </button>
                      <button type="button" className="btn btn--small" onClick={close}>
                        Cancel
                      </button>
                    </span>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {workspace.length === 0 && types.data ? (
        <p className="muted">No workspace types yet: every activity so far has a built-in type.</p>
      ) : null}
      {error ? (
        <p className="at-error" role="alert">
          {error}
        </p>
      ) : null}
      {confirming && editing?.mode === 'merge' && target ? (
        <Modal
          title={`Merge "${editing.type.label}" into "${target.label}"?`}
          busy={busy}
          onClose={() => setConfirming(false)}
          actions={
            <>
              <button type="button" className="btn" onClick={() => setConfirming(false)} disabled={busy}>
                Cancel
              </button>
              <button type="button" className="btn btn--primary" onClick={() => void merge(editing)} disabled={busy}>
                Merge and rescore
              </button>
            </>
          }
        >
          <p>
            {plural(editing.type.activities, 'activity', 'activities')} of "{editing.type.label}" become "{target.label}
            " activities. Rules that count "{editing.type.label}" will count "{target.label}" instead (a published model
            gets a new version; the old one stays in its history), and every lead is rescored. Files you import later
            with "{editing.type.label}" land on "{target.label}".
          </p>
          <p>A merge cannot be undone; a backup of the workspace is kept first.</p>
        </Modal>
      ) : null}
    </Modal>
  );
}
