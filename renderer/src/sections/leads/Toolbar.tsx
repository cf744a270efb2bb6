/** Above the grid: quick search ("/" focuses it), saved views and the column chooser. */
import { forwardRef, useEffect, useRef, useState } from 'react';
import type { LeadColumnInfo, SavedView } from '../../../../shared/contract';

export const SearchBox = forwardRef<
  HTMLInputElement,
  /** keyLabel: what the workspace calls its import key ("Prospect ID"), which search also finds. */
  Readonly<{ value: string; keyLabel: string | undefined; onChange: (v: string) => void }>
>(function SearchBox({ value, keyLabel, onChange }, ref) {
  const [text, setText] = useState(value);
  const [prev, setPrev] = useState(value);
  if (prev !== value) {
    setPrev(value);
    setText(value);
  }
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => onChange(text), 200);
    return () => clearTimeout(t);
  }, [text, value, onChange]);
  const placeholder = `Search name, email, company${keyLabel ? `, ${keyLabel}` : ''}   ( / )`;
  return (
    <div className="lg-search">
      <input
        ref={ref}
        className="input"
        type="search"
        placeholder={placeholder}
        // Wide enough for its placeholder ("…, Prospect ID" was cut off at 320 px), plus
        // room for the search field's clear button.
        style={{ width: `${Math.max(36, placeholder.length + 4)}ch` }}
        aria-label="Quick search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onChange(text);
          if (e.key === 'Escape') {
            setText('');
            onChange('');
          }
        }}
      />
    </div>
  );
});

function usePopover(): [boolean, (v: boolean) => void, React.RefObject<HTMLDivElement | null>] {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return [open, setOpen, ref];
}

export function ColumnChooser({
  all,
  visible,
  onChange,
  onReset,
}: Readonly<{
  all: readonly LeadColumnInfo[];
  visible: readonly string[];
  onChange: (keys: string[]) => void;
  onReset: () => void;
}>) {
  const [open, setOpen, ref] = usePopover();
  const shown = new Set(visible);
  return (
    <div className="lg-anchor" ref={ref}>
      <button type="button" className="btn btn--small" aria-expanded={open} onClick={() => setOpen(!open)}>
        Columns ({visible.length})
      </button>
      {open ? (
        <div className="lg-popover lg-columns" role="dialog" aria-label="Choose columns">
          <div className="lg-columns__list">
            {all.map((c) => (
              <label key={c.key} className="lg-values__item">
                <input
                  type="checkbox"
                  checked={shown.has(c.key)}
                  disabled={shown.has(c.key) && visible.length === 1}
                  onChange={(e) =>
                    onChange(e.target.checked ? [...visible, c.key] : visible.filter((k) => k !== c.key))
                  }
                />
                <span>{c.label}</span>
                {c.custom ? <span className="muted">custom</span> : null}
              </label>
            ))}
          </div>
          <p className="muted lg-columns__hint">
            Drag column headers to reorder; drag their right edge to resize. The first column stays pinned.
          </p>
          <button type="button" className="btn btn--small btn--ghost" onClick={onReset}>
            Reset to default
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function SavedViews({
  views,
  activeId,
  onApply,
  onSave,
  onDelete,
}: Readonly<{
  views: readonly SavedView[];
  activeId: number | null;
  onApply: (v: SavedView | null) => void;
  onSave: (name: string, id?: number) => Promise<string | null>;
  onDelete: (id: number) => void;
}>) {
  const [open, setOpen, ref] = usePopover();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const active = views.find((v) => v.id === activeId);
  return (
    <div className="lg-anchor lg-saved-views" ref={ref}>
      <select
        aria-label="Saved view"
        value={activeId ?? ''}
        onChange={(e) => onApply(e.target.value ? (views.find((v) => v.id === Number(e.target.value)) ?? null) : null)}
      >
        <option value="">All leads (no saved view)</option>
        {views.map((v) => (
          <option key={v.id} value={v.id}>
            {v.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn btn--small"
        onClick={() => {
          setOpen(!open);
          setName(active?.name ?? '');
          setError(null);
        }}
      >
        Save view…
      </button>
      {active ? (
        <button
          type="button"
          className="btn btn--small btn--ghost"
          onClick={() => onDelete(active.id)}
          aria-label={`Delete view ${active.name}`}
        >
          Delete view
        </button>
      ) : null}
      {open ? (
        <form
          className="lg-popover lg-save-view"
          aria-label="Save view"
          onSubmit={(e) => {
            e.preventDefault();
            if (!name.trim()) return setError('Give the view a name.');
            const overwrite = active && active.name === name.trim() ? active.id : undefined;
            void onSave(name.trim(), overwrite).then((err) => (err ? setError(err) : setOpen(false)));
          }}
        >
          <label className="lg-field">
            <span>View name</span>
            <input
              className="input"
              autoFocus
              aria-label="View name"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <p className="muted">Saves the filters, search, sort and columns you see now.</p>
          {error ? <div className="field-error">{error}</div> : null}
          <button type="submit" className="btn btn--small btn--primary">
            Save
          </button>
        </form>
      ) : null}
    </div>
  );
}
