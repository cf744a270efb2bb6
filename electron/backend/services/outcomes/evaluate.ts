/**
 * Scoring closed leads for model health, learning and backtests, without writing anything:
 * a lead closed in this workspace keeps its frozen stored score (reports need the score it
 * had), but a model is measured by what it says about those leads. A lead that arrived
 * closed is stored with exactly this score of the primary model (scoring/closed-scores.ts). Each closed lead is scored as it stood
 * when it closed: at its close time, with only the activities before it (a customer who
 * keeps opening emails after winning must not make an engagement rule look predictive).
 * One pass in lead id order over the closed leads (their activities read with them), for
 * several models at once.
 */
import type Database from 'better-sqlite3';
import type { Evaluated } from '../../../../shared/learn/health';
import { forEachHit, ruleTable } from '../../../../shared/learn/rule-hits';
import { LOST_STAGES } from '../../../../shared/outcomes';
import { compileModel, type ScoringModel } from '../../../../shared/scoring';
import { yieldToEventLoop, type Job } from '../../jobs';
import { modelLeadFields } from '../../../../shared/scoring/compile/lead-fields';
import { activitiesOfLeadsFlat, activityCursor, leadColumnsFor, leadsByIds } from '../scoring/lead-data';
import { activitiesBefore, CLOSED_AT_SQL, measuredAt } from '../scoring/closed-scores';

export const CLOSED_OUTCOME_STAGES: readonly string[] = ['won', ...LOST_STAGES];
const STAGES_SQL = CLOSED_OUTCOME_STAGES.map((s) => `'${s}'`).join(', ');

// One definition of a close time, shared with the scoring of leads that arrived closed.
export { CLOSED_AT_SQL, measuredAt } from '../scoring/closed-scores';

/** Closed leads, optionally only those closed within [from, to] (by their last move to won/lost). */
export type ClosedFilter = Readonly<{ from?: number | undefined; to?: number | undefined }>;

/** Closed leads in id order: outcome 1 won / 0 lost, and when each closed (NaN: not known). */
export type ClosedSet = Readonly<{ ids: readonly number[]; outcome: Uint8Array; closedAt: Float64Array }>;

/** The closed leads (won, lost, disqualified), in id order, with their outcome and close time. */
export function closedLeads(db: Database.Database, filter: ClosedFilter = {}): ClosedSet {
  const period = filter.from !== undefined || filter.to !== undefined;
  const rows = db
    .prepare(
      `SELECT id, stage, closed_at FROM (SELECT l.id, l.stage, ${CLOSED_AT_SQL} AS closed_at
          FROM leads l WHERE l.stage IN (${STAGES_SQL}))
        ${period ? 'WHERE closed_at BETWEEN ? AND ?' : ''} ORDER BY id`,
    )
    .raw(true)
    .all(...(period ? [filter.from ?? -8.64e15, filter.to ?? 8.64e15] : [])) as [number, string, number | null][];
  return {
    ids: rows.map((r) => r[0]),
    outcome: Uint8Array.from(rows, (r) => (r[1] === 'won' ? 1 : 0)),
    closedAt: Float64Array.from(rows, (r) => r[2] ?? NaN),
  };
}

/** The leads of `set` at the given positions (ascending), e.g. a held-out share. */
export function closedSubset(set: ClosedSet, rows: readonly number[]): ClosedSet {
  return {
    ids: rows.map((i) => set.ids[i]!),
    outcome: Uint8Array.from(rows, (i) => set.outcome[i]!),
    closedAt: Float64Array.from(rows, (i) => set.closedAt[i]!),
  };
}

const CHUNK = 2000;

/**
 * Scores the closed leads of `set` with each model, each lead as it stood when it closed;
 * hits say which rules gave each lead points. Yields between chunks and stops when the job
 * is cancelled.
 */
export async function evaluateLeads(
  db: Database.Database,
  models: readonly ScoringModel[],
  set: ClosedSet,
  now: number,
  job: Job | null = null,
  onProgress?: (done: number) => void,
): Promise<Evaluated[]> {
  const { ids, outcome, closedAt } = set;
  const n = ids.length;
  const setups = models.map((model) => {
    const table = ruleTable(model);
    return {
      model,
      compiled: compileModel(model),
      table,
      total: new Float64Array(n),
      grade: new Array<string>(n),
      segment: new Array<string>(n),
      hits: table.rules.map(() => new Uint8Array(n)),
      // Per-unit rules give each lead its own points: Model health needs them (health.ts).
      given: table.rules.map((r) => (r.unit ? new Float64Array(n) : null)),
    };
  });
  // Only the columns the models read (a custom-field JSON per lead is costly to parse).
  const columns = leadColumnsFor(models.flatMap((m) => [...modelLeadFields(m)]));
  for (let at = 0; at < n; at += CHUNK) {
    job?.checkCancelled();
    const part = ids.slice(at, at + CHUNK);
    // Only the wanted leads are read: held-out or sampled ids are spread over the whole range.
    const leads = leadsByIds(db, part, columns);
    const activitiesOf = activityCursor(activitiesOfLeadsFlat(db, part));
    leads.forEach((lead, j) => {
      const i = at + j;
      const acts = activitiesBefore(activitiesOf(lead.id), closedAt[i]!);
      const when = measuredAt(closedAt[i]!, now);
      for (const s of setups) {
        if (!s.compiled.applies(lead, when)) {
          s.total[i] = 0;
          s.grade[i] = '-';
          s.segment[i] = '-';
          continue;
        }
        const r = s.compiled.scoreCore(lead, acts, when);
        s.total[i] = r.total;
        s.grade[i] = r.grade;
        s.segment[i] = r.segment;
        forEachHit(r.compact, s.table, (rule, points) => {
          s.hits[rule]![i] = 1;
          const given = s.given[rule];
          if (given) given[i]! += points;
        });
      }
    });
    onProgress?.(Math.min(n, at + CHUNK));
    await yieldToEventLoop();
  }
  return setups.map((s) => ({
    outcome,
    total: s.total,
    grade: s.grade,
    segment: s.segment,
    rules: s.table.rules,
    hits: s.hits,
    given: s.given,
  }));
}
