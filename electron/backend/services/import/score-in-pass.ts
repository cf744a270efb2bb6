/**
 * Scoring new leads in the import's own pass. A lead an import creates from a row without
 * activities has nothing to score but the row itself (its fit, and engagement from lead fields
 * or inactivity), so it is scored as it is inserted: its primary score goes into the INSERT of
 * its row and its lead_scores and score history rows follow it, where the rescore after the
 * import used to read every new lead back, score it and update its row a second time (with
 * the index upkeep of that update). The scores are the full rescore's own: the same setup
 * (rescore-batch.ts: published models, closed stages, `now`) and the same function
 * (scoreLeadInto) turn the lead, as its row will read, into the same rows the rescore stages.
 *
 * A lead the file changes again after creating it (a later row updates it or adds activities)
 * loses its scores here and is rescored after the import like any changed lead, so it gets
 * one history entry, as a rescore would give it. A lead with a value in a custom field that a
 * model reads and that the import types only at its end (a field new to the workspace, or one
 * it retypes) is left to the rescore too: scored here it would be scored on untyped text.
 *
 * The lead_scores rows are queued and written ROWS_PER_STATEMENT at a time, one multi-row
 * INSERT, before anything reads or deletes them (unscore, finish); the history rows of the
 * leads written are then copied from them in one INSERT ... SELECT (see `historyCopy`). A new
 * lead has no stored score, so they are plain inserts: the rescore's INSERT OR REPLACE costs
 * about five times a plain insert per row (100,000 leads: 2.1 s against 0.4 s of CPU).
 */
import type Database from 'better-sqlite3';
import { LEAD_SCORE_COLUMNS, type Lead } from '../../../../shared/domain';
import { applyMqlTransitions } from '../followup/mql';
import { noteIncrementalRescore } from '../scoring/full-rescore';
import { rowToLead } from '../scoring/lead-data';
import type { CustomSlots } from '../leads/custom-store';
import { CLEAR_LEAD_SCORE_SQL } from '../scoring/rescore';
import {
  LEAD_COLUMN_SOURCES,
  scoreLeadInto,
  scoringSetup,
  type StagedRow,
  type VersionRow,
} from '../scoring/rescore-batch';
import { stmt } from '../../db/statements';
import { modelCustomFields } from '../../../../shared/scoring/compile/lead-fields';

/** A new lead's row as it will be inserted (the columns scoring can read), with UNSAVED_LEAD_ID for its id. */
export type NewLeadRow = Parameters<typeof rowToLead>[0];

export type NewLeadScore = Readonly<{
  /** The lead row's score columns, in LEAD_SCORE_COLUMNS order. */
  leadColumns: readonly (string | number | null)[];
  /** One staged row per model that scores the lead (lead id still the placeholder). */
  rows: readonly StagedRow[];
}>;

export type InPassScoring = Readonly<{
  /** The scores of a lead about to be inserted, or null to leave it to the rescore. */
  score: (row: NewLeadRow, customNames: Iterable<string>, slots: CustomSlots) => NewLeadScore | null;
  /** Writes the lead_scores and history rows of lead `leadId`, just inserted with `score`. */
  written: (leadId: number, score: NewLeadScore) => void;
  /** A later row changed lead `leadId`: its scores from this pass go (the rescore scores it); true if it had some. */
  unscore: (leadId: number) => boolean;
  /** After the last row: the MQL transitions of the leads scored here; returns how many leads were scored here. */
  finish: () => number;
  /** Whether lead `leadId` holds its scores from this pass (scored here and not changed since). */
  scoredHere: (leadId: number) => boolean;
}>;

/** The score columns of a lead row no model scored (the table's defaults). */
export const UNSCORED_LEAD_COLUMNS: readonly (string | number | null)[] = LEAD_SCORE_COLUMNS.map((c) =>
  c === 'is_mql' ? 0 : null,
);

/** Where each lead-row score column is in a staged row (scored_at is the setup's `now`). */
const STAGED_INDEX: Readonly<Record<(typeof LEAD_COLUMN_SOURCES)[number], number>> = {
  total: 5,
  fit: 3,
  engagement: 4,
  grade: 6,
  segment: 7,
  is_mql: 8,
  suppressed_reason: 9,
  scored_at: -1,
};
const IS_MQL = STAGED_INDEX.is_mql;
const NO_ACTIVITIES = Object.freeze([]);

const SCORE_COLUMNS = [
  'lead_id',
  'model_id',
  'model_version',
  'fit',
  'engagement',
  'total',
  'grade',
  'segment',
  'is_mql',
  'suppressed_reason',
  'ledger',
  'scored_at',
] as const;
const HISTORY_COLUMNS = [
  'lead_id',
  'model_id',
  'model_version',
  'total',
  'fit',
  'engagement',
  'grade',
  'segment',
  'is_mql',
  'scored_at',
] as const;
/** Rows per multi-row INSERT: 64 x 12 parameters, well under SQLite's limit of 32,766. */
const ROWS_PER_STATEMENT = 64;

/** `INSERT INTO table (columns) VALUES (?, ...), ...` for `rows` rows. */
function insertRowsSql(table: string, columns: readonly string[], rows: number): string {
  const row = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')}`;
}
/** The lead id a new lead is scored under before its insert gives it one (scoring never reads it). */
export const UNSAVED_LEAD_ID = 0;

export function createInPassScoring(
  db: Database.Database,
  o: Readonly<{
    now: number;
    /** Custom fields whose values the import stores with their final type. */
    typedCustom: ReadonlySet<string>;
  }>,
): InPassScoring {
  const setup = scoringSetup(db, o.now, false);
  const customRead = new Set(setup.models.flatMap((m) => [...modelCustomFields(m.compiled.model)]));
  const scored = new Set<number>();
  const becameMql = new Set<number>();
  // Parameters of the queued rows, row after row (SCORE_COLUMNS, HISTORY_COLUMNS).
  let scoreParams: (string | number | null)[] = [];
  let historyParams: (string | number | null)[] = [];
  let queued = 0;
  // The full statements, prepared once: building and looking up their 2-3 KB of SQL at every
  // flush cost about 90 ms per 100,000 leads (node --cpu-prof).
  let fullScores: Database.Statement | null = null;
  let fullHistory: Database.Statement | null = null;

  // History rows copied from the lead_scores rows just written (the same values), lead by lead
  // in the order they were queued: binding each row's ten values again from JavaScript cost
  // about a third more (100,000 leads: 100 against 160 ms of CPU). Only while every lead
  // written is newer than every lead there was when the pass started, in increasing ids: then
  // the lead_scores rows of [historyFrom, historyTo] are this pass's own and nobody else's.
  const firstNewId = (db.prepare('SELECT coalesce(max(id), 0) FROM leads').pluck().get() as number) + 1;
  const primaryId = setup.primary?.id ?? 0;
  const historyCopy = db.prepare(
    `INSERT INTO score_history (${HISTORY_COLUMNS.join(', ')})
     SELECT ${HISTORY_COLUMNS.join(', ')} FROM lead_scores
      WHERE lead_id BETWEEN ? AND ?
      ORDER BY lead_id, model_id <> ${primaryId}, model_id`,
  );
  /** Leads whose lead_scores rows are written or queued and whose history rows are not yet: from, to. */
  let historyFrom = 0;
  let historyTo = 0;
  /** False once a lead broke the rule above: history rows are then queued as values, as before. */
  let copyHistory = true;

  /** Writes the queued rows: full statements of ROWS_PER_STATEMENT rows, then one for the rest. */
  function flushQueued(): void {
    if (queued === 0) return;
    const rows = queued;
    if (rows === ROWS_PER_STATEMENT) {
      fullScores ??= db.prepare(insertRowsSql('lead_scores', SCORE_COLUMNS, rows));
      fullScores.run(scoreParams);
      if (historyParams.length > 0) {
        fullHistory ??= db.prepare(insertRowsSql('score_history', HISTORY_COLUMNS, rows));
        fullHistory.run(historyParams);
      }
    } else {
      stmt(db, insertRowsSql('lead_scores', SCORE_COLUMNS, rows)).run(scoreParams);
      if (historyParams.length > 0) stmt(db, insertRowsSql('score_history', HISTORY_COLUMNS, rows)).run(historyParams);
    }
    scoreParams = [];
    historyParams = [];
    queued = 0;
  }

  /** The history rows of leads historyFrom up to `to`, whose lead_scores rows are all written. */
  function copyHistoryTo(to: number): void {
    if (historyFrom === 0 || to < historyFrom) return;
    historyCopy.run(historyFrom, to);
    historyFrom = to < historyTo ? to + 1 : 0;
  }

  /** Writes everything queued (before anything reads or deletes score rows). */
  function flush(): void {
    flushQueued();
    copyHistoryTo(historyTo);
  }

  return {
    score(row, customNames, slots) {
      const lead: Lead = rowToLead(row, slots);
      if (setup.closed.has(lead.stage)) return null;
      for (const name of customNames) if (customRead.has(name.toLowerCase()) && !o.typedCustom.has(name)) return null;
      const into = { staged: [] as StagedRow[], versions: [] as VersionRow[], drops: [] as [number, number][] };
      scoreLeadInto(setup, lead, NO_ACTIVITIES, undefined, undefined, into);
      const primary = setup.primary && into.staged.find((r) => r[1] === setup.primary!.id);
      return {
        leadColumns: primary
          ? LEAD_COLUMN_SOURCES.map((c) => (c === 'scored_at' ? o.now : primary[STAGED_INDEX[c]]!))
          : UNSCORED_LEAD_COLUMNS,
        rows: into.staged,
      };
    },
    written(leadId, score) {
      scored.add(leadId);
      if (score.rows.length > 0 && copyHistory && (leadId < firstNewId || leadId <= historyTo)) {
        // Not one of the pass's own increasing new ids: from now on, history rows as values.
        flush();
        copyHistory = false;
      }
      if (copyHistory && score.rows.length > 0) {
        if (historyFrom === 0) historyFrom = leadId;
        historyTo = leadId;
      }
      for (const r of score.rows) {
        const [, modelId, version, fit, engagement, total, grade, segment, isMql, suppressed, ledger] = r;
        scoreParams.push(
          leadId,
          modelId,
          version,
          fit,
          engagement,
          total,
          grade,
          segment,
          isMql,
          suppressed,
          ledger,
          o.now,
        );
        // A new lead has no stored score: every result is a change (scoreChanged), so history.
        if (!copyHistory)
          historyParams.push(leadId, modelId, version, total, fit, engagement, grade, segment, isMql, o.now);
        if (++queued === ROWS_PER_STATEMENT) {
          flushQueued();
          // This lead's rows may go on in the next statement: history up to the lead before it.
          if (copyHistory) copyHistoryTo(leadId - 1);
        }
      }
      const primary = setup.primary && score.rows.find((r) => r[1] === setup.primary!.id);
      if (primary?.[IS_MQL] === 1) becameMql.add(leadId);
    },
    unscore(leadId) {
      if (!scored.delete(leadId)) return false;
      flush();
      becameMql.delete(leadId);
      stmt(db, 'DELETE FROM lead_scores WHERE lead_id = ?').run(leadId);
      stmt(db, 'DELETE FROM score_history WHERE lead_id = ?').run(leadId);
      stmt(db, CLEAR_LEAD_SCORE_SQL).run(leadId);
      return true;
    },
    finish() {
      flush();
      // As a rescore does after writing scores: leads that became MQL enter the MQL stage.
      if (becameMql.size > 0) applyMqlTransitions(db, [...becameMql], o.now);
      // A full rescore staging meanwhile keeps these fresh scores (as after an incremental rescore).
      noteIncrementalRescore(db, scored);
      return scored.size;
    },
    scoredHere: (leadId) => scored.has(leadId),
  };
}
