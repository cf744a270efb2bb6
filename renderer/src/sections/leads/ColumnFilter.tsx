/**
 * The per-column filter popover: the operators the column's kind offers (the backend
 * answers each from an index), with the inputs each needs. "In list" shows the column's
 * most common values with their counts.
 */
import { useEffect, useRef, useState } from 'react';
import type { LeadColumnInfo, LeadFilter } from '../../../../shared/contract';
import { filterOpsFor, type LeadFilterOp } from '../../../../shared/lead-columns';
import { ValuePicker } from '../../components/ValuePicker';

const OP_LABELS: Readonly<Record<LeadFilterOp, string>> = {
  contains: 'contains',
  in: 'is any of',
  range: 'between',
  'date-range': 'between dates',
  blank: 'is blank',
  'not-blank': 'is not blank',
};

const DAY = 86_400_000;

function toDateInput(ms: number | null | undefined): string {
  return ms == null ? '' : new Date(ms).toISOString().slice(0, 10);
}

function fromDateInput(s: string): number | null {
  if (!s) return null;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isNaN(t) ? null : t;
}

export function opsForColumn(col: LeadColumnInfo): readonly LeadFilterOp[] {
  if (col.key === 'tags') return ['in', 'contains'];
  return filterOpsFor(col.kind);
}

export function describeFilter(f: LeadFilter, label: string): string {
  switch (f.op) {
    case 'contains':
      return `${label} contains "${f.value}"`;
    case 'in':
      return f.values.length <= 3
        ? `${label}: ${f.values.map((v) => (v === '' ? '(blank)' : String(v))).join(', ')}`
        : `${label}: ${f.values.length} values`;
    case 'range':
      return f.min != null && f.max != null
        ? `${label} ${f.min}–${f.max}`
        : f.min != null
          ? `${label} ≥ ${f.min}`
          : `${label} ≤ ${f.max}`;
    case 'date-range':
      return `${label} ${f.from != null ? toDateInput(f.from) : '…'} → ${f.to != null ? toDateInput(f.to - DAY) : '…'}`;
    case 'blank':
      return `${label} is blank`;
    case 'not-blank':
      return `${label} is not blank`;
  }
}

export function ColumnFilter({
  column,
  current,
  onApply,
  onClose,
}: Readonly<{
  column: LeadColumnInfo;
  current: LeadFilter | undefined;
  onApply: (f: LeadFilter | null) => void;
  onClose: () => void;
}>) {
  const ops = opsForColumn(column);
  const [op, setOp] = useState<LeadFilterOp>(current?.op ?? ops[0]!);
  const [text, setText] = useState(current?.op === 'contains' ? current.value : '');
  const [values, setValues] = useState<(string | number)[]>(current?.op === 'in' ? [...current.values] : []);
  const [min, setMin] = useState(current?.op === 'range' && current.min != null ? String(current.min) : '');
  const [max, setMax] = useState(current?.op === 'range' && current.max != null ? String(current.max) : '');
  const [from, setFrom] = useState(current?.op === 'date-range' ? toDateInput(current.from) : '');
  const [to, setTo] = useState(current?.op === 'date-range' && current.to != null ? toDateInput(current.to - DAY) : '');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [onClose]);

  function apply() {
    const c = column.key;
    let f: LeadFilter | null = null;
    if (op === 'contains') {
      if (!text.trim()) return setError('Type some text to look for.');
      f = { column: c, op, value: text.trim() };
    } else if (op === 'in') {
      if (values.length === 0) return setError('Pick at least one value.');
      f = { column: c, op, values: column.kind === 'bool' ? values.map(Number) : values };
    } else if (op === 'range') {
      const lo = min.trim() === '' ? null : Number(min);
      const hi = max.trim() === '' ? null : Number(max);
      if ((lo !== null && Number.isNaN(lo)) || (hi !== null && Number.isNaN(hi))) return setError('Enter numbers.');
      if (lo === null && hi === null) return setError('Enter a minimum, a maximum or both.');
      if (lo !== null && hi !== null && lo > hi) return setError('The minimum is above the maximum.');
      f = { column: c, op, min: lo, max: hi };
    } else if (op === 'date-range') {
      const a = fromDateInput(from);
      const b = fromDateInput(to);
      if (a === null && b === null) return setError('Pick a start date, an end date or both.');
      if (a !== null && b !== null && a > b) return setError('The start date is after the end date.');
      f = { column: c, op, from: a, to: b === null ? null : b + DAY };
    } else {
      f = { column: c, op };
    }
    onApply(f);
  }

  return (
    <div
      className="lg-popover lg-filter"
      ref={ref}
      role="dialog"
      aria-label={`Filter ${column.label}`}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') apply();
      }}
    >
      <div className="lg-filter__head">
        <strong>{column.label}</strong>
        <select aria-label="Operator" value={op} onChange={(e) => setOp(e.target.value as LeadFilterOp)}>
          {ops.map((o) => (
            <option key={o} value={o}>
              {OP_LABELS[o]}
            </option>
          ))}
        </select>
      </div>
      {op === 'contains' && (
        <input className="input" autoFocus aria-label="Text" value={text} onChange={(e) => setText(e.target.value)} />
      )}
      {op === 'in' && column.kind === 'bool' && (
        <div className="lg-values__list">
          {[
            [1, 'Yes'],
            [0, 'No'],
          ].map(([v, l]) => (
            <label key={String(v)} className="lg-values__item">
              <input
                type="checkbox"
                checked={values.map(Number).includes(v as number)}
                onChange={(e) =>
                  setValues(e.target.checked ? [...values, v as number] : values.filter((x) => Number(x) !== v))
                }
              />
              {l}
            </label>
          ))}
        </div>
      )}
      {op === 'in' && column.kind !== 'bool' && (
        <ValuePicker column={column.key} selected={values} onChange={setValues} />
      )}
      {op === 'range' && (
        <div className="lg-filter__row">
          <input
            className="input"
            aria-label="Minimum"
            inputMode="decimal"
            placeholder="min"
            value={min}
            onChange={(e) => setMin(e.target.value)}
          />
          <span>to</span>
          <input
            className="input"
            aria-label="Maximum"
            inputMode="decimal"
            placeholder="max"
            value={max}
            onChange={(e) => setMax(e.target.value)}
          />
        </div>
      )}
      {op === 'date-range' && (
        <div className="lg-filter__row">
          <input
            className="input"
            type="date"
            aria-label="From"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
          <span>to</span>
          <input className="input" type="date" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
      )}
      {error ? <div className="field-error">{error}</div> : null}
      <div className="lg-filter__actions">
        {current ? (
          <button type="button" className="btn btn--small btn--ghost" onClick={() => onApply(null)}>
            Clear
          </button>
        ) : null}
        <button type="button" className="btn btn--small" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn--small btn--primary" onClick={apply}>
          Apply
        </button>
      </div>
    </div>
  );
}
