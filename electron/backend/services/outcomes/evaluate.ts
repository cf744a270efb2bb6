/**
 * Scoring closed leads for model health, learning and backtests, without writing anything:
 * a closed lead's stored score stays frozen (reports need the score it had), but a model
 * is measured by what it says about those leads now. One pass in lead id order over the
 * closed leads (their activities read with them), for several models at once.
 */
import type Database from 'better-sqlite3';
import type { Evaluated, RuleInfo } from '../../../../shared/learn/health';
import { LOST_STAGES } from '../../../../shared/outcomes';
import { compileModel, type ScoringModel } from '../../../../shared/scoring';
import { yieldToEventLoop, type Job } from '../../jobs';
import { activitiesOfLeadsFlat, activityCursor, leadsByIds } from '../scoring/lead-data';

export const CLOSED_OUTCOME_STAGES: readonly string[] = ['won', ...LOST_STAGES];
const STAGES_SQL = CLOSED_OUTCOME_STAGES.map((s) => `'${s}'`).join(', ');

/** Closed leads, optionally only those closed within [from, to] (by their last move to won/lost). */
export type ClosedFilter = Readonly<{ from?: number | undefined; to?: number | undefined }>;

/** Ids of the closed leads (won, lost, disqualified), in id order, with their outcome. */
export function closedLeads(db: Database.Database, filter: ClosedFilter = {}): { ids: number[]; outcome: Uint8Array } {
  const period = filter.from !== undefined || filter.to !== undefined;
  const rows = db
    .prepare(
      period
        ? `SELECT l.id, l.stage FROM leads l
            WHERE l.stage IN (${STAGES_SQL})
              AND (SELECT max(c.changed_at) FROM stage_changes c WHERE c.lead_id = l.id AND c.to_stage = l.stage)
                  BETWEEN ? AND ?
            ORDER BY l.id`
        : `SELECT id, stage FROM leads WHERE stage IN (${STAGES_SQL}) ORDER BY id`,
    )
    .raw(true)
    .all(...(period ? [filter.from ?? -8.64e15, filter.to ?? 8.64e15] : [])) as [number, string][];
  return { ids: rows.map((r) => r[0]), outcome: Uint8Array.from(rows, (r) => (r[1] === 'won' ? 1 : 0)) };
}

/** A model's rules in the order its compact ledger indexes them: profile rules, then activity rules. */
function ruleTable(model: ScoringModel): { rules: RuleInfo[]; profile: number[]; activity: number[] } {
  const rules: RuleInfo[] = [];
  const profile: number[] = [];
  const activity: number[] = [];
  const add = (r: RuleInfo): number => rules.push(r) - 1;
  const fit = model.fit.map((r) => add({ id: r.id, name: r.name, kind: 'fit', points: r.points }));
  const engagement = model.engagement.map((r) => add({ id: r.id, name: r.name, kind: 'engagement', points: r.points }));
  profile.push(...fit);
  activity.push(...engagement);
  for (const r of model.negative) {
    const at = add({ id: r.id, name: r.name, kind: 'negative', points: r.points });
    (r.on === 'profile' ? profile : activity).push(at);
  }
  return { rules, profile, activity };
}

const CHUNK = 2000;

/**
 * Scores `ids` (closed leads, ascending) with each model; hits say which rules gave each
 * lead points. Yields between chunks and stops when the job is cancelled.
 */
export async function evaluateLeads(
  db: Database.Database,
  models: readonly ScoringModel[],
  ids: readonly number[],
  outcome: Uint8Array,
  now: number,
  job: Job | null = null,
  onProgress?: (done: number) => void,
): Promise<Evaluated[]> {
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
    };
  });
  for (let at = 0; at < n; at += CHUNK) {
    job?.checkCancelled();
    const part = ids.slice(at, at + CHUNK);
    // Only the wanted leads are read: held-out or sampled ids are spread over the whole range.
    const leads = leadsByIds(db, part);
    const activitiesOf = activityCursor(activitiesOfLeadsFlat(db, part));
    leads.forEach((lead, j) => {
      const i = at + j;
      const acts = activitiesOf(lead.id);
      for (const s of setups) {
        if (!s.compiled.applies(lead, now)) {
          s.total[i] = 0;
          s.grade[i] = '-';
          s.segment[i] = '-';
          continue;
        }
        const r = s.compiled.scoreCore(lead, acts, now);
        s.total[i] = r.total;
        s.grade[i] = r.grade;
        s.segment[i] = r.segment;
        for (const e of r.compact) {
          const kind = e[0];
          const index = e[1] as number;
          const rule = kind === 0 ? s.table.profile[index] : kind === 1 ? s.table.activity[index] : undefined;
          if (rule !== undefined) s.hits[rule]![i] = 1;
        }
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
  }));
}
