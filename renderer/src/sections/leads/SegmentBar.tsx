/**
 * One-click views: segment chips (Hot / Warm / Cold ...), MQL now (open leads MQL by score:
 * its count and filters both from leads-counts) and Suppressed with their counts, and the grade grid (fit A-D x engagement 1-4) whose cells filter the grid.
 * Counts come from leads-counts and refresh whenever leads or scores change.
 */
import type { LeadCounts, LeadFilter } from '../../../../shared/contract';
import { MQL_NOW, SEGMENT_COUNTS, STORED_GRADES } from '../../../../shared/followup/definitions';
import { formatCount } from '../../format';
import { segmentClass } from './cells';

export type QuickView = Readonly<{ id: string; label: string; filters: readonly LeadFilter[] }>;

/** The MQL chip's filters until the counts (which carry the backend's, mql-now.ts) arrive. */
const MQL_SCORE_FILTER: LeadFilter = { column: 'is_mql', op: 'in', values: [1] };
export const SUPPRESSED_FILTER: LeadFilter = { column: 'suppressed_reason', op: 'not-blank' };

const SEGMENT_ORDER = ['hot', 'warm', 'cold'];

function sameFilters(a: readonly LeadFilter[], b: readonly LeadFilter[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function SegmentBar({
  counts,
  filters,
  onPick,
}: Readonly<{
  counts: LeadCounts | undefined;
  filters: readonly LeadFilter[];
  onPick: (filters: LeadFilter[]) => void;
}>) {
  const segments = [...(counts?.segments ?? [])]
    .filter((s) => s.segment !== null)
    .sort((a, b) => {
      const ia = SEGMENT_ORDER.indexOf((a.segment ?? '').toLowerCase());
      const ib = SEGMENT_ORDER.indexOf((b.segment ?? '').toLowerCase());
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a.segment ?? '').localeCompare(b.segment ?? '');
    });
  const segmented = segments.reduce((n, s) => n + s.count, 0);
  // Only say "scored leads" when it matters: some leads have no score, so no segment.
  const caption = counts && segmented < counts.total ? SEGMENT_COUNTS.caption : undefined;
  const chips: {
    id: string;
    label: string;
    count: number;
    filters: LeadFilter[];
    cls: string;
    help?: string;
    caption?: string;
  }[] = [
    { id: 'all', label: 'All leads', count: counts?.total ?? 0, filters: [], cls: 'badge' },
    ...segments.map((s) => ({
      id: `segment:${s.segment}`,
      label: counts?.segmentLabels?.[s.segment!] ?? s.segment!,
      count: s.count,
      filters: [{ column: 'segment', op: 'in', values: [s.segment!] } as LeadFilter],
      cls: segmentClass(s.segment),
      help: SEGMENT_COUNTS.help,
      ...(caption ? { caption } : {}),
    })),
    {
      id: 'mql',
      label: MQL_NOW.short,
      count: counts?.mql ?? 0,
      filters: counts ? [...counts.mqlFilters] : [MQL_SCORE_FILTER],
      cls: 'badge badge--ok',
      help: MQL_NOW.help,
      caption: MQL_NOW.caption,
    },
    {
      id: 'suppressed',
      label: 'Suppressed',
      count: counts?.suppressed ?? 0,
      filters: [SUPPRESSED_FILTER],
      cls: 'badge',
    },
  ];
  const maxGrade = Math.max(1, ...Object.values(counts?.grades ?? {}));
  return (
    <div className="lg-views">
      <div className="lg-chips" role="toolbar" aria-label="Segments">
        {chips.map((c) => {
          const active = sameFilters(filters, c.filters);
          return (
            <button
              key={c.id}
              type="button"
              className={`lg-chip${active ? ' is-active' : ''}`}
              aria-pressed={active}
              title={c.help}
              onClick={() => onPick(active && c.id !== 'all' ? [] : c.filters)}
            >
              <span className={c.cls}>{c.label}</span>
              <span className="lg-chip__count">{counts ? formatCount(c.count) : '…'}</span>
              {c.caption ? <span className="lg-chip__caption">{c.caption}</span> : null}
            </button>
          );
        })}
      </div>
      <table className="lg-grades" aria-label="Grade grid" title={STORED_GRADES.help}>
        <thead>
          <tr>
            <th scope="col" title="Fit (A best) by engagement (1 best)">
              <span className="muted">Fit\Eng.</span>
            </th>
            {[1, 2, 3, 4].map((e) => (
              <th key={e} scope="col">
                {e}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {['A', 'B', 'C', 'D'].map((f) => (
            <tr key={f}>
              <th scope="row">{f}</th>
              {[1, 2, 3, 4].map((e) => {
                const g = `${f}${e}`;
                const n = counts?.grades[g] ?? 0;
                const cellFilters: LeadFilter[] = [{ column: 'grade', op: 'in', values: [g] }];
                const active = sameFilters(filters, cellFilters);
                const heat = n / maxGrade;
                return (
                  <td key={g}>
                    <button
                      type="button"
                      className={`lg-grade-cell${active ? ' is-active' : ''}`}
                      style={{
                        background: `rgba(79, 70, 229, ${(0.06 + heat * 0.5).toFixed(3)})`,
                        color: heat > 0.55 ? '#fff' : undefined,
                      }}
                      aria-pressed={active}
                      aria-label={`Grade ${g}: ${formatCount(n)} leads`}
                      title={`Grade ${g}: ${formatCount(n)} leads`}
                      onClick={() => onPick(active ? [] : cellFilters)}
                    >
                      {formatCount(n)}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
