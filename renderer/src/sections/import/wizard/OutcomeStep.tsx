/**
 * The outcome of a leads import (#12): any column can say what happened to the lead; the
 * user ticks which of its values count as won, and which stay open (a pipeline's stages in
 * between: Maven CRM's Engaging, Prospecting); every other non-blank value is lost and a
 * blank leaves the lead open. The user may also name the outcome's date and deal value
 * columns. Maps onto the `outcome` import option the CLI's --outcome and --outcome-lost fill.
 */
import { useState, type Dispatch } from 'react';
import type { ColumnProfile, FileProfile, InspectResult } from '../../../../../shared/contract';
import { placeholderSet } from '../../../../../shared/mapping';
import { classifyOutcome, type OutcomeMapping } from '../../../../../shared/outcomes';
import { formatCount } from '../../../format';
import type { WizardAction } from './state';

/** The listed values the user marked "stays open": with a lost list, those in neither list. */
function openValues(values: readonly string[], outcome: OutcomeMapping | undefined): Set<string> {
  if (!outcome?.lost) return new Set();
  const closing = new Set([...outcome.won, ...outcome.lost]);
  return new Set(values.filter((v) => !closing.has(v)));
}

/**
 * The mapping for these choices: with no value kept open, every non-won value is lost (no
 * lost list, so values past the listed ones are lost too); else the lost list names the rest.
 */
function mappingOf(
  base: OutcomeMapping | undefined,
  column: string,
  values: readonly string[],
  won: ReadonlySet<string>,
  open: ReadonlySet<string>,
): OutcomeMapping | undefined {
  const wonList = values.filter((v) => won.has(v));
  if (wonList.length === 0) return undefined;
  const keepOpen = values.some((v) => open.has(v) && !won.has(v));
  return {
    column,
    won: wonList,
    ...(keepOpen ? { lost: values.filter((v) => !won.has(v) && !open.has(v)) } : {}),
    ...(base?.dateColumn ? { dateColumn: base.dateColumn } : {}),
    ...(base?.valueColumn ? { valueColumn: base.valueColumn } : {}),
  };
}

/** Rows won, lost and left open by the mapping, counted with the import's own classification. */
function tally(col: ColumnProfile, rows: number, outcome: OutcomeMapping) {
  const counts = { won: 0, lost: 0, open: rows - col.filled, unlisted: col.filled };
  const placeholders = placeholderSet();
  for (const v of col.values) {
    counts.unlisted -= v.count;
    const o = classifyOutcome(v.value, outcome, placeholders);
    if (o === null) counts.open += v.count;
    else counts[o] += v.count;
  }
  return counts;
}

function OutcomeSummary({
  col,
  rows,
  outcome,
}: Readonly<{ col: ColumnProfile; rows: number; outcome: OutcomeMapping }>) {
  const t = tally(col, rows, outcome);
  // A value past the listed ones is lost unless a lost list names the lost values.
  const unlisted =
    t.unlisted > 0
      ? `; the ${formatCount(t.unlisted)} with values not listed here count as ${outcome.lost ? 'open' : 'lost'}`
      : '';
  return (
    <p className="muted" role="status" data-testid="outcome-summary">
      The import closes {formatCount(t.won)} rows as won and {formatCount(t.lost)} as lost; {formatCount(t.open)} stay
      open (blank, or a value kept open){unlisted}.
    </p>
  );
}

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
  const col = profile?.columns.find((c) => c.header === column);
  const values = (col?.values ?? []).map((v) => v.value);
  const mine = outcome?.column === column ? outcome : undefined;
  const won = new Set(mine?.won ?? []);
  const open = openValues(values, mine);
  const toggleWon = (value: string, on: boolean) => {
    const next = new Set(won);
    if (on) next.add(value);
    else next.delete(value);
    set(mappingOf(mine, column, values, next, open));
  };
  const toggleOpen = (value: string, on: boolean) => {
    const next = new Set(open);
    if (on) next.add(value);
    else next.delete(value);
    set(mappingOf(mine, column, values, won, next));
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
  const valueLabel = (v: string) => (
    <>
      {v} <span className="muted">({formatCount(col?.values.find((x) => x.value === v)?.count ?? 0)})</span>
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
                <label key={v}>
                  <input type="checkbox" checked={won.has(v)} onChange={(e) => toggleWon(v, e.target.checked)} />
                  {valueLabel(v)}
                </label>
              ))}
            </div>
            {mine && values.some((v) => !won.has(v)) ? (
              <>
                <label>Stays open</label>
                <div className="iw-values" role="group" aria-label="Values that stay open">
                  {values
                    .filter((v) => !won.has(v))
                    .map((v) => (
                      <label key={v}>
                        <input
                          type="checkbox"
                          checked={open.has(v)}
                          onChange={(e) => toggleOpen(v, e.target.checked)}
                        />
                        {valueLabel(v)}
                      </label>
                    ))}
                </div>
              </>
            ) : null}
            {optionalColumn('dateColumn', 'Outcome date')}
            {optionalColumn('valueColumn', 'Deal value')}
          </>
        ) : null}
      </div>
      {column && !mine ? (
        <p className="muted">
          Tick the values that mean won; the other values count as lost unless you keep them open, and blanks stay open.
        </p>
      ) : null}
      {col && profile && mine ? <OutcomeSummary col={col} rows={profile.rows} outcome={mine} /> : null}
    </div>
  );
}
