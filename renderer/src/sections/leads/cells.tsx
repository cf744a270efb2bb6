/** How each grid column shows its value (text, numbers, dates, badges). */
import type { ReactNode } from 'react';
import type { LeadColumnInfo, LeadRow } from '../../../../shared/contract';
import { formatDate, formatDateTime } from '../../format';

export function segmentClass(segment: string | null): string {
  const s = (segment ?? '').toLowerCase();
  if (s === 'hot') return 'badge badge--hot';
  if (s === 'warm') return 'badge badge--warm';
  if (s === 'cold') return 'badge badge--cold';
  return 'badge';
}

/** The raw value of a column for a row (custom fields included). */
export function cellValue(row: LeadRow, key: string): unknown {
  if (key.startsWith('custom.')) return row.custom[key.slice('custom.'.length)] ?? null;
  return (row as unknown as Record<string, unknown>)[key];
}

function num(v: unknown): string {
  if (typeof v !== 'number') return '';
  return Number.isInteger(v) ? v.toLocaleString() : v.toFixed(1);
}

export function renderCell(
  row: LeadRow,
  col: Pick<LeadColumnInfo, 'key' | 'kind'>,
  now: number,
  stageLabels: ReadonlyMap<string, string>,
): ReactNode {
  const v = cellValue(row, col.key);
  switch (col.key) {
    case 'name':
      return row.label;
    case 'segment':
      return row.segment ? <span className={segmentClass(row.segment)}>{row.segment}</span> : null;
    case 'grade':
      return row.grade ? <span className="lg-grade">{row.grade}</span> : null;
    case 'is_mql':
      return row.is_mql ? <span className="badge badge--ok">MQL</span> : null;
    case 'tags':
      return row.tags.map((t) => (
        <span key={t} className="lg-tag">
          {t}
        </span>
      ));
    case 'score_total':
      return row.score_total == null ? null : <strong>{num(row.score_total)}</strong>;
    case 'sla_due_at': {
      if (row.sla_due_at == null) return null;
      const late = row.sla_due_at < now;
      return <span className={late ? 'lg-late' : undefined}>{formatDateTime(row.sla_due_at)}</span>;
    }
    case 'stage':
      return text(stageLabels.get(row.stage) ?? row.stage);
    case 'suppressed_reason':
      return row.suppressed_reason ? <span className="lg-suppressed">{row.suppressed_reason}</span> : null;
  }
  if (v == null || v === '') return null;
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (col.kind === 'number') return num(v);
  if (col.kind === 'date') return formatDate(v as number);
  return text(String(v));
}

/**
 * A text value in its own element: a flex cell cuts a bare text node off without an
 * ellipsis, and the full value shows on hover.
 */
function text(value: string): ReactNode {
  return <span title={value}>{value}</span>;
}
