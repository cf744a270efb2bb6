/**
 * Backfilling stage history from spreadsheet columns: an imported CRM export often says
 * when each lead became an MQL or was won ("first_contact_date", "won_date") but not as
 * stage changes. For every lead whose field holds a date, this records the move to the
 * stage at that date, so the funnel and outcome reports cover history too. Past moves
 * open no follow-up (their SLA is long gone); leads already further along are left alone.
 */
import type Database from 'better-sqlite3';
import { customFieldSql, customSlots } from '../leads/custom-store';
import { parseDate, type DateOrder } from '../../../../shared/mapping';
import { AppError } from '../../errors';
import { changeStage, knownStage } from './stages';

export type StageFromFieldInput = Readonly<{
  /** A custom field name (spreadsheet column) or created_at/last_activity_at. */
  field: string;
  toStage: string;
  dateOrder?: DateOrder | undefined;
  actor: string;
}>;

export type StageFromFieldResult = Readonly<{ matched: number; changed: number; unparsable: number; skipped: number }>;

const NATIVE_DATE_FIELDS = new Set(['created_at', 'last_activity_at']);

/**
 * How far along its life a lead is, to leave alone leads already past the backfilled stage
 * (a lead lost or won is past MQL). Not the funnel's rank: a lost lead is no opportunity.
 */
const LIFECYCLE_RANK: Readonly<Record<string, number>> = {
  new: 0,
  mql: 1,
  sal: 2,
  sql: 3,
  opportunity: 4,
  lost: 4,
  won: 5,
};

export function stageFromField(db: Database.Database, input: StageFromFieldInput, now: number): StageFromFieldResult {
  if (!knownStage(db, input.toStage)) throw new AppError('VALIDATION', `Unknown stage "${input.toStage}".`);
  const native = NATIVE_DATE_FIELDS.has(input.field);
  const rows = (
    native
      ? db.prepare(`SELECT id, stage, ${input.field} AS v FROM leads WHERE ${input.field} IS NOT NULL`).all()
      : db
          .prepare(
            `SELECT id, stage, v FROM (SELECT id, stage, ${customFieldSql(customSlots(db).slotOf, input.field)} AS v FROM leads)
             WHERE v IS NOT NULL AND v <> ''`,
          )
          .all()
  ) as { id: number; stage: string; v: string | number }[];
  const target = LIFECYCLE_RANK[input.toStage];
  const byTime = new Map<number, number[]>();
  let unparsable = 0;
  let skipped = 0;
  for (const r of rows) {
    const at = typeof r.v === 'number' ? r.v : parseDate(String(r.v), input.dateOrder ?? 'auto');
    if (at === null) {
      unparsable++;
      continue;
    }
    const current = LIFECYCLE_RANK[r.stage];
    if (r.stage === input.toStage || (target !== undefined && current !== undefined && current > target)) {
      skipped++;
      continue;
    }
    const list = byTime.get(at) ?? [];
    list.push(r.id);
    byTime.set(at, list);
  }
  let changed = 0;
  db.transaction(() => {
    for (const [at, ids] of [...byTime.entries()].sort((a, b) => a[0] - b[0])) {
      changed += changeStage(db, ids, input.toStage, input.actor, `from field "${input.field}"`, now, {
        at,
        followup: false,
      }).changed;
    }
  })();
  return { matched: rows.length, changed, unparsable, skipped };
}
