/**
 * Picks values of a lead column from its distinct values, most common first, each with how
 * many leads have it (the backend's leads-distinct: one computation for grid filters and
 * scoring rules). A search box narrows the list.
 */
import { useState } from 'react';
import { useApi } from '../api';
import { formatCount } from '../format';
import './value-picker.css';

export function ValuePicker({
  column,
  selected,
  onChange,
}: Readonly<{ column: string; selected: readonly (string | number)[]; onChange: (v: (string | number)[]) => void }>) {
  const [search, setSearch] = useState('');
  const values = useApi('leads-distinct', { column, search, limit: 50 }, { refreshOn: ['leads'] });
  const chosen = new Set(selected.map(String));
  return (
    <div className="lg-values">
      <input
        className="input"
        placeholder="Find a value"
        aria-label="Find a value"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <div className="lg-values__list" role="listbox" aria-multiselectable="true" aria-label="Values">
        {values.error ? <div className="field-error">{values.error.message}</div> : null}
        {values.data
          ?.filter((v) => v.value !== null)
          .map((v) => {
            const val = v.value as string | number;
            const on = chosen.has(String(val));
            return (
              <label key={String(val)} className="lg-values__item" role="option" aria-selected={on}>
                <input
                  type="checkbox"
                  checked={on}
                  onChange={() => onChange(on ? selected.filter((s) => String(s) !== String(val)) : [...selected, val])}
                />
                <span className="lg-values__label">{val === '' ? '(empty)' : String(val)}</span>
                <span className="muted">{formatCount(v.count)}</span>
              </label>
            );
          })}
        {values.data && values.data.length === 0 ? <div className="muted">No values.</div> : null}
      </div>
    </div>
  );
}
