/**
 * Small form controls of the model editor: number boxes that accept a half-typed value,
 * chip lists, line lists, inline issue messages, icon buttons and a menu (dialogs use components/Modal).
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ModelIssue } from '../../../../shared/scoring';
import { shortMessage } from './draft';

const ICONS: Readonly<Record<string, string>> = {
  up: 'M6 15l6-6 6 6',
  down: 'M6 9l6 6 6-6',
  trash: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
  edit: 'M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4',
  plus: 'M12 5v14M5 12h14',
  grip: 'M9 6h.01M15 6h.01M9 12h.01M15 12h.01M9 18h.01M15 18h.01',
  copy: 'M9 9h10v10H9zM5 15V5h10',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  star: 'M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1L3.2 9.5l6.1-.9z',
  alert: 'M12 9v4M12 17h.01M10.3 3.9L2 18a2 2 0 0 0 1.7 3h16.6a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z',
  check: 'M5 12l5 5L20 7',
  close: 'M6 6l12 12M18 6L6 18',
  upload: 'M12 16V4m0 0-4 4m4-4 4 4M4 17v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2',
  download: 'M12 4v12m0 0-4-4m4 4 4-4M4 17v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2',
  history: 'M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5M12 7v5l3 2',
  play: 'M7 4l13 8-13 8z',
  user: 'M16 8a4 4 0 1 1-8 0 4 4 0 0 1 8 0zM4 21a8 8 0 0 1 16 0',
  search: 'M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM21 21l-5-5',
};

export function ScIcon({ name, size = 16 }: Readonly<{ name: string; size?: number }>) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      className="sc-icon"
    >
      <path d={ICONS[name] ?? ICONS.more} />
    </svg>
  );
}

export function IconButton({
  icon,
  label,
  onClick,
  disabled,
  danger,
}: Readonly<{ icon: string; label: string; onClick: () => void; disabled?: boolean; danger?: boolean }>) {
  return (
    <button
      type="button"
      className={`sc-icon-btn${danger ? ' sc-icon-btn--danger' : ''}`}
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
    >
      <ScIcon name={icon} />
    </button>
  );
}

function formatNumber(v: number | null | undefined): string {
  return v == null || Number.isNaN(v) ? '' : String(v);
}

/**
 * A number box. While it has focus it keeps the text as typed; it reports `null` when
 * empty (or NaN when `required`, so the validator says "must be a number").
 */
export function NumberField({
  value,
  onChange,
  label,
  required,
  invalid,
  placeholder,
  min,
  step,
  width = 84,
  id,
  disabled,
}: Readonly<{
  value: number | null | undefined;
  onChange: (v: number | null) => void;
  label: string;
  required?: boolean;
  invalid?: boolean;
  placeholder?: string;
  min?: number;
  step?: number;
  width?: number;
  id?: string;
  disabled?: boolean;
}>) {
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <input
      id={id}
      disabled={disabled}
      type="number"
      className={`input sc-number${invalid ? ' is-invalid' : ''}`}
      style={{ width }}
      aria-label={label}
      aria-invalid={invalid || undefined}
      placeholder={placeholder}
      min={min}
      step={step ?? 1}
      value={editing ?? formatNumber(value)}
      onFocus={() => setEditing(formatNumber(value))}
      onBlur={() => setEditing(null)}
      onChange={(e) => {
        const t = e.target.value;
        setEditing(t);
        if (t.trim() === '') onChange(required ? Number.NaN : null);
        else onChange(Number(t));
      }}
    />
  );
}

/** Text box that only reports on change (kept simple: the draft holds the text). */
export function TextField({
  value,
  onChange,
  label,
  invalid,
  placeholder,
  mono,
  width,
  list,
}: Readonly<{
  value: string | number | null | undefined;
  onChange: (v: string) => void;
  label: string;
  invalid?: boolean;
  placeholder?: string;
  mono?: boolean;
  width?: number | string;
  list?: string;
}>) {
  return (
    <input
      type="text"
      className={`input${mono ? ' sc-mono' : ''}${invalid ? ' is-invalid' : ''}`}
      style={width !== undefined ? { width } : undefined}
      aria-label={label}
      aria-invalid={invalid || undefined}
      placeholder={placeholder}
      value={value == null ? '' : String(value)}
      list={list}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** A list of values as chips; Enter, comma or paste adds, Backspace on empty removes the last. */
export function ChipInput({
  values,
  onChange,
  label,
  invalid,
  placeholder,
}: Readonly<{
  values: readonly (string | number)[];
  onChange: (v: (string | number)[]) => void;
  label: string;
  invalid?: boolean;
  placeholder?: string;
}>) {
  const [text, setText] = useState('');
  const add = (raw: string) => {
    const parts = raw
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (parts.length === 0) return;
    const next = [...values];
    for (const p of parts) if (!next.some((v) => String(v).toLowerCase() === p.toLowerCase())) next.push(p);
    onChange(next);
    setText('');
  };
  return (
    <div className={`sc-chips${invalid ? ' is-invalid' : ''}`}>
      {values.map((v, i) => (
        <span className="sc-chip" key={`${String(v)}-${i}`}>
          {String(v)}
          <button
            type="button"
            aria-label={`Remove ${String(v)}`}
            onClick={() => onChange(values.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        className="sc-chips__input"
        aria-label={label}
        placeholder={values.length === 0 ? (placeholder ?? 'Type a value, press Enter') : 'Add…'}
        value={text}
        onChange={(e) => {
          const t = e.target.value;
          if (t.includes(',')) add(t);
          else setText(t);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add(text);
          } else if (e.key === 'Backspace' && text === '' && values.length > 0) {
            onChange(values.slice(0, -1));
          }
        }}
        onBlur={() => add(text)}
        onPaste={(e) => {
          const t = e.clipboardData.getData('text');
          if (/[,\n]/.test(t)) {
            e.preventDefault();
            add(t);
          }
        }}
      />
    </div>
  );
}

/** A list edited as text, one entry per line (suppression emails and domains). */
export function LineList({
  values,
  onChange,
  label,
  placeholder,
  rows = 8,
}: Readonly<{
  values: readonly string[];
  onChange: (v: string[]) => void;
  label: string;
  placeholder?: string;
  rows?: number;
}>) {
  const [editing, setEditing] = useState<string | null>(null);
  const toList = (t: string) =>
    t
      .split(/[\n,;]/)
      .map((s) => s.trim())
      .filter(Boolean);
  return (
    <textarea
      className="input sc-lines"
      aria-label={label}
      rows={rows}
      placeholder={placeholder}
      value={editing ?? values.join('\n')}
      onFocus={() => setEditing(values.join('\n'))}
      onBlur={() => setEditing(null)}
      onChange={(e) => {
        setEditing(e.target.value);
        onChange(toList(e.target.value));
      }}
      spellCheck={false}
    />
  );
}

/** Validation messages shown next to the control they are about. */
export function Issues({ issues, full }: Readonly<{ issues: readonly ModelIssue[]; full?: boolean }>) {
  if (issues.length === 0) return null;
  const unique = [...new Set(issues.map((i) => (full ? i.message : shortMessage(i.message))))];
  return (
    <ul className="sc-issues" role="alert">
      {unique.map((m) => (
        <li key={m}>
          <ScIcon name="alert" size={13} />
          <span>{m}</span>
        </li>
      ))}
    </ul>
  );
}

/** A labelled control in the rule editors. */
export function Field({
  label,
  hint,
  children,
  issues,
  wide,
}: Readonly<{ label: string; hint?: ReactNode; children: ReactNode; issues?: readonly ModelIssue[]; wide?: boolean }>) {
  return (
    <div className={`sc-field${wide ? ' sc-field--wide' : ''}`}>
      <span className="sc-field__label">{label}</span>
      <div className="sc-field__control">{children}</div>
      {hint ? <span className="sc-field__hint">{hint}</span> : null}
      {issues ? <Issues issues={issues} /> : null}
    </div>
  );
}

export type MenuItem = Readonly<{ label: string; onSelect: () => void; disabled?: boolean; danger?: boolean }>;

/** A button that opens a short list of commands (closes on a click outside or Escape). */
export function MenuButton({ label, items }: Readonly<{ label: string; items: readonly MenuItem[] }>) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div className="sc-menu" ref={ref}>
      <button
        type="button"
        className="btn"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={label}
        title={label}
        onClick={() => setOpen((o) => !o)}
      >
        <ScIcon name="more" />
      </button>
      {open ? (
        <div className="sc-menu__list" role="menu">
          {items.map((it) => (
            <button
              key={it.label}
              type="button"
              role="menuitem"
              className={`sc-menu__item${it.danger ? ' sc-menu__item--danger' : ''}`}
              disabled={it.disabled}
              onClick={() => {
                setOpen(false);
                it.onSelect();
              }}
            >
              {it.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** A two-to-four way switch (segmented control). */
export function Segmented<T extends string>({
  value,
  options,
  onChange,
  label,
}: Readonly<{
  value: T;
  options: readonly Readonly<{ value: T; label: string }>[];
  onChange: (v: T) => void;
  label: string;
}>) {
  return (
    <div className="sc-seg" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={o.value === value}
          className={`sc-seg__opt${o.value === value ? ' is-on' : ''}`}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
