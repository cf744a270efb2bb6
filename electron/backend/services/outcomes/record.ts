/**
 * Recording outcomes from an import's outcome column. While rows are written, `note` keeps
 * each lead's outcome (won / lost, decided when, deal value); `apply` runs in the import's
 * own commit, so the import lands with its outcomes or not at all. It first scores the noted
 * leads the import's pass did not score (a lead closed in the workspace keeps the score it
 * had), then moves them to the Won / Lost stage, dated from the outcome date when the file
 * has one. The leads the import created arrived closed: they are scored as they stood when
 * they closed, as every later rescore scores them (scoring/closed-scores.ts): by the rescore
 * after the import (a lead the pass did not score is among its affected leads), or, for a
 * lead its pass scored, here again when an outcome date makes its close time another than
 * now (without one its pass score is that score already). For leads that existed before the
 * import, what the move changes (stage, history rows, follow-up, earlier outcome) is
 * journaled so undo puts it back.
 */
import type Database from 'better-sqlite3';
import { parseDate, parseNumber, placeholderSet, type DateOrder } from '../../../../shared/mapping';
import { classifyOutcome, type Outcome, type OutcomeMapping } from '../../../../shared/outcomes';
import { changeStage } from '../followup/stages';
import { rescoreLeads } from '../scoring/rescore';

type Noted = { outcome: Outcome; at: number | null; value: number | null };

export type OutcomeCounts = { won: number; lost: number; open: number };

export type OutcomeRecorder = Readonly<{
  /** Keeps the outcome of the row just written for lead `leadId`. */
  note: (leadId: number, cells: readonly string[]) => void;
  /**
   * Moves the noted leads to Won / Lost and stores their outcomes; returns the counts and how
   * many leads it scored. `scoredAlready` tells the leads that hold fresh scores (scored in
   * the import's pass): they keep those, the others are scored first.
   */
  apply: (
    db: Database.Database,
    actor: string,
    now: number,
    scoredAlready?: (leadId: number) => boolean,
  ) => { counts: OutcomeCounts; scored: number };
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
    apply: (db, actor, now, scoredAlready = () => false) => {
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
      let scored = 0;
      db.transaction(() => {
        const ids = [...noted.keys()];
        const createdHere = new Set(
          db
            .prepare('SELECT id FROM leads WHERE id IN (SELECT value FROM json_each(?)) AND import_id = ?')
            .pluck()
            .all(JSON.stringify(ids), importId) as number[],
        );
        // Scored before closing, as the import's pass scores its leads. A lead the import created
        // is counted by the rescore after the import, which scores it again now that it arrived
        // closed (as it stood when it closed); a lead that was here keeps this score (frozen).
        const unscored = ids.filter((id) => !scoredAlready(id));
        for (let i = 0; i < unscored.length; i += 5000) {
          const part = unscored.slice(i, i + 5000);
          rescoreLeads(db, part, now);
          scored += part.filter((id) => !createdHere.has(id)).length;
        }
        const journal = journalBefore(db, importId, ids);
        const lastChange = (db.prepare('SELECT coalesce(max(id), 0) FROM stage_changes').pluck().get() as number) ?? 0;
        column.run(mapping.column, 'outcome', importId);
        if (mapping.dateColumn) column.run(mapping.dateColumn, 'date', importId);
        if (mapping.valueColumn) column.run(mapping.valueColumn, 'value', importId);
        for (const [id, n] of noted) store.run(id, n.outcome, n.at, n.value, importId, now);
        for (const [key, ids] of groups) {
          const [stage, at] = key.split('|') as [Outcome, string];
          // Closing also closes any follow-up the import's scoring opened.
          changeStage(db, ids, stage, actor, `outcome column "${mapping.column}"`, now, { at: Number(at) });
        }
        journal(lastChange);
        // Leads the pass scored at import time whose close time is another (an outcome date) are
        // scored again as they stood then (counted once: the pass counted them). The created
        // leads the pass did not score are left to the rescore after the import, which scores
        // them so too (they are among its affected leads).
        const redo = [...createdHere].filter((id) => scoredAlready(id) && noted.get(id)!.at !== null);
        for (let i = 0; i < redo.length; i += 5000) rescoreLeads(db, redo.slice(i, i + 5000), now);
      })();
      return { counts: { won, lost: noted.size - won, open }, scored };
    },
  };
}

/** What closing a lead that existed before the import changes, as undo needs it back. */
type StageBefore = {
  stage: string;
  updated_at: number;
  sla_due_at: number | null;
  followup: { status: string; closed_at: number | null; disposition_id: number | null } | null;
  outcome: {
    outcome: string;
    decided_at: number | null;
    deal_value: number | null;
    import_id: number | null;
    recorded_at: number;
  } | null;
  /** The stage_changes rows the import's outcome added. */
  changes: number[];
};

/** The journal action for an outcome's stage move on a lead the import did not create. */
const OUTCOME_ACTION = 'outcome';

/**
 * Reads the before-state of the noted leads that the import did not create; the returned
 * function journals it once the moves are done (with the ids of the history rows they added).
 */
function journalBefore(db: Database.Database, importId: number, ids: readonly number[]): (lastChange: number) => void {
  const lead = db.prepare('SELECT stage, updated_at, sla_due_at, import_id FROM leads WHERE id = ?');
  const followup = db.prepare('SELECT status, closed_at, disposition_id FROM lead_followup WHERE lead_id = ?');
  const outcome = db.prepare(
    'SELECT outcome, decided_at, deal_value, import_id, recorded_at FROM lead_outcomes WHERE lead_id = ?',
  );
  const before = new Map<number, StageBefore>();
  for (const id of ids) {
    const l = lead.get(id) as {
      stage: string;
      updated_at: number;
      sla_due_at: number | null;
      import_id: number | null;
    };
    if (!l || l.import_id === importId) continue;
    before.set(id, {
      stage: l.stage,
      updated_at: l.updated_at,
      sla_due_at: l.sla_due_at,
      followup: (followup.get(id) as StageBefore['followup'] | undefined) ?? null,
      outcome: (outcome.get(id) as StageBefore['outcome'] | undefined) ?? null,
      changes: [],
    });
  }
  return (lastChange) => {
    if (before.size === 0) return;
    for (const [id, leadId] of db
      .prepare('SELECT id, lead_id FROM stage_changes WHERE id > ?')
      .raw(true)
      .iterate(lastChange) as IterableIterator<[number, number]>)
      before.get(leadId)?.changes.push(id);
    let seq = db
      .prepare('SELECT coalesce(max(seq), 0) FROM import_journal WHERE import_id = ?')
      .pluck()
      .get(importId) as number;
    const insert = db.prepare(
      'INSERT INTO import_journal (import_id, seq, action, lead_id, before) VALUES (?, ?, ?, ?, ?)',
    );
    for (const [id, b] of before) insert.run(importId, ++seq, OUTCOME_ACTION, id, JSON.stringify(b));
  };
}

/**
 * Undo of an import's outcomes on leads that existed before it: their stage, follow-up and
 * earlier outcome come back and the history rows the import added go. Returns those leads
 * (to rescore: they are open again). Runs inside the undo's transaction.
 */
export function revertOutcomeStages(db: Database.Database, importId: number): number[] {
  const entries = db
    .prepare('SELECT lead_id, before FROM import_journal WHERE import_id = ? AND action = ? ORDER BY seq DESC')
    .all(importId, OUTCOME_ACTION) as { lead_id: number; before: string }[];
  const lead = db.prepare('UPDATE leads SET stage = ?, updated_at = ?, sla_due_at = ? WHERE id = ?');
  const dropChange = db.prepare('DELETE FROM stage_changes WHERE id = ? AND lead_id = ?');
  const followup = db.prepare(
    'UPDATE lead_followup SET status = ?, closed_at = ?, disposition_id = ? WHERE lead_id = ?',
  );
  const dropOutcome = db.prepare('DELETE FROM lead_outcomes WHERE lead_id = ?');
  const putOutcome = db.prepare(
    `INSERT INTO lead_outcomes (lead_id, outcome, decided_at, deal_value, import_id, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  for (const e of entries) {
    const b = JSON.parse(e.before) as StageBefore;
    lead.run(b.stage, b.updated_at, b.sla_due_at, e.lead_id);
    for (const id of b.changes) dropChange.run(id, e.lead_id);
    if (b.followup) followup.run(b.followup.status, b.followup.closed_at, b.followup.disposition_id, e.lead_id);
    dropOutcome.run(e.lead_id);
    const o = b.outcome;
    if (o) putOutcome.run(e.lead_id, o.outcome, o.decided_at, o.deal_value, o.import_id, o.recorded_at);
  }
  return entries.map((e) => e.lead_id);
}

/** Columns that carried outcomes, outcome dates or deal values in any import (never predictors). */
export function outcomeColumns(db: Database.Database): ReadonlySet<string> {
  return new Set(db.prepare('SELECT column_name FROM outcome_columns').pluck().all() as string[]);
}
