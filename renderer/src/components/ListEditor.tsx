/**
 * One editor for a settings list (owners, routing rules, SLA policies): a table of the
 * saved items with Edit and Delete, optional reordering (up/down buttons, or dragging a
 * row), and a form below for adding or editing one item, with its validation messages.
 * Each list says only what differs: its columns, its draft form, how it validates and saves.
 */
import { useState, type ReactNode } from 'react';
import { attempt, type Notify } from '../api';

export type ListColumn<T> = Readonly<{ header: string; cell: (item: T) => ReactNode; className?: string }>;

export type ListEditorProps<T extends { readonly id: number }, D> = Readonly<{
  /** Heading and the region's accessible name ("Routing rules"). */
  title: string;
  /** What one item is called, capitalized: "Owner", "Routing rule"; names the form. */
  noun: string;
  /** The short word on the buttons: "Add rule", "Save rule", "Move rule X up". */
  shortNoun: string;
  help?: ReactNode;
  emptyText: string;
  items: readonly T[];
  itemName: (item: T) => string;
  columns: readonly ListColumn<T>[];
  isInactive?: (item: T) => boolean;
  /** A blank draft, and the draft of a saved item (carrying its id, so saving updates it). */
  blank: () => D;
  toDraft: (item: T) => D;
  /** Messages that block saving ("Name is required"); empty when the draft can be saved. */
  validate: (draft: D) => readonly string[];
  save: (draft: D) => Promise<unknown>;
  savedMessage: (draft: D) => string;
  remove: (item: T) => Promise<unknown>;
  /** A question to confirm before deleting; none deletes at once. */
  confirmRemove?: (item: T) => string | null;
  /** Saves a new order; lists without one cannot be reordered. */
  reorder?: (ids: number[]) => Promise<unknown>;
  renderForm: (draft: D, change: (patch: Partial<D>) => void) => ReactNode;
  onMessage: Notify;
}>;

/** The ids in their new order after moving the item at `from` to `to`. */
export function movedIds(ids: readonly number[], from: number, to: number): number[] {
  const next = [...ids];
  const [moved] = next.splice(from, 1);
  if (moved === undefined) return next;
  next.splice(Math.max(0, Math.min(next.length, to)), 0, moved);
  return next;
}

export function ListEditor<T extends { readonly id: number }, D extends object>(props: ListEditorProps<T, D>) {
  const { items, noun, shortNoun, onMessage, reorder } = props;
  const [draft, setDraft] = useState<D | null>(null);
  const [tried, setTried] = useState(false);
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const messages = draft ? props.validate(draft) : [];

  function open(d: D) {
    setDraft(d);
    setTried(false);
  }

  async function save() {
    if (!draft) return;
    setTried(true);
    if (messages.length > 0) return;
    if (await attempt(() => props.save(draft), onMessage, props.savedMessage(draft))) setDraft(null);
  }

  function move(from: number, to: number) {
    if (!reorder || from === to) return;
    const ids = movedIds(
      items.map((i) => i.id),
      from,
      to,
    );
    void attempt(() => reorder(ids), onMessage);
  }

  function remove(item: T) {
    const question = props.confirmRemove?.(item);
    if (question && !window.confirm(question)) return;
    void attempt(() => props.remove(item), onMessage, `Deleted ${shortNoun} "${props.itemName(item)}"`);
  }

  return (
    <section className="card fu-card" aria-label={props.title}>
      <div className="fu-card__head">
        <h2>{props.title}</h2>
        <button type="button" className="btn btn--small" onClick={() => open(props.blank())}>
          Add {shortNoun}
        </button>
      </div>
      {props.help ? <p className="muted fu-help">{props.help}</p> : null}
      {items.length === 0 ? (
        <p className="muted fu-help">{props.emptyText}</p>
      ) : (
        <table className="table list-editor">
          <thead>
            <tr>
              {reorder ? <th className="list-editor__pos">#</th> : null}
              {props.columns.map((c) => (
                <th key={c.header} className={c.className}>
                  {c.header}
                </th>
              ))}
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item, i) => {
              const name = props.itemName(item);
              return (
                <tr
                  key={item.id}
                  className={`${props.isInactive?.(item) ? 'fu-inactive' : ''}${dragFrom === i ? ' is-dragging' : ''}`}
                  draggable={!!reorder}
                  onDragStart={(e) => {
                    setDragFrom(i);
                    e.dataTransfer.effectAllowed = 'move';
                  }}
                  onDragOver={(e) => {
                    if (dragFrom !== null) e.preventDefault();
                  }}
                  onDrop={(e) => {
                    e.preventDefault();
                    if (dragFrom !== null) move(dragFrom, i);
                    setDragFrom(null);
                  }}
                  onDragEnd={() => setDragFrom(null)}
                >
                  {reorder ? (
                    <td className="list-editor__pos" title="Drag to reorder">
                      {i + 1}
                    </td>
                  ) : null}
                  {props.columns.map((c) => (
                    <td key={c.header} className={c.className}>
                      {c.cell(item)}
                    </td>
                  ))}
                  <td className="fu-actions">
                    {reorder ? (
                      <>
                        <button
                          type="button"
                          className="btn btn--small btn--ghost"
                          disabled={i === 0}
                          onClick={() => move(i, i - 1)}
                          aria-label={`Move ${shortNoun} ${name} up`}
                        >
                          ↑
                        </button>
                        <button
                          type="button"
                          className="btn btn--small btn--ghost"
                          disabled={i === items.length - 1}
                          onClick={() => move(i, i + 1)}
                          aria-label={`Move ${shortNoun} ${name} down`}
                        >
                          ↓
                        </button>
                      </>
                    ) : null}
                    <button
                      type="button"
                      className="btn btn--small btn--ghost"
                      onClick={() => open(props.toDraft(item))}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="btn btn--small btn--ghost btn--danger"
                      onClick={() => remove(item)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {draft ? (
        <form
          className="fu-editor"
          aria-label={noun}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {props.renderForm(draft, (patch) => setDraft({ ...draft, ...patch }))}
          {tried && messages.length > 0 ? (
            <ul className="list-editor__issues" role="alert" aria-label={`Problems with this ${shortNoun}`}>
              {messages.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          ) : null}
          <div className="fu-row">
            <button type="submit" className="btn btn--primary btn--small">
              Save {shortNoun}
            </button>
            <button type="button" className="btn btn--small btn--ghost" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
