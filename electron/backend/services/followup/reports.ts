/**
 * The follow-up reports, computed in SQL over the filtered lead set, by the definitions in
 * shared/followup/definitions.ts. Funnel and outcome counts use "reached": the furthest
 * funnel step in a lead's stage history (its current stage, every stage it entered and
 * every stage it left), so a won lead passed MQL..opportunity even when it skipped
 * recording them, and a lead lost from MQL counts for MQL only. Every report's period
 * filter reads the same date of the lead: its created date (from the file when a column
 * was mapped to it, else when it was imported) or, when asked, its import date.
 */
import type Database from 'better-sqlite3';
import { DEFAULT_DATE_BASIS, FUNNEL_STAGE_RANK, REACHED_MQL } from '../../../../shared/followup/definitions';
import {
  FUNNEL_STEPS,
  pct,
  type DispositionsReport,
  type FunnelReport,
  type GradesReport,
  type OutcomeRow,
  type OutcomesReport,
  type ReportFilter,
  type SlaReport,
  type SlaRow,
} from '../../../../shared/followup/reports';
import { slaStatus } from '../../../../shared/followup/sla';
import { listStages } from './config';

type Base = { sql: string; params: Record<string, unknown> };

/** The lead date a period filter reads (definitions.ts DATE_BASES). */
function leadDateSql(f: ReportFilter): string {
  const basis = f.dateBasis ?? DEFAULT_DATE_BASIS;
  // created_at is the file's created date when one was mapped, else the import time.
  return basis === 'imported'
    ? '(SELECT coalesce(i.started_at, l.created_at) FROM imports i WHERE i.id = l.import_id)'
    : 'l.created_at';
}

/** The filtered lead set as a CTE "base"(id, stage, owner_id, grade, segment). */
function baseCte(f: ReportFilter): Base {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const date = leadDateSql(f);
  if (f.from !== undefined) {
    where.push(`coalesce(${date}, l.created_at) >= @from`);
    params.from = f.from;
  }
  if (f.to !== undefined) {
    where.push(`coalesce(${date}, l.created_at) < @to`);
    params.to = f.to;
  }
  if (f.source !== undefined) {
    where.push('l.source = @source');
    params.source = f.source;
  }
  if (f.campaign !== undefined) {
    where.push('l.campaign = @campaign');
    params.campaign = f.campaign;
  }
  if (f.importId !== undefined) {
    where.push('l.import_id = @importId');
    params.importId = f.importId;
  }
  if (f.ownerId !== undefined) {
    where.push('l.owner_id = @ownerId');
    params.ownerId = f.ownerId;
  }
  let from = 'leads l';
  let grade = 'l.grade';
  let segment = 'l.segment';
  if (f.modelId !== undefined) {
    from = 'leads l JOIN lead_scores s ON s.lead_id = l.id AND s.model_id = @modelId';
    grade = 's.grade';
    segment = 's.segment';
    params.modelId = f.modelId;
  }
  const sql = `base AS (SELECT l.id, l.stage, l.owner_id, ${grade} AS grade, ${segment} AS segment
    FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''})`;
  return { sql, params };
}

/** A stage key's funnel step (0 for stages that are no step: new, lost, recycled...). */
function rankCase(column: string): string {
  const whens = Object.entries(FUNNEL_STAGE_RANK)
    .map(([k, r]) => `WHEN '${k}' THEN ${r}`)
    .join(' ');
  return `(CASE ${column} ${whens} ELSE 0 END)`;
}

/**
 * CTE "reach"(id, grade, segment, owner_id, r): the furthest funnel step each lead's stage
 * history reached: its current stage, and every stage it moved into or out of (one grouped
 * pass over stage_changes, joined).
 */
function reachCte(base: Base): string {
  return `WITH ${base.sql},
    hist AS (SELECT sc.lead_id, max(max(${rankCase('sc.to_stage')}, ${rankCase('sc.from_stage')})) AS r
      FROM stage_changes sc GROUP BY sc.lead_id),
    reach AS (SELECT b.id, b.grade, b.segment, b.owner_id, max(${rankCase('b.stage')}, coalesce(h.r, 0)) AS r
      FROM base b LEFT JOIN hist h ON h.lead_id = b.id)`;
}

export function funnelReport(db: Database.Database, f: ReportFilter): FunnelReport {
  const base = baseCte(f);
  const row = db
    .prepare(
      `${reachCte(base)}
       SELECT count(*) AS names, coalesce(sum(r >= 1), 0) AS mql, coalesce(sum(r >= 2), 0) AS sal,
         coalesce(sum(r >= 3), 0) AS sql, coalesce(sum(r >= 4), 0) AS opportunity, coalesce(sum(r >= 5), 0) AS won
       FROM reach`,
    )
    .get(base.params) as Record<(typeof FUNNEL_STEPS)[number], number>;
  const labels = new Map(listStages(db).map((s) => [s.key, s.label]));
  let prev: number | null = null;
  const steps = FUNNEL_STEPS.map((key) => {
    const count = row[key];
    const step = {
      key,
      label:
        key === 'names'
          ? 'All leads'
          : key === 'mql'
            ? REACHED_MQL.label
            : key === 'won'
              ? (labels.get(key) ?? key)
              : `Reached ${labels.get(key) ?? key}`,
      count,
      conversionPct: prev === null ? (count > 0 ? 100 : null) : pct(count, prev),
      ofNamesPct: pct(count, row.names),
    };
    prev = count;
    return step;
  });
  return { steps };
}

export function gradesReport(db: Database.Database, f: ReportFilter): GradesReport {
  const base = baseCte(f);
  const grades = db
    .prepare(`WITH ${base.sql} SELECT grade, count(*) AS n FROM base GROUP BY grade`)
    .all(base.params) as { grade: string | null; n: number }[];
  const segments = db
    .prepare(
      `WITH ${base.sql} SELECT coalesce(segment, '(none)') AS segment, count(*) AS n FROM base GROUP BY 1 ORDER BY n DESC, 1`,
    )
    .all(base.params) as { segment: string; n: number }[];
  const total = grades.reduce((s, g) => s + g.n, 0);
  const fits = ['A', 'B', 'C', 'D'];
  const engagements = [1, 2, 3, 4];
  const counts = new Map(grades.filter((g) => g.grade !== null).map((g) => [g.grade!, g.n]));
  const cells = fits.flatMap((fit) =>
    engagements.map((e) => ({ grade: `${fit}${e}`, fit, engagement: e, count: counts.get(`${fit}${e}`) ?? 0 })),
  );
  const inGrid = cells.reduce((s, c) => s + c.count, 0);
  return {
    total,
    ungraded: total - inGrid,
    fits,
    engagements,
    cells,
    segments: segments.map((s) => ({ segment: s.segment, count: s.n, pct: pct(s.n, total) })),
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

type SlaAcc = {
  label: string;
  total: number;
  met: number;
  breached: number;
  overdue: number;
  waiting: number;
  closedNoAttempt: number;
  ttfc: number[];
};

function slaRow(key: string, a: SlaAcc): SlaRow {
  const m = median(a.ttfc);
  return {
    key,
    label: a.label,
    total: a.total,
    met: a.met,
    breached: a.breached,
    overdue: a.overdue,
    waiting: a.waiting,
    closedNoAttempt: a.closedNoAttempt,
    compliancePct: pct(a.met, a.met + a.breached + a.overdue),
    medianMinutesToFirstContact: m === null ? null : Math.round(m / 600) / 100,
  };
}

export function slaReport(db: Database.Database, f: ReportFilter, now: number, dueSoonFraction: number): SlaReport {
  const base = baseCte(f);
  // Only leads that had a policy clock (a follow-up row) count; definitions.ts SLA_MET.
  const rows = db
    .prepare(
      `WITH ${base.sql}
       SELECT b.owner_id, o.name AS owner_name, b.grade, fu.mql_at, fu.due_at, fu.first_contact_at, fu.closed_at
       FROM base b JOIN lead_followup fu ON fu.lead_id = b.id LEFT JOIN owners o ON o.id = b.owner_id`,
    )
    .all(base.params) as {
    owner_id: number | null;
    owner_name: string | null;
    grade: string | null;
    mql_at: number;
    due_at: number;
    first_contact_at: number | null;
    closed_at: number | null;
  }[];
  const byOwner = new Map<string, SlaAcc>();
  const byGrade = new Map<string, SlaAcc>();
  const empty = (label: string): SlaAcc => ({
    label,
    total: 0,
    met: 0,
    breached: 0,
    overdue: 0,
    waiting: 0,
    closedNoAttempt: 0,
    ttfc: [],
  });
  const overall = empty('All owners');
  const acc = (m: Map<string, SlaAcc>, key: string, label: string): SlaAcc => {
    let a = m.get(key);
    if (!a) {
      a = empty(label);
      m.set(key, a);
    }
    return a;
  };
  for (const r of rows) {
    const status = slaStatus(
      { startAt: r.mql_at, dueAt: r.due_at, firstContactAt: r.first_contact_at, closedAt: r.closed_at },
      now,
      dueSoonFraction,
    );
    const targets = [
      overall,
      acc(byOwner, r.owner_id === null ? 'unassigned' : String(r.owner_id), r.owner_name ?? 'Unassigned'),
      acc(byGrade, r.grade ?? 'ungraded', r.grade ?? 'Ungraded'),
    ];
    for (const a of targets) {
      a.total++;
      if (status === 'met') a.met++;
      else if (status === 'breached') a.breached++;
      else if (status === 'overdue') a.overdue++;
      else if (status === 'no_attempt') a.closedNoAttempt++;
      else a.waiting++;
      if (r.first_contact_at !== null) a.ttfc.push(r.first_contact_at - r.mql_at);
    }
  }
  const sorted = (m: Map<string, SlaAcc>) =>
    [...m.entries()].sort((a, b) => a[1].label.localeCompare(b[1].label)).map(([k, a]) => slaRow(k, a));
  return { byOwner: sorted(byOwner), byGrade: sorted(byGrade), overall: slaRow('all', overall) };
}

export function outcomesReport(db: Database.Database, f: ReportFilter): OutcomesReport {
  const base = baseCte(f);
  // One pass grouped by (grade, segment); both breakdowns are sums of these cells.
  const cells = db
    .prepare(
      `${reachCte(base)}
       SELECT coalesce(grade, '(none)') AS grade, coalesce(segment, '(none)') AS segment, count(*) AS leads,
         coalesce(sum(r >= 1), 0) AS mql, coalesce(sum(r >= 3), 0) AS sql, coalesce(sum(r >= 4), 0) AS opportunity,
         coalesce(sum(r >= 5), 0) AS won
       FROM reach GROUP BY 1, 2`,
    )
    .all(base.params) as {
    grade: string;
    segment: string;
    leads: number;
    mql: number;
    sql: number;
    opportunity: number;
    won: number;
  }[];
  const group = (column: 'grade' | 'segment'): OutcomeRow[] => {
    const acc = new Map<string, { leads: number; mql: number; sql: number; opportunity: number; won: number }>();
    for (const c of cells) {
      const a = acc.get(c[column]) ?? { leads: 0, mql: 0, sql: 0, opportunity: 0, won: 0 };
      a.leads += c.leads;
      a.mql += c.mql;
      a.sql += c.sql;
      a.opportunity += c.opportunity;
      a.won += c.won;
      acc.set(c[column], a);
    }
    return [...acc.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([key, r]) => ({ key, ...r, winRatePct: pct(r.won, r.leads), mqlWinRatePct: pct(r.won, r.mql) }));
  };
  return { byGrade: group('grade'), bySegment: group('segment') };
}

export function dispositionsReport(db: Database.Database, f: ReportFilter): DispositionsReport {
  const base = baseCte(f);
  const rows = db
    .prepare(
      `WITH ${base.sql}
       SELECT r.id AS reason_id, p.label AS parent, r.label, r.to_stage, count(*) AS n
       FROM dispositions d JOIN base b ON b.id = d.lead_id
       JOIN disposition_reasons r ON r.id = d.reason_id LEFT JOIN disposition_reasons p ON p.id = r.parent_id
       GROUP BY r.id ORDER BY n DESC, coalesce(p.label, r.label), r.label`,
    )
    .all(base.params) as { reason_id: number; parent: string | null; label: string; to_stage: string; n: number }[];
  const total = rows.reduce((s, r) => s + r.n, 0);
  const stageLabels = new Map(listStages(db).map((st) => [st.key, st.label]));
  return {
    total,
    rows: rows.map((r) => ({
      reasonId: r.reason_id,
      parent: r.parent,
      label: r.label,
      toStage: r.to_stage,
      toStageLabel: stageLabels.get(r.to_stage) ?? r.to_stage,
      count: r.n,
      pct: pct(r.n, total),
    })),
  };
}

export type FilterOptions = Readonly<{
  sources: readonly string[];
  campaigns: readonly string[];
  imports: readonly { id: number; label: string }[];
  models: readonly { id: number; name: string; primary: boolean }[];
}>;

export function reportFilterOptions(db: Database.Database): FilterOptions {
  const distinct = (col: 'source' | 'campaign') =>
    (
      db
        .prepare(
          `SELECT DISTINCT ${col} AS v FROM leads WHERE ${col} IS NOT NULL AND ${col} <> '' ORDER BY 1 LIMIT 500`,
        )
        .all() as { v: string }[]
    ).map((r) => r.v);
  const imports = db
    .prepare('SELECT id, file_name, started_at FROM imports ORDER BY started_at DESC, id DESC LIMIT 200')
    .all() as { id: number; file_name: string }[];
  const models = db.prepare('SELECT id, name, is_primary FROM models ORDER BY is_primary DESC, name').all() as {
    id: number;
    name: string;
    is_primary: number;
  }[];
  return {
    sources: distinct('source'),
    campaigns: distinct('campaign'),
    imports: imports.map((i) => ({ id: i.id, label: `#${i.id} ${i.file_name}` })),
    models: models.map((m) => ({ id: m.id, name: m.name, primary: m.is_primary === 1 })),
  };
}
