/**
 * How numeric dates such as 05/12/2026 are read: the order the file's own dates prove
 * (a 25/12 is day first), which the user can switch, and the rows whose dates read both
 * ways with both readings, so a wrong guess is seen before anything is stored. The import
 * wizard and the edited-sheet apply show the same choice.
 */
import { bothReadings, DAY_MONTH_ORDER_LABELS, type DayMonthOrder } from '../../../shared/mapping';
import { formatCount, formatDay } from '../format';

export type AmbiguousExample = Readonly<{ row: number; value: string; where?: string | undefined }>;

export function DateOrderChoice({
  id,
  detected,
  chosen,
  ambiguousRows,
  examples,
  detectedNote = 'Detected from the file’s dates',
  onChange,
}: Readonly<{
  id: string;
  /** The order the data proves; null when no date decides it. */
  detected: DayMonthOrder | null;
  /** The user's choice, if any. */
  chosen: DayMonthOrder | undefined;
  ambiguousRows: number;
  examples: readonly AmbiguousExample[];
  /** Where the detected order comes from, when it is not the data's own dates. */
  detectedNote?: string;
  onChange: (order: DayMonthOrder) => void;
}>) {
  const order = chosen ?? detected;
  return (
    <div className="date-order" data-testid="date-order">
      <select id={id} value={order ?? ''} onChange={(e) => onChange(e.target.value as DayMonthOrder)}>
        {order === null ? <option value="">As written: “/” month first, “-” and “.” day first</option> : null}
        {(Object.keys(DAY_MONTH_ORDER_LABELS) as DayMonthOrder[]).map((o) => (
          <option key={o} value={o}>
            {DAY_MONTH_ORDER_LABELS[o]}
          </option>
        ))}
      </select>
      <span className="muted" data-testid="date-order-source">
        {chosen
          ? detected && detected !== chosen
            ? `Your choice (the file’s dates read ${orderWords(detected)})`
            : 'Your choice'
          : detected
            ? detectedNote
            : 'No date in the file decides the order'}
      </span>
      {ambiguousRows > 0 ? (
        <div className="date-order__warn" role="status" data-testid="ambiguous-dates">
          {formatCount(ambiguousRows)} {ambiguousRows === 1 ? 'row has a date' : 'rows have dates'} that read both ways
          {order ? `, read ${orderWords(order)}` : ''}:
          <ul>
            {examples.map((e) => (
              <li key={`${e.row}:${e.where ?? ''}`}>
                Row {e.row}
                {e.where ? ` (${e.where})` : ''}: “{e.value}” {readingsText(e.value, order)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

function orderWords(o: DayMonthOrder): string {
  return o === 'dmy' ? 'day first' : 'month first';
}

/** "→ 5 Dec 2026 (12 May 2026 month first)". */
function readingsText(value: string, order: DayMonthOrder | null): string {
  const both = bothReadings(value);
  if (!both) return '';
  const used = order ?? (value.includes('/') ? 'mdy' : 'dmy');
  const other: DayMonthOrder = used === 'dmy' ? 'mdy' : 'dmy';
  return `→ ${formatDay(both[used])} (${formatDay(both[other])} ${orderWords(other)})`;
}
