/**
 * File > Apply an edited sheet…: reads a sheet Leadbench exported and a rep edited,
 * previews every change (attempts, dispositions, stage changes, notes, field edits, new
 * leads) and every conflict field by field, and applies only after the user says so.
 * Conflicts default to keeping Leadbench's value; nothing is overwritten silently.
 */
import { useState } from 'react';
import type { RoundtripApplyResult, RoundtripDates, RoundtripPreview, TextEncoding } from '../../../shared/contract';
import type { DayMonthOrder } from '../../../shared/mapping';
import { call, shell, errorMessage } from '../api';
import { DateOrderChoice } from '../components/DateOrderChoice';
import { ErrorState } from '../components/EmptyState';
import { EncodingConfirm } from '../components/EncodingConfirm';
import { Modal } from '../components/Modal';
import { formatDateTime, plural } from '../format';

const DATE_SOURCE_NOTES: Readonly<Record<RoundtripDates['source'], string>> = {
  chosen: '',
  sheet: 'Detected from the sheet’s dates',
  imports: 'As this workspace’s imports read dates (no date in the sheet decides)',
  export: 'As the export wrote dates (no date decides)',
};

const STATUS_BADGE: Readonly<Record<string, string>> = {
  apply: 'badge badge--ok',
  conflict: 'badge badge--warm',
  applied: 'badge',
  invalid: 'badge badge--hot',
};

export function RoundtripDialog({ onClose }: Readonly<{ onClose: () => void }>) {
  const [preview, setPreview] = useState<RoundtripPreview | null>(null);
  const [path, setPath] = useState<string | null>(null);
  const [choices, setChoices] = useState<Record<string, 'sheet' | 'leadbench'>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<RoundtripApplyResult | null>(null);
  // A CSV that is not UTF-8: the encoding the user confirmed after seeing a line decoded.
  const [encoding, setEncoding] = useState<TextEncoding | undefined>(undefined);
  // How typed dates are read, when the user switched it in the preview.
  const [dateOrder, setDateOrder] = useState<DayMonthOrder | undefined>(undefined);

  async function pick() {
    const chosen = await shell().openFileDialog({
      title: 'Edited Leadbench sheet',
      filters: [{ name: 'Spreadsheets', extensions: ['xlsx', 'csv'] }],
    });
    if (chosen) await inspect(chosen, undefined, undefined);
  }

  async function inspect(chosen: string, confirmed: TextEncoding | undefined, order: DayMonthOrder | undefined) {
    setBusy(true);
    setError(null);
    try {
      setPreview(
        await call('roundtrip-inspect', {
          path: chosen,
          ...(confirmed ? { encoding: confirmed } : {}),
          ...(order ? { dateOrder: order } : {}),
        }),
      );
      setPath(chosen);
      setEncoding(confirmed);
      setDateOrder(order);
      setChoices({});
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function apply() {
    if (!preview || !path) return;
    setBusy(true);
    setError(null);
    try {
      setResult(
        await call('roundtrip-apply', {
          path,
          fileSha256: preview.fileSha256,
          choices,
          ...(encoding ? { encoding } : {}),
          ...(dateOrder ? { dateOrder } : {}),
        }),
      );
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (result) return <RoundtripApplied result={result} onClose={onClose} />;

  const c = preview?.counts;
  return (
    <Modal
      title="Apply an edited sheet"
      wide
      onClose={onClose}
      actions={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => void pick()}>
            {preview ? 'Choose another file…' : 'Choose file…'}
          </button>
          {preview ? (
            <button
              type="button"
              className="btn btn--primary"
              disabled={
                busy ||
                preview.encodingSample !== null ||
                (c?.toApply ?? 0) + (c?.conflicts ?? 0) + (c?.newRows ?? 0) === 0
              }
              onClick={() => void apply()}
            >
              Apply changes
            </button>
          ) : null}
        </>
      }
    >
      {!preview ? (
        <p>
          Choose a sheet that Leadbench exported and a rep edited (Excel or CSV). You will see every change before
          anything is applied.
        </p>
      ) : (
        <>
          <p className="muted">
            <code>{preview.fileName}</code> — export of {formatDateTime(preview.exportedAt)}
          </p>
          {preview.encodingSample !== null && preview.encoding && path ? (
            <EncodingConfirm
              encoding={preview.encoding}
              sample={preview.encodingSample}
              otherwise="save the sheet from your spreadsheet program as CSV UTF-8 or Excel and choose it again"
              onConfirm={(confirmed) => void inspect(path, confirmed, dateOrder)}
            />
          ) : null}
          <PreviewCounts counts={preview.counts} />
          <div className="form-grid roundtrip-dates">
            <label htmlFor="rt-dates">Typed dates</label>
            <DateOrderChoice
              id="rt-dates"
              detected={preview.dates.detected}
              chosen={preview.dates.source === 'chosen' ? preview.dates.order : undefined}
              detectedNote={DATE_SOURCE_NOTES[preview.dates.source]}
              ambiguousRows={preview.dates.ambiguousRows}
              examples={preview.dates.examples.map((e) => ({
                row: e.row,
                value: e.value,
                where: `${e.sheet}, ${e.column}`,
              }))}
              onChange={(order) => path && void inspect(path, encoding, order)}
            />
          </div>
          <ConflictsTable
            conflicts={preview.conflicts}
            choices={choices}
            onChoose={(id, keep) => setChoices({ ...choices, [id]: keep })}
          />
          <ChangesTable changes={preview.changes} />
          <SheetIssues issues={preview.issues} />
        </>
      )}
      {error ? <ErrorState message={error} /> : null}
    </Modal>
  );
}

function Stat({ n, label }: Readonly<{ n: number; label: string }>) {
  return (
    <div className="stat">
      <strong>{n.toLocaleString()}</strong>
      <span>{label}</span>
    </div>
  );
}

/** The applied sheet: the changes that landed, the conflicts as decided, the backup, and what was refused and why. */
function RoundtripApplied({ result, onClose }: Readonly<{ result: RoundtripApplyResult; onClose: () => void }>) {
  const applied = Object.values(result.applied).reduce((a, b) => a + b, 0);
  return (
    <Modal
      title="Sheet applied"
      onClose={onClose}
      actions={
        <button type="button" className="btn btn--primary" onClick={onClose}>
          Done
        </button>
      }
    >
      <p className="notice" data-testid="roundtrip-result">
        {plural(applied, 'change')} applied
        {result.conflictsTakenFromSheet
          ? `, ${plural(result.conflictsTakenFromSheet, 'conflict')} taken from the sheet`
          : ''}
        {result.conflictsKeptLeadbench
          ? `, ${plural(result.conflictsKeptLeadbench, 'conflict')} kept as in Leadbench`
          : ''}
        .
      </p>
      {result.backup ? (
        <p className="muted">
          A backup was made first: <code>{result.backup.path}</code>
        </p>
      ) : null}
      {result.refused.length ? (
        <table className="table">
          <thead>
            <tr>
              <th>Not applied</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {result.refused.map((r) => (
              <tr key={r.changeId}>
                <td>{r.leadName}</td>
                <td>{r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Modal>
  );
}

/** What Leadbench changed after the export and the sheet changes too: each kept from the sheet or from Leadbench. */
function ConflictsTable({
  conflicts,
  choices,
  onChoose,
}: Readonly<{
  conflicts: RoundtripPreview['conflicts'];
  choices: Readonly<Record<string, 'sheet' | 'leadbench'>>;
  onChoose: (id: string, keep: 'sheet' | 'leadbench') => void;
}>) {
  if (conflicts.length === 0) return null;
  return (
    <>
      <h3>Conflicts: changed in Leadbench after the export</h3>
      <table className="table" data-testid="roundtrip-conflicts">
        <thead>
          <tr>
            <th>Lead</th>
            <th>Field</th>
            <th>Exported</th>
            <th>In the sheet</th>
            <th>In Leadbench now</th>
            <th>Keep</th>
          </tr>
        </thead>
        <tbody>
          {conflicts.map((k) => (
            <tr key={k.id}>
              <td>{k.leadName}</td>
              <td>{k.fieldLabel}</td>
              <td className="muted">{k.exported ?? '—'}</td>
              <td>{k.sheet ?? '—'}</td>
              <td>{k.current ?? '—'}</td>
              <td>
                <select
                  aria-label={`Keep which value of ${k.fieldLabel} for ${k.leadName}`}
                  value={choices[k.id] ?? 'leadbench'}
                  onChange={(e) => onChoose(k.id, e.target.value as 'sheet' | 'leadbench')}
                >
                  <option value="leadbench">Leadbench</option>
                  <option value="sheet">Sheet</option>
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Every change the sheet makes, row by row, with its status. */
function ChangesTable({ changes }: Readonly<{ changes: RoundtripPreview['changes'] }>) {
  return (
    <>
      <h3>Changes</h3>
      <table className="table" data-testid="roundtrip-changes">
        <thead>
          <tr>
            <th>Row</th>
            <th>Lead</th>
            <th>Change</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((ch) => (
            <tr key={ch.id}>
              <td>{ch.row}</td>
              <td>{ch.leadName}</td>
              <td>
                {ch.summary}
                {ch.message ? (
                  <div className={ch.status === 'apply' ? 'muted' : 'field-error'}>{ch.message}</div>
                ) : null}
              </td>
              <td>
                <span className={STATUS_BADGE[ch.status] ?? 'badge'}>{ch.status}</span>
              </td>
            </tr>
          ))}
          {changes.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted">
                Nothing in this sheet differs from what was exported.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </>
  );
}

/** The sheet's rows by what applying does with them. */
function PreviewCounts({ counts: c }: Readonly<{ counts: RoundtripPreview['counts'] }>) {
  return (
    <div className="stat-row" data-testid="roundtrip-counts">
      <Stat n={c.rows} label="rows" />
      <Stat n={c.toApply} label="changes to apply" />
      <Stat n={c.conflicts} label="conflicts" />
      <Stat n={c.newRows} label="new leads" />
      <Stat n={c.unchanged} label="unchanged" />
      <Stat n={c.alreadyApplied} label="already applied" />
      <Stat n={c.invalid} label="invalid" />
    </div>
  );
}

/** What could not be read in the sheet, by sheet, row and column. */
function SheetIssues({ issues }: Readonly<{ issues: RoundtripPreview['issues'] }>) {
  if (issues.length === 0) return null;
  return (
    <ul>
      {issues.map((i, n) => (
        <li key={n} className="field-error">
          {i.sheet}
          {i.row ? ` row ${i.row}` : ''}
          {i.column ? `, column ${i.column}` : ''}: {i.message}
        </li>
      ))}
    </ul>
  );
}
