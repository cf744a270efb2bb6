/** How the file is read: what it holds (kind), encoding and delimiter or sheet, header row. */
import type { Dispatch } from 'react';
import type { Delimiter, FileProfile, InspectResult, ReadOptions, TextEncoding } from '../../../../../shared/contract';
import { DELIMITERS, TEXT_ENCODINGS } from '../../../../../shared/contract/import';
import type { ImportKind } from '../../../../../shared/mapping';
import { formatCount } from '../../../format';
import type { WizardAction } from './state';

const KINDS: readonly { id: ImportKind; label: string; hint: string }[] = [
  { id: 'leads', label: 'Leads', hint: 'one row = one person' },
  { id: 'activities', label: 'Activities', hint: 'one row = one event (page visit, email click, download…)' },
  { id: 'event', label: 'Event / webinar list', hint: 'people plus their registration and attendance' },
];
const DELIMITER_LABELS: Readonly<Record<Delimiter, string>> = {
  ',': 'Comma',
  ';': 'Semicolon',
  '\t': 'Tab',
  '|': 'Pipe',
};

export function ReadStep({
  info,
  profile,
  kind,
  dispatch,
}: Readonly<{
  info: InspectResult;
  profile: FileProfile | null;
  kind: ImportKind;
  dispatch: Dispatch<WizardAction>;
}>) {
  const setRead = (read: Partial<ReadOptions>) => dispatch({ type: 'read', read });
  return (
    <>
      <label>Import as</label>
      <div className="choice-row" role="radiogroup" aria-label="Import as">
        {KINDS.map((k) => (
          <label key={k.id} title={k.hint}>
            <input
              type="radio"
              name="kind"
              checked={kind === k.id}
              onChange={() => dispatch({ type: 'kind', kind: k.id })}
            />
            {k.label}
          </label>
        ))}
      </div>
      {info.format === 'csv' ? (
        <>
          <label htmlFor="iw-encoding">Encoding</label>
          <select
            id="iw-encoding"
            value={info.encoding ?? 'utf-8'}
            onChange={(e) => setRead({ encoding: e.target.value as TextEncoding })}
          >
            {TEXT_ENCODINGS.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
          <label htmlFor="iw-delimiter">Delimiter</label>
          <select
            id="iw-delimiter"
            value={info.delimiter ?? ','}
            onChange={(e) => setRead({ delimiter: e.target.value as Delimiter })}
          >
            {DELIMITERS.map((d) => (
              <option key={d} value={d}>
                {DELIMITER_LABELS[d]}
              </option>
            ))}
          </select>
        </>
      ) : (
        <>
          <label htmlFor="iw-sheet">Sheet</label>
          <select
            id="iw-sheet"
            value={info.sheet ?? ''}
            onChange={(e) => setRead({ sheet: e.target.value, headerRow: undefined })}
          >
            {info.sheets.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </>
      )}
      <label htmlFor="iw-header">Header row</label>
      <select id="iw-header" value={info.headerRow} onChange={(e) => setRead({ headerRow: Number(e.target.value) })}>
        {info.headerCandidates.map((c) => (
          <option key={c.row} value={c.row}>
            Row {c.row}
            {c.label ? ` — ${c.label}` : ''}: {c.headers.slice(0, 4).join(', ')}
            {c.headers.length > 4 ? '…' : ''}
          </option>
        ))}
        {info.headerCandidates.some((c) => c.row === info.headerRow) ? null : (
          <option value={info.headerRow}>Row {info.headerRow}</option>
        )}
      </select>
      <label>Rows</label>
      <span data-testid="iw-rows">
        {profile?.headerRow === info.headerRow ? `${formatCount(profile.rows)} rows below the header` : 'Counting…'}
      </span>
    </>
  );
}
