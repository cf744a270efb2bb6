/**
 * Which closed leads keep a frozen score, and how the others are scored: the one rule every
 * scoring path follows (full rescore, incremental rescore, draft preview, explain, model fit).
 *
 * A lead closed in this workspace (a rep's stage move, or an import's outcome column on a
 * lead that was already here) keeps the score it had when it closed: full rescores leave it
 * alone unless asked to include closed leads. A lead that ARRIVED closed (the import that
 * created it also closed it from its outcome column, and nothing reopened it since) never
 * had a score it closed with: only the one the model of the day gave it during its import.
 * It takes the published model's score, as it stood when it closed (at its close time, with
 * only the activities before it), which is exactly how Model health and `report model`
 * score closed leads (services/outcomes/evaluate.ts), so the grid and the reports agree.
 * Every publish and full rescore moves such leads with the model.
 * [docs/decisions/closed-scores.md](../../../../docs/decisions/closed-scores.md)
 */
import type Database from 'better-sqlite3';
import type { Activity } from '../../../../shared/domain';
import { stmt } from '../../db/statements';

/**
 * When lead `l` closed: its last move into the stage it is in (an outcome column's move is
 * dated from the outcome date when the file had one). NULL when its history does not say.
 */
export const CLOSED_AT_SQL =
  '(SELECT max(c.changed_at) FROM stage_changes c WHERE c.lead_id = l.id AND c.to_stage = l.stage)';

/**
 * SQL test "lead `l` arrived closed": a move into a closed stage made by the import that
 * created it (actor `import #<leads.import_id>`, services/import/run.ts), and no move into
 * an open stage after it. `@closed` is the JSON list of closed stages (closedStages). Stage
 * moves the import made before closing (an MQL transition of its in-pass scoring) do not
 * count: they happened inside the import, the lead was never open to anyone.
 */
export const ARRIVED_CLOSED_SQL = `EXISTS (
  SELECT 1 FROM stage_changes f
   WHERE f.lead_id = l.id AND f.actor = 'import #' || l.import_id
     AND f.to_stage IN (SELECT value FROM json_each(@closed))
     AND NOT EXISTS (SELECT 1 FROM stage_changes o WHERE o.lead_id = l.id AND o.id > f.id
                      AND o.to_stage NOT IN (SELECT value FROM json_each(@closed))))`;

/**
 * Of the given leads (ids of leads in a closed stage), those that arrived closed, with their
 * close time (NaN: not known). The rest keep their frozen score.
 */
export function arrivedClosed(
  db: Database.Database,
  ids: readonly number[],
  closed: ReadonlySet<string>,
): Map<number, number> {
  const out = new Map<number, number>();
  if (ids.length === 0) return out;
  const rows = stmt(
    db,
    `SELECT l.id, ${CLOSED_AT_SQL} FROM leads l
      WHERE l.id IN (SELECT value FROM json_each(@ids)) AND l.import_id IS NOT NULL AND ${ARRIVED_CLOSED_SQL}`,
  )
    .raw(true)
    .all({ ids: JSON.stringify(ids), closed: JSON.stringify([...closed]) }) as [number, number | null][];
  for (const [id, at] of rows) out.set(id, at ?? NaN);
  return out;
}

/** The time a closed lead is measured at: its close time, or `now` when it is unknown (or later). */
export function measuredAt(closedAt: number, now: number): number {
  return Number.isNaN(closedAt) ? now : Math.min(closedAt, now);
}

/** The activities a closed lead had when it closed (`acts` in time order). */
export function activitiesBefore(acts: readonly Activity[], closedAt: number): readonly Activity[] {
  if (Number.isNaN(closedAt) || acts.length === 0 || acts.at(-1)!.occurred_at < closedAt) return acts;
  let end = 0;
  while (end < acts.length && acts[end]!.occurred_at < closedAt) end++;
  return acts.slice(0, end);
}

/**
 * How each lead of a batch is scored: `frozen` leads keep their stored score (skipped), a
 * lead in `arrived` is scored at its close time; every other lead is scored now.
 */
export type ClosedPlan = Readonly<{ frozen: ReadonlySet<number>; arrived: ReadonlyMap<number, number> }>;

const NONE: ClosedPlan = { frozen: new Set(), arrived: new Map() };

/**
 * The plan for `leads`: closed leads that arrived closed are scored at their close time;
 * the other closed leads are frozen, unless `includeClosed` (an explicit request), which
 * scores them now as if open.
 */
export function closedPlan(
  db: Database.Database,
  leads: readonly Readonly<{ id: number; stage: string }>[],
  closed: ReadonlySet<string>,
  includeClosed: boolean,
): ClosedPlan {
  const ids: number[] = [];
  for (const l of leads) if (closed.has(l.stage)) ids.push(l.id);
  if (ids.length === 0) return NONE;
  const arrived = arrivedClosed(db, ids, closed);
  return { frozen: new Set(includeClosed ? [] : ids.filter((id) => !arrived.has(id))), arrived };
}
