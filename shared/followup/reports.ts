/**
 * Report shapes (funnel, grades, SLA compliance, outcomes, disposition reasons), their
 * filter, and one way to flatten each into the table shown under its chart and written
 * to CSV, so the screen and the export never disagree. What each figure means is in
 * definitions.ts.
 */
import type { DateBasis } from './definitions';

export const REPORT_KINDS = ['funnel', 'grades', 'sla', 'outcomes', 'dispositions'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_LABELS: Readonly<Record<ReportKind, string>> = {
  funnel: 'Funnel',
  grades: 'Leads per grade and segment',
  sla: 'SLA compliance',
  outcomes: 'Outcomes by grade and segment',
  dispositions: 'Disposition reasons',
};

export type ReportFilter = Readonly<{
  /** Inclusive lower bound (epoch ms) on the lead's date (see dateBasis), the same for every report. */
  from?: number | undefined;
  /** Exclusive upper bound. */
  to?: number | undefined;
  source?: string | undefined;
  campaign?: string | undefined;
  importId?: number | undefined;
  ownerId?: number | undefined;
  /** Grades and segments from this model's scores instead of the primary model's. */
  modelId?: number | undefined;
  /** Which date from/to read; default "created" (see definitions.ts). */
  dateBasis?: DateBasis | undefined;
}>;

/** The funnel steps: stage keys in lifecycle order; "names" is every lead. */
export const FUNNEL_STEPS = ['names', 'mql', 'sal', 'sql', 'opportunity', 'won'] as const;
export type FunnelStepKey = (typeof FUNNEL_STEPS)[number];

export type FunnelStep = Readonly<{
  key: FunnelStepKey;
  label: string;
  count: number;
  /** Share of the previous step, percent (100 for the first). */
  conversionPct: number | null;
  /** Share of the first step, percent. */
  ofNamesPct: number | null;
}>;
export type FunnelReport = Readonly<{ steps: readonly FunnelStep[] }>;

export type GradeCell = Readonly<{ grade: string; fit: string; engagement: number; count: number }>;
export type SegmentCount = Readonly<{ segment: string; count: number; pct: number | null }>;
export type GradesReport = Readonly<{
  total: number;
  ungraded: number;
  fits: readonly string[];
  engagements: readonly number[];
  cells: readonly GradeCell[];
  segments: readonly SegmentCount[];
}>;

export type SlaRow = Readonly<{
  key: string;
  label: string;
  total: number;
  met: number;
  breached: number;
  overdue: number;
  waiting: number;
  /** Closed before the due time without any attempt: neither met nor missed (not in compliance). */
  closedNoAttempt: number;
  /** met / (met + breached + overdue), percent (SLA_COMPLIANCE_HELP). */
  compliancePct: number | null;
  medianMinutesToFirstContact: number | null;
}>;
export type SlaReport = Readonly<{ byOwner: readonly SlaRow[]; byGrade: readonly SlaRow[]; overall: SlaRow }>;

export type OutcomeRow = Readonly<{
  key: string;
  leads: number;
  mql: number;
  sql: number;
  opportunity: number;
  won: number;
  /** won / leads, percent. */
  winRatePct: number | null;
  /** won / MQL, percent. */
  mqlWinRatePct: number | null;
}>;
export type OutcomesReport = Readonly<{ byGrade: readonly OutcomeRow[]; bySegment: readonly OutcomeRow[] }>;

export type DispositionRow = Readonly<{
  reasonId: number;
  parent: string | null;
  label: string;
  toStage: string;
  /** The stage's label as configured ("Disqualified"), for people. */
  toStageLabel: string;
  count: number;
  pct: number | null;
}>;
export type DispositionsReport = Readonly<{ total: number; rows: readonly DispositionRow[] }>;

export type ReportData = {
  funnel: FunnelReport;
  grades: GradesReport;
  sla: SlaReport;
  outcomes: OutcomesReport;
  dispositions: DispositionsReport;
};

export type ReportTable = Readonly<{
  columns: readonly string[];
  /** Per column: it holds numbers (null = no figure), so screens right-align it with its placeholders. */
  numeric: readonly boolean[];
  rows: readonly (readonly (string | number | null)[])[];
}>;

/** A report table whose first `labelColumns` columns name the row and the rest are figures. */
function table(
  columns: readonly string[],
  labelColumns: number,
  rows: readonly (readonly (string | number | null)[])[],
): ReportTable {
  return { columns, numeric: columns.map((_, i) => i >= labelColumns), rows };
}

/** Percent with one decimal, null when the base is zero. */
export function pct(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

function slaRows(scope: string, rows: readonly SlaRow[]): (string | number | null)[][] {
  return rows.map((r) => [
    scope,
    r.label,
    r.total,
    r.met,
    r.breached,
    r.overdue,
    r.waiting,
    r.closedNoAttempt,
    r.compliancePct,
    r.medianMinutesToFirstContact,
  ]);
}

function outcomeRows(scope: string, rows: readonly OutcomeRow[]): (string | number | null)[][] {
  return rows.map((r) => [scope, r.key, r.leads, r.mql, r.sql, r.opportunity, r.won, r.winRatePct, r.mqlWinRatePct]);
}

/** The table behind a report (also its CSV). */
export function reportTable<K extends ReportKind>(kind: K, data: ReportData[K]): ReportTable {
  switch (kind) {
    case 'funnel': {
      const d = data as FunnelReport;
      return table(
        ['Step', 'Leads', 'Conversion from previous %', 'Of all leads %'],
        1,
        d.steps.map((s) => [s.label, s.count, s.conversionPct, s.ofNamesPct]),
      );
    }
    case 'grades': {
      const d = data as GradesReport;
      return table(['Dimension', 'Value', 'Leads', 'Share %'], 2, [
        ...d.cells.map((c) => ['Grade', c.grade, c.count, pct(c.count, d.total)]),
        ['Grade', 'Ungraded', d.ungraded, pct(d.ungraded, d.total)],
        ...d.segments.map((s) => ['Segment', s.segment, s.count, s.pct]),
      ]);
    }
    case 'sla': {
      const d = data as SlaReport;
      return table(
        [
          'By',
          'Name',
          'With SLA clock',
          'Met',
          'Breached',
          'Overdue',
          'Waiting',
          'Closed, no attempt',
          'Compliance %',
          'Median minutes to first contact',
        ],
        2,
        [...slaRows('All', [d.overall]), ...slaRows('Owner', d.byOwner), ...slaRows('Grade', d.byGrade)],
      );
    }
    case 'outcomes': {
      const d = data as OutcomesReport;
      return table(
        [
          'By',
          'Value',
          'Leads',
          'Reached MQL',
          'Reached SQL',
          'Reached opportunity',
          'Won',
          'Won / leads %',
          'Won / reached MQL %',
        ],
        2,
        [...outcomeRows('Grade', d.byGrade), ...outcomeRows('Segment', d.bySegment)],
      );
    }
    case 'dispositions': {
      const d = data as DispositionsReport;
      return table(
        ['Reason', 'Sub-reason', 'Stage', 'Leads', 'Share %'],
        3,
        d.rows.map((r) => [r.parent ?? r.label, r.parent ? r.label : '', r.toStageLabel, r.count, r.pct]),
      );
    }
  }
  throw new Error(`Unknown report ${String(kind)}`);
}

/** RFC 4180 CSV (CRLF, quotes doubled); numbers as plain decimals; cells that start a formula are prefixed. */
export function toCsv(table: ReportTable): string {
  const cell = (v: string | number | null): string => {
    if (v === null) return '';
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [table.columns, ...table.rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
