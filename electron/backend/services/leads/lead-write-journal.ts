/**
 * Which leads this process wrote, so that what a connection holds in memory about the lead
 * rows (the score store, score-store.ts) can be brought up to date by re-reading those rows
 * instead of the whole table (docs/decisions/grid-score-store.md, "Kept current").
 *
 * The workspace connection (the writer) gets TEMP triggers on `leads` (insert, delete, an
 * update of the id or a column a follower holds) that hand each written id to a JS function.
 * TEMP triggers fire for this connection's writes only and are not stored in the file, so
 * every write path of the process is seen without each one naming its ids, and other
 * processes never pay for them. What the triggers cannot see makes a follower read
 * everything again:
 *   - another connection's commit (another process, a thread of our own): the writer's
 *     `data_version` moves;
 *   - the triggers gone (a migration that rebuilt `leads` drops them with the table);
 *   - writes made before the triggers existed inside a transaction still open;
 *   - more written ids than re-reading them is worth (CAP_IDS: then a rebuild is cheaper).
 *
 * A follower is a connection that reads the workspace: the writer itself, or the read
 * connection of backend.ts, which sees only committed data. Ids are never "absorbed" while
 * their transaction may still be open: re-reading a row the follower's snapshot did not see
 * change is harmless (it reads what it already had), so a follower re-reads every id of the
 * open transaction at each refresh and the ids stay until the transaction has ended, after a
 * commit (the follower's snapshot moved) and after a rollback (the writer sees its own
 * uncommitted rows and must read them back) alike.
 */
import type Database from 'better-sqlite3';

/** Above this many written ids (or an eighth of the leads) a follower reads everything again. */
export const CAP_IDS = 50_000;

const FUNCTION = 'leadbench_lead_written';
const TRIGGERS = ['leadbench_journal_ins', 'leadbench_journal_del', 'leadbench_journal_upd'] as const;

/** Settled entries kept (one per write transaction that wrote leads). */
const MAX_SETTLED = 10_000;

/** Everything may have changed. */
export const EVERYTHING = 'everything' as const;
type Written = ReadonlySet<number> | typeof EVERYTHING;

type Journal = {
  writer: Database.Database;
  /** Ids of transactions that have ended (committed or rolled back), in order. */
  settled: Written[];
  /** The number of settled entries dropped from the front (cursors count from the first ever). */
  dropped: number;
  /** Ids written since the last settle (the open transaction's, or an autocommit write's). */
  open: Set<number>;
  openEverything: boolean;
};

/** Where a follower is in a journal: settled entries passed (counted from the first ever). */
export type JournalCursor = Readonly<{ journal: Journal; settled: number; writerVersion: number }>;

const journals = new WeakMap<Database.Database, Journal>();
const writerOf = new WeakMap<Database.Database, Database.Database>();

/** `reader` sees the workspace `writer` writes (backend.ts's read connection). */
export function followWritesOf(reader: Database.Database, writer: Database.Database): void {
  if (reader !== writer) writerOf.set(reader, writer);
}

function writerVersion(writer: Database.Database): number {
  return writer.pragma('data_version', { simple: true }) as number;
}

function triggersPresent(writer: Database.Database): boolean {
  const n = writer
    .prepare(`SELECT count(*) FROM sqlite_temp_schema WHERE type = 'trigger' AND name IN (${TRIGGERS.map(() => '?')})`)
    .pluck()
    .get(...TRIGGERS) as number;
  return n === TRIGGERS.length;
}

/**
 * The journal of the connection `db` reads through, with the triggers in place; null when
 * the writer is unknown or read-only (then a follower reads everything on any change).
 */
function journalFor(db: Database.Database, columns: readonly string[]): Journal | null {
  const writer = writerOf.get(db) ?? db;
  if (writer.readonly || !writer.open) return null;
  let journal = journals.get(writer);
  if (journal && triggersPresent(writer)) return journal;
  // Triggers gone (the table was made again): what was written meanwhile is unknown.
  if (journal) journal.settled.push(EVERYTHING);
  else {
    journal = { writer, settled: [], dropped: 0, open: new Set(), openEverything: false };
    journals.set(writer, journal);
    const j = journal;
    writer.function(FUNCTION, { deterministic: false, directOnly: false }, (id: unknown) => {
      if (j.openEverything) return null;
      j.open.add(id as number);
      if (j.open.size > CAP_IDS) {
        j.openEverything = true;
        j.open.clear();
      }
      return null;
    });
  }
  const watched = ['id', ...columns].join(', ');
  writer.exec(`
    CREATE TEMP TRIGGER IF NOT EXISTS ${TRIGGERS[0]} AFTER INSERT ON main.leads BEGIN SELECT ${FUNCTION}(NEW.id); END;
    CREATE TEMP TRIGGER IF NOT EXISTS ${TRIGGERS[1]} AFTER DELETE ON main.leads BEGIN SELECT ${FUNCTION}(OLD.id); END;
    CREATE TEMP TRIGGER IF NOT EXISTS ${TRIGGERS[2]} AFTER UPDATE OF ${watched} ON main.leads
      BEGIN SELECT ${FUNCTION}(OLD.id); SELECT ${FUNCTION}(NEW.id) WHERE NEW.id IS NOT OLD.id; END;
  `);
  // Rows written earlier in a transaction still open were not seen.
  if (writer.inTransaction) journal.openEverything = true;
  return journal;
}

/**
 * For the rest of a bulk write in the writer's open transaction (leads/bulk-load.ts), the
 * triggers stop firing per row: they are dropped and the transaction counts as having written
 * everything, which is what its followers would conclude anyway from a write of more leads
 * than CAP_IDS (they read the store whole). The next follower to ask puts the triggers back.
 */
export function suspendLeadWriteJournal(writer: Database.Database): void {
  const journal = journals.get(writer);
  if (!journal || !writer.inTransaction) return;
  journal.openEverything = true;
  journal.open.clear();
  for (const t of TRIGGERS) writer.exec(`DROP TRIGGER IF EXISTS temp.${t}`);
}

/** Moves the open ids to the settled list once no transaction is open on the writer. */
function settle(journal: Journal): void {
  if (journal.writer.inTransaction) return;
  if (journal.openEverything) {
    journal.settled.push(EVERYTHING);
    journal.openEverything = false;
    journal.open.clear();
  } else if (journal.open.size > 0) {
    journal.settled.push(journal.open);
    journal.open = new Set();
  }
}

/**
 * Starts following the writes seen by `db`, before reading what the follower will keep
 * (so a write in between is re-read, never missed). `columns` are the lead columns the
 * follower holds. Null: the follower must read everything again on any change.
 */
export function startFollowing(db: Database.Database, columns: readonly string[]): JournalCursor | null {
  return onWriter(() => {
    const journal = journalFor(db, columns);
    return journal && cursorOf(journal);
  });
}

/**
 * Runs a step on the writer, or null when the writer cannot answer now (busy with a
 * statement of its own): the follower then reads everything, which is always right.
 */
function onWriter<T>(step: () => T | null): T | null {
  try {
    return step();
  } catch {
    return null;
  }
}

function cursorOf(journal: Journal): JournalCursor {
  settle(journal);
  if (journal.settled.length > MAX_SETTLED) {
    // Bounded: a follower behind the cut reads everything again.
    journal.dropped += journal.settled.length;
    journal.settled = [];
  }
  return {
    journal,
    settled: journal.dropped + journal.settled.length,
    writerVersion: writerVersion(journal.writer),
  };
}

/** Whether writes were seen since `cursor` (settled or in an open transaction). */
export function writesSince(cursor: JournalCursor): boolean {
  const j = cursor.journal;
  return j.dropped + j.settled.length > cursor.settled || j.open.size > 0 || j.openEverything;
}

/**
 * The ids written since `cursor`, or EVERYTHING, with the cursor to keep after re-reading
 * them. Call it before the follower re-reads (its snapshot is then at least as new).
 */
export function writtenSince(
  db: Database.Database,
  cursor: JournalCursor,
  columns: readonly string[],
  leads: number,
): { written: Written; next: JournalCursor | null } {
  const journal = onWriter(() => journalFor(db, columns));
  const next = journal && onWriter(() => cursorOf(journal));
  if (!journal || !next) return { written: EVERYTHING, next: null };
  if (journal !== cursor.journal || next.writerVersion !== cursor.writerVersion || cursor.settled < journal.dropped) {
    return { written: EVERYTHING, next };
  }
  const ids = new Set<number>();
  const cap = Math.min(CAP_IDS, Math.max(1_000, Math.floor(leads / 8)));
  const add = (w: Written): boolean => {
    if (w === EVERYTHING) return false;
    for (const id of w) ids.add(id);
    return ids.size <= cap;
  };
  for (let k = cursor.settled - journal.dropped; k < journal.settled.length; k++) {
    if (!add(journal.settled[k]!)) return { written: EVERYTHING, next };
  }
  if (journal.openEverything || !add(journal.open)) return { written: EVERYTHING, next };
  return { written: ids, next };
}

/** Whether `db` is the connection that writes (it then sees its own writes before they commit). */
export function readsOwnWrites(db: Database.Database): boolean {
  return !writerOf.has(db);
}
