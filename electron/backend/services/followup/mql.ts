/**
 * The automatic MQL transition, run by every rescore after scores are written: a lead
 * whose primary-model result says MQL, that is not suppressed (by a scoring rule or by
 * hand) and that sits in New or Recycled enters MQL. That moment starts its SLA clock and
 * routing assigns it an owner (see changeStage).
 */
import type Database from 'better-sqlite3';
import { changeStage } from './stages';

export const MQL_ACTOR = 'system';
export const MQL_REASON = 'crossed MQL threshold';

const CHUNK = 500;

/** Moves the qualifying leads among `leadIds` into MQL; returns how many moved. */
export function applyMqlTransitions(db: Database.Database, leadIds: readonly number[], now: number): number {
  const eligible: number[] = [];
  for (let i = 0; i < leadIds.length; i += CHUNK) {
    const part = leadIds.slice(i, i + CHUNK);
    const rows = db
      .prepare(
        `SELECT id FROM leads WHERE id IN (${part.map(() => '?').join(',')})
           AND is_mql = 1 AND suppressed_reason IS NULL AND manual_suppression IS NULL
           AND stage IN ('new', 'recycled')`,
      )
      .all(...part) as { id: number }[];
    for (const r of rows) eligible.push(r.id);
  }
  if (eligible.length === 0) return 0;
  return changeStage(db, eligible, 'mql', MQL_ACTOR, MQL_REASON, now).changed;
}
