/** The finished import: what it did, how it read the dates, where to go next, saving the mapping, rejected rows. */
import { useState } from 'react';
import type { ImportSummary } from '../../../../../shared/contract';
import { DAY_MONTH_ORDER_LABELS, type ColumnTarget, type ImportKind } from '../../../../../shared/mapping';
import { call } from '../../../api';
import { formatCount, formatDay } from '../../../format';
import { ImportErrors } from '../ImportErrors';
import type { Settings } from './state';

export function ImportDone({
  summary,
  headers,
  kind,
  mapping,
  settings,
  onClose,
  onShowLeads,
}: Readonly<{
  summary: ImportSummary;
  headers: readonly string[];
  kind: ImportKind;
  mapping: Readonly<Record<string, ColumnTarget>>;
  settings: Settings;
  onClose: () => void;
  onShowLeads: () => void;
}>) {
  return (
    <div className="iw">
      <div className="card">
        <h2>Imported {summary.fileName}</h2>
        <div className="stat-row" data-testid="import-summary">
          {summaryStats(summary, kind).map(([label, n]) => (
            <div className="stat" key={label}>
              <strong>{formatCount(n)}</strong>
              <span>{label}</span>
            </div>
          ))}
        </div>
        <DatesRead dates={summary.dates} chosen={settings.dateOrder === 'dmy' || settings.dateOrder === 'mdy'} />
        <p className="muted">
          Done in {(summary.durationMs / 1000).toFixed(1)} s; {formatCount(summary.rescored)} leads rescored. You can
          undo this import from the history below.
        </p>
        <div className="iw__actions">
          <button type="button" className="btn btn--primary" onClick={onShowLeads}>
            Show the leads
          </button>
          <button type="button" className="btn" onClick={onClose}>
            Import another file
          </button>
          <SaveMapping headers={headers} kind={kind} mapping={mapping} settings={settings} />
        </div>
      </div>
      {summary.errors > 0 ? <ImportErrors importId={summary.importId} total={summary.errors} /> : null}
    </div>
  );
}

/** The figures the summary shows, named for what the kind of import counts (people or rows). */
function summaryStats(summary: ImportSummary, kind: ImportKind): [string, number][] {
  const activities = kind === 'activities';
  const stats: [string, number][] = [
    ['Rows', summary.rowsTotal],
    [activities ? 'New activities' : 'Inserted', summary.inserted],
  ];
  if (!activities) stats.push(['Updated', summary.updated]);
  stats.push([activities ? 'Already stored' : 'Unchanged', summary.unchanged]);
  stats.push(['Skipped (blank)', summary.skipped], ['Errors', summary.errors]);
  if (kind === 'event') stats.push(['Activities', summary.activitiesInserted]);
  if (activities && summary.leadsCreated) stats.push(['New leads', summary.leadsCreated]);
  return stats;
}

/**
 * How the import read its dates: the order used (the user's choice in the wizard, else the one
 * the whole file proved), the rows whose dates read both ways (the wizard's count: one
 * definition, shared/date-findings.ts), and the first and last date of the rows stored (when
 * their activities happened, the leads' created dates).
 */
function DatesRead({ dates, chosen }: Readonly<{ dates: ImportSummary['dates']; chosen: boolean }>) {
  const { order, ambiguousRows, range } = dates;
  return (
    <dl className="iw-dates" data-testid="import-dates">
      <dt>Date order</dt>
      <dd>
        {order === null
          ? 'As written (no date in the file decided the order)'
          : `${DAY_MONTH_ORDER_LABELS[order]}, ${chosen ? 'your choice' : 'detected from the file'}`}
      </dd>
      <dt>Read both ways</dt>
      <dd>
        {ambiguousRows === 0
          ? 'No date could be read either way'
          : `${formatCount(ambiguousRows)} ${ambiguousRows === 1 ? 'row has a date' : 'rows have dates'} that read both ways (05/12/2026)`}
      </dd>
      <dt>Rows dated</dt>
      <dd>
        {range === null
          ? 'No row has a date'
          : range.first === range.last
            ? formatDay(range.first)
            : `${formatDay(range.first)} to ${formatDay(range.last)}`}
      </dd>
    </dl>
  );
}

function SaveMapping({
  headers,
  kind,
  mapping,
  settings,
}: Readonly<{
  headers: readonly string[];
  kind: ImportKind;
  mapping: Readonly<Record<string, ColumnTarget>>;
  settings: Settings;
}>) {
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <form
      className="iw-save"
      onSubmit={(e) => {
        e.preventDefault();
        void call('mapping-save', { name, headers, settings: { kind, mapping, ...settings } }).then((m) =>
          setSaved(m.name),
        );
      }}
    >
      <input
        className="input"
        aria-label="Mapping name"
        placeholder="Save this mapping as…"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" className="btn" disabled={!name.trim()}>
        Save mapping
      </button>
      {saved ? <span className="muted">Saved “{saved}”.</span> : null}
    </form>
  );
}
