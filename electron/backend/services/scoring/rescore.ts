/**
 * Incremental rescoring: the leads an import or an edit touched are rescored synchronously,
 * inside the caller's flow, with the same shared scoring module the full rescore uses.
 * Leads in a closed stage keep their frozen score unless `includeClosed` is asked for.
 */
import type Database from 'better-sqlite3';

export type RescoreOptions = Readonly<{
  /** Rescore leads in closed stages too (an explicit user request); default false. */
  includeClosed?: boolean;
}>;

export type RescoreSummary = Readonly<{
  /** Leads whose scores were (re)written. */
  scored: number;
  /** Leads skipped because they are in a closed stage (score frozen). */
  frozen: number;
  /** Leads whose primary total, grade or segment changed. */
  changed: number;
}>;

/**
 * Rescores the given leads under every published model that applies to them, keeps the
 * lead row's primary-model columns in sync and records score history. Synchronous: call it
 * inside or right after the transaction that changed the leads.
 */
export function rescoreLeads(
  _db: Database.Database,
  leadIds: readonly number[],
  _now: number,
  _options: RescoreOptions = {},
): RescoreSummary {
  // Placeholder until the scoring service lands (same file, same signature).
  return { scored: 0, frozen: 0, changed: leadIds.length * 0 };
}
