/**
 * The outcome of a leads import (#12): any column can say what happened to the lead; the
 * user ticks which of its values count as won (every other non-blank value is lost, a blank
 * leaves the lead open), and may name the outcome's date and deal value columns. Maps onto
 * the `outcome` import option the CLI's --outcome fills.
 */
import { useState, type Dispatch } from 'react';
import type { FileProfile, InspectResult } from '../../../../../shared/contract';
import type { OutcomeMapping } from '../../../../../shared/outcomes';
import { formatCount } from '../../../format';
import type { WizardAction } from './state';

export function OutcomeStep({
  info,
  profile,
  outcome,
  dispatch,
}: Readonly<{
  info: InspectResult;
  profile: FileProfile | null;
  outcome: OutcomeMapping | undefined;
  dispatch: Dispatch<WizardAction>;
}>) {
  // The column is chosen before any won value is, when the option cannot hold it yet.
  const [column, setColumn] = useState(outcome?.column ?? '');
  const set = (o: OutcomeMapping | undefined) => dispatch({ type: 'settings', settings: { outcome: o } });
  const values = profile?.columns.find((c) => c.header === column)?.values ?? [];
  const won = new Set(outcome?.column === column ? outcome.won : []);
  const toggle = (value: string, on: boolean) => {
    const next = values.map((v) => v.value).filter((v) => (v === value ? on : won.has(v)));
    set(next.length ? { ...outcome, column, won: next } : undefined);
  };
  const optionalColumn = (key: 'dateColumn' | 'valueColumn', label: string) => (
    <>
      <label htmlFor={`iw-outcome-${key}`}>{label}</label>
      <select
        id={`iw-outcome-${key}`}
        value={outcome?.[key] ?? ''}
        disabled={!outcome}
        onChange={(e) => outcome && set({ ...outcome, [key]: e.target.value || undefined })}
      >
        <option value="">(none)</option>
        {info.headers.map((h) => (
          <option key={h}>{h}</option>
        ))}
      </select>
    </>
  );
  return (
    <div className="card">
      <h3>Outcome (optional)</h3>
      <p className="muted">
        A column that says how each lead ended (converted, won, lost) lets Leadbench measure and learn a model.
      </p>
      <div className="form-grid">
        <label htmlFor="iw-outcome">Outcome column</label>
        <select
          id="iw-outcome"
          value={column}
          onChange={(e) => {
            setColumn(e.target.value);
            set(undefined);
          }}
        >
          <option value="">(no outcome column)</option>
          {info.headers.map((h) => (
            <option key={h}>{h}</option>
          ))}
        </select>
        {column ? (
          <>
            <label>Counts as won</label>
            <div className="iw-values" role="group" aria-label="Values that count as won">
              {profile === null ? <span className="muted">Reading the file…</span> : null}
              {values.map((v) => (
                <label key={v.value}>
                  <input
                    type="checkbox"
                    checked={won.has(v.value)}
                    onChange={(e) => toggle(v.value, e.target.checked)}
                  />
                  {v.value} <span className="muted">({formatCount(v.count)})</span>
                </label>
              ))}
            </div>
            {optionalColumn('dateColumn', 'Outcome date')}
            {optionalColumn('valueColumn', 'Deal value')}
          </>
        ) : null}
      </div>
      {column && !outcome ? (
        <p className="muted">Tick the values that mean won; the other values count as lost, blanks stay open.</p>
      ) : null}
    </div>
  );
}
