/**
 * Recording outcomes from an import's outcome column. While rows are written, `note` keeps
 * each lead's outcome (won / lost, decided when, deal value); once the import is committed
 * and its leads scored, `apply` moves them to the Won / Lost stage, dated from the outcome
 * date when the file has one. Scoring first matters: a lead that closes keeps the score it
 * had (its score is frozen), and a lead imported already closed must have one to keep.
 */
import type Database from 'better-sqlite3';
import { parseDate, parseNumber, placeholderSet, type DateOrder } from '../../../../shared/mapping';
import { classifyOutcome, type Outcome, type OutcomeMapping } from '../../../../shared/outcomes';
import { changeStage } from '../followup/stages';

type Noted = { outcome: Outcome; at: number | null; value: number | null };

export type OutcomeCounts = { won: number; lost: number; open: number };

export type OutcomeRecorder = Readonly<{
  /** Keeps the outcome of the row just written for lead `leadId`. */
  note: (leadId: number, cells: readonly string[]) => void;
  /** Moves the noted leads to Won / Lost and stores their outcomes; returns the counts. */
  apply: (db: Database.Database, actor: string, now: number) => OutcomeCounts;
}>;

/** A recorder for one import (headers as the plan resolved them). */
export function outcomeRecorder(
  mapping: OutcomeMapping,
  headers: readonly string[],
  dateOrder: DateOrder,
  importId: number,
): OutcomeRecorder {
  const col = headers.indexOf(mapping.column);
  const dateCol = mapping.dateColumn ? headers.indexOf(mapping.dateColumn) : -1;
  const valueCol = mapping.valueColumn ? headers.indexOf(mapping.valueColumn) : -1;
  // "Select", "N/A"... mean nothing was chosen: such a lead is still open, never lost.
  const blanks = placeholderSet();
  const noted = new Map<number, Noted>();
  let open = 0;
  return {
    note: (leadId, cells) => {
      const outcome = classifyOutcome(cells[col], mapping, blanks);
      if (outcome === null) {
        open++;
        return;
      }
      const rawDate = dateCol >= 0 ? (cells[dateCol] ?? '').trim() : '';
      const rawValue = valueCol >= 0 ? (cells[valueCol] ?? '').trim() : '';
      noted.set(leadId, {
        outcome,
        at: rawDate ? parseDate(rawDate, dateOrder) : null,
        value: rawValue ? parseNumber(rawValue) : null,
      });
    },
    apply: (db, actor, now) => {
      const groups = new Map<string, number[]>();
      let won = 0;
      for (const [id, n] of noted) {
        if (n.outcome === 'won') won++;
        const key = `${n.outcome}|${n.at ?? now}`;
        const list = groups.get(key) ?? [];
        list.push(id);
        groups.set(key, list);
      }
      const store = db.prepare(
        `INSERT OR REPLACE INTO lead_outcomes (lead_id, outcome, decided_at, deal_value, import_id, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      );
      const column = db.prepare(
        'INSERT OR REPLACE INTO outcome_columns (column_name, role, import_id) VALUES (?, ?, ?)',
      );
      db.transaction(() => {
        column.run(mapping.column, 'outcome', importId);
        if (mapping.dateColumn) column.run(mapping.dateColumn, 'date', importId);
        if (mapping.valueColumn) column.run(mapping.valueColumn, 'value', importId);
        for (const [id, n] of noted) store.run(id, n.outcome, n.at, n.value, importId, now);
        for (const [key, ids] of groups) {
          const [stage, at] = key.split('|') as [Outcome, string];
          // Closing also closes any follow-up the import's scoring opened.
          changeStage(db, ids, stage, actor, `outcome column "${mapping.column}"`, now, { at: Number(at) });
        }
      })();
      return { won, lost: noted.size - won, open };
    },
  };
}

/** Columns that carried outcomes, outcome dates or deal values in any import (never predictors). */
export function outcomeColumns(db: Database.Database): ReadonlySet<string> {
  return new Set(db.prepare('SELECT column_name FROM outcome_columns').pluck().all() as string[]);
}
