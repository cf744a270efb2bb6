/**
 * The second half of a full rescore: the scores staged in the TEMP tables (full-rescore.ts)
 * go into lead_scores, score_history and the lead rows in ONE transaction, so a crash, an
 * error or a cancel leaves the previous scores exactly as they were.
 *
 * On a large workspace that transaction is long (index upkeep of every changed lead row:
 * seconds per 100,000 leads). When the save holds the write queue (write-queue.ts: nothing
 * else writes meanwhile), it is written in slices of staged rows, about a tenth of a second
 * each, with the event loop served between them: the UI's reads are answered from the read
 * connection (the previous scores), other requests' writes wait for the commit, the progress
 * bar moves, and a cancel rolls the save back. Without the queue it is written in one go.
 *
 * The lead rows' indexes are kept row by row, in every save. A big save used to drop the
 * indexes on score columns and build them again before its commit; since the score store
 * (migration 0310) those are two: leads_g_scores, in id order like the save itself, and
 * suppressed_reason's, whose few values each take their new rows in id order too, so their
 * upkeep is sequential writes. The rebuild was one step that served nothing meanwhile: about
 * 100 ms of CPU per 100,000 leads for each index, a second on 1M (lean-workspace.md).
 */
import type Database from 'better-sqlite3';
import type { Job } from '../../jobs';
import { yieldToEventLoop } from '../../jobs';
import { LEAD_COLUMN_SOURCES, LEAD_SCORES_UPSERT } from './rescore-batch';
import { LEAD_SCORE_COLUMNS } from '../../../../shared/domain';
import { stmt } from '../../db/statements';
import { pauseAutoCheckpoint } from '../../db/checkpoint';

export type SaveOptions = Readonly<{
  /**
   * Takes the write queue for the save, resolving with its release (full-rescore.ts takes it
   * before the save's reads); without it the save is written in one go.
   */
  holdWrites?: (() => Promise<() => void>) | undefined;
  /** Set by the holder of the write queue: written in slices (false: in one go all the same). */
  inSlices?: boolean | undefined;
  /**
   * Staged rows per slice, fixed (and leads per part of a rescore's MQL moves); by default
   * slices are sized to take about SLICE_TARGET_MS.
   */
  sliceRows?: number | undefined;
  /** Awaited after each slice of a windowed save, before the event loop is served (tests act mid-save here). */
  onSlice?: ((saved: number, total: number) => void | Promise<void>) | undefined;
  /** How many rows are staged, when the caller counted them (else a count of the staging table). */
  stagedRows?: number | undefined;
  /**
   * What must land with the scores, inside the save's transaction, after its last slice and
   * before its commit: a generator whose every step is served like a slice (the event loop
   * between them), so big work (thousands of leads moving to MQL) is not one long call.
   */
  beforeCommit?: (() => Iterable<unknown>) | undefined;
  /**
   * Copies the write-ahead log into the workspace file on another thread (a scoring helper's
   * connection); resolves false when it could not. Given, the save's COMMIT does not
   * checkpoint on this thread (see saveStaged).
   */
  checkpoint?: (() => Promise<boolean>) | undefined;
}>;

/**
 * The page cache while a save writes. SQLite writes the dirty pages still in the cache to
 * the log at COMMIT, in one synchronous call; with the connection's usual 64 MB that was
 * most of a 100,000-lead save (0.1-0.2 s, nothing served meanwhile). A small cache spills
 * dirty pages to the log as the slices go (still uncommitted, rolled back alike), so the
 * COMMIT writes at most this much. 8 MB until issue #15's session 10: at 50,000 leads under
 * load 12 its COMMIT took 96-142 ms, with 2 MB 72-81 ms, the save as a whole no slower
 * (sliced-save.md).
 */
const SAVE_CACHE_KIB = 2048;

/**
 * How long a slice should take: the longest a request waits during a save. What a row
 * costs varies tenfold (how many score columns changed, how much of the grid's indexes is
 * cached), so each slice is sized from the last one's speed, within SLICE_ROWS; half of the
 * 100 ms a stall may last (issue #15), so a slice slower than the last still stays under it.
 */
const SLICE_TARGET_MS = 50;
const SLICE_ROWS = { first: 2000, min: 200, max: 50_000 } as const;

/**
 * The next slice's rows from the last one's speed. It grows at most by half at a time: a
 * slice that ran fast on cached pages would otherwise size the next one several times too
 * big for pages that are not.
 */
/**
 * Runs `work` over `items` in parts of `part` items, as steps of a save (see beforeCommit):
 * it yields once `SLICE_TARGET_MS` has passed since the last yield, or, given `fixed`, after
 * every `fixed` items (tests). Items keep their order, so the parts do exactly what one
 * call over all of them would.
 */
export function* slicedWork<T>(
  items: readonly T[],
  work: (part: readonly T[]) => void,
  fixed?: number,
  part = 100,
): Generator<void, void, void> {
  const size = fixed ?? part;
  let since = performance.now();
  for (let i = 0; i < items.length; i += size) {
    work(items.slice(i, i + size));
    if (fixed === undefined && performance.now() - since < SLICE_TARGET_MS) continue;
    yield;
    since = performance.now();
  }
}

function nextSliceRows(rows: number, ms: number): number {
  const scaled = Math.round((rows * SLICE_TARGET_MS) / Math.max(ms, 1));
  return Math.min(SLICE_ROWS.max, Math.round(rows * 1.5), Math.max(SLICE_ROWS.min, scaled));
}

/** Every lead-row score column (bit c: column c of LEAD_SCORE_COLUMNS). */
const ALL_COLUMNS = (1 << LEAD_SCORE_COLUMNS.length) - 1;

/**
 * The score columns of the lead row that the save sets only when their value changes: those
 * in an index of `leads` whose entries would not be rewritten anyway. scored_at changes for
 * every lead a save writes, so an index holding it (the score store's leads_g_scores, which
 * holds every score column) takes a new entry per lead whatever else is set; setting an
 * unchanged column to its own value costs nothing more there. What is left is the indexes
 * without scored_at (suppressed_reason's). A column an index holds as part of an expression
 * (no name in index_info) makes every score column count.
 */
function columnsToMask(db: Database.Database): number {
  let masked = 0;
  const indexes = stmt(db, "SELECT name FROM pragma_index_list('leads')").pluck().all() as string[];
  for (const index of indexes) {
    const columns = stmt(db, 'SELECT name FROM pragma_index_info(?)').pluck().all(index) as (string | null)[];
    if (columns.includes('scored_at')) continue;
    if (columns.includes(null)) return ALL_COLUMNS;
    LEAD_SCORE_COLUMNS.forEach((col, c) => {
      if (columns.includes(col)) masked |= 1 << c;
    });
  }
  return masked;
}

/**
 * The UPDATE of the lead rows of a range whose staged primary score changes, of the columns
 * in `masked` (columnsToMask), exactly those in `set`; every other score column is set
 * (to its new value, or to the value it already has). One statement per distinct `set`:
 * usually one or two a slice (suppressed_reason changed or not), where one per combination
 * of changed columns (5-10 a slice) took a scan of the slice's staged rows each.
 */
function leadUpdateStatements(db: Database.Database, masked: number): (set: number) => Database.Statement {
  const bySet = new Map<number, Database.Statement>();
  return (set) => {
    let update = bySet.get(set);
    if (!update) {
      const columns = (ALL_COLUMNS & ~masked) | set;
      const sets = LEAD_SCORE_COLUMNS.flatMap((col, c) =>
        columns & (1 << c) ? [`${col} = s.${LEAD_COLUMN_SOURCES[c]}`] : [],
      );
      update = stmt(
        db,
        `UPDATE leads SET ${sets.join(', ')} FROM temp.score_staging s
          WHERE s.lead_mask <> 0 AND (s.lead_mask & ${masked}) = ? AND s.lead_id > ? AND s.lead_id <= ?
            AND leads.id = s.lead_id`,
      );
      bySet.set(set, update);
    }
    return update;
  };
}

/** Writes the staged rows of leads in (after, last]: history, lead_scores (and versions), lead rows. */
function saveRange(
  db: Database.Database,
  after: number,
  last: number,
  masked: number,
  leadUpdate: (set: number) => Database.Statement,
) {
  stmt(
    db,
    `INSERT INTO score_history (lead_id, model_id, model_version, total, fit, engagement, grade, segment, is_mql, scored_at)
     SELECT lead_id, model_id, model_version, total, fit, engagement, grade, segment, is_mql, scored_at
       FROM temp.score_staging WHERE changed = 1 AND lead_id > ? AND lead_id <= ?`,
  ).run(after, last);
  stmt(
    db,
    `INSERT INTO lead_scores (lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql,
                              suppressed_reason, ledger, scored_at)
     SELECT lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql, suppressed_reason, ledger,
            scored_at
       FROM temp.score_staging WHERE lead_id > ? AND lead_id <= ?
       ${LEAD_SCORES_UPSERT}`,
  ).run(after, last);
  // Stored scores that only move to the new version (VersionRow, rescore-batch.ts): that
  // column alone, in the same slice as the rows around them (their pages are written once).
  stmt(
    db,
    `UPDATE lead_scores SET model_version = v.model_version FROM temp.score_version v
      WHERE v.lead_id > ? AND v.lead_id <= ? AND lead_scores.lead_id = v.lead_id AND +lead_scores.model_id = v.model_id`,
  ).run(after, last);
  // Lead rows of the primary model (only its staged rows carry a mask): one UPDATE per set
  // of changed columns among those worth masking (columnsToMask), so an index of its own on
  // a column that did not change is not touched.
  const sets = stmt(
    db,
    `SELECT DISTINCT lead_mask & ${masked} FROM temp.score_staging WHERE lead_mask <> 0 AND lead_id > ? AND lead_id <= ?`,
  )
    .pluck()
    .all(after, last) as number[];
  for (const set of sets) leadUpdate(set).run(set, after, last);
}

/**
 * The save as steps: BEGIN, one slice per step (yielding rows saved so far), then the
 * caller's `beforeCommit` (work that must land with the scores) and COMMIT. Stopped early
 * (the driver throws into it), it rolls back.
 */
function* saveSteps(
  db: Database.Database,
  primaryId: number | null,
  sliceRows: number | undefined,
  beforeCommit: (() => Iterable<unknown>) | undefined,
): Generator<number, void, void> {
  let rows = sliceRows ?? SLICE_ROWS.first;
  const masked = columnsToMask(db);
  const leadUpdate = leadUpdateStatements(db, masked);
  const cache = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${SAVE_CACHE_KIB}`);
  db.exec('BEGIN IMMEDIATE');
  try {
    // Driven by the (usually empty) drop list, not by a scan of every stored score.
    stmt(
      db,
      'DELETE FROM lead_scores WHERE (lead_id, model_id) IN (SELECT lead_id, model_id FROM temp.score_drop)',
    ).run();
    let saved = 0;
    yield saved;
    for (let after = 0; ;) {
      // The next `rows` rows of both staging tables in lead order (a merge of their keys).
      const slice = stmt(
        db,
        `SELECT count(*) AS n, max(lead_id) AS last FROM (
           SELECT lead_id FROM temp.score_staging WHERE lead_id > @after
           UNION ALL SELECT lead_id FROM temp.score_version WHERE lead_id > @after
           ORDER BY lead_id LIMIT @rows)`,
      ).get({ after, rows }) as { n: number; last: number | null };
      if (slice.last === null) break;
      const started = performance.now();
      saveRange(db, after, slice.last, masked, leadUpdate);
      if (sliceRows === undefined) rows = nextSliceRows(slice.n, performance.now() - started);
      saved += slice.n;
      after = slice.last;
      yield saved;
    }
    // Leads the primary model no longer applies to (or all scored leads when there is none).
    // Two statements, not one with an OR: the OR made every save scan every lead.
    const unscore = `UPDATE leads SET score_total = NULL, score_fit = NULL, score_engagement = NULL, grade = NULL,
                            segment = NULL, is_mql = 0, suppressed_reason = NULL, scored_at = NULL`;
    if (primaryId !== null)
      stmt(db, `${unscore} WHERE id IN (SELECT lead_id FROM temp.score_drop WHERE model_id = ?)`).run(primaryId);
    else stmt(db, `${unscore} WHERE scored_at IS NOT NULL`).run();
    for (const _ of beforeCommit?.() ?? []) yield saved;
    yield saved;
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  } finally {
    db.pragma(`cache_size = ${cache}`);
  }
}

/** Saves what is staged in one go, synchronously (nothing is served meanwhile). */
export function saveStagedNow(
  db: Database.Database,
  primaryId: number | null,
  beforeCommit?: () => Iterable<unknown>,
): void {
  const steps = saveSteps(db, primaryId, undefined, beforeCommit);
  while (!steps.next().done) {
    // each step saves one slice
  }
}

/**
 * Saves what is staged. `primaryId` is the primary model's id (null: none); its staged rows
 * carry the lead-row mask. Resolves when committed; rejects (rolled back) on an error or a
 * cancel during a save in slices.
 */
export async function saveStaged(
  db: Database.Database,
  job: Job,
  primaryId: number | null,
  options: SaveOptions = {},
): Promise<void> {
  const total =
    options.stagedRows ??
    (stmt(db, 'SELECT (SELECT count(*) FROM temp.score_staging) + (SELECT count(*) FROM temp.score_version)')
      .pluck()
      .get() as number);
  if (!options.inSlices) {
    saveStagedNow(db, primaryId, options.beforeCommit);
    return;
  }
  // A big save leaves tens of MB in the log: a helper thread copies them into the file
  // (db/checkpoint.ts), so this COMMIT only appends to the log.
  const resume = options.checkpoint ? pauseAutoCheckpoint(db) : null;
  let committed = false;
  try {
    await saveInSlices(db, job, primaryId, total, options);
    committed = true;
  } finally {
    if (resume && committed) void options.checkpoint!().then(resume, resume);
    else resume?.();
  }
}

async function saveInSlices(
  db: Database.Database,
  job: Job,
  primaryId: number | null,
  total: number,
  options: SaveOptions,
): Promise<void> {
  const steps = saveSteps(db, primaryId, options.sliceRows, options.beforeCommit);
  for (let step = steps.next(); !step.done; step = steps.next()) {
    const saved = step.value;
    try {
      job.progress({
        phase: 'Saving scores',
        done: saved,
        total,
        fraction: total ? saved / total : null,
        ratePerSec: null,
      });
      await options.onSlice?.(saved, total);
      await yieldToEventLoop();
      job.checkCancelled();
    } catch (err) {
      steps.throw(err);
    }
  }
}
