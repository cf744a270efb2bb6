/**
 * How a lead's uid is stored, and how SQL turns it into the text everyone else sees.
 *
 * Stored as its 16 bytes (a BLOB, migration 0710) instead of the 36-character text: the row and
 * its UNIQUE index take 16 bytes instead of 37 (about 40 bytes a lead of the bench's ~520).
 * Shown, exported, matched in round-trip sheets and the CLI, and passed over IPC as the usual
 * lowercase text ('0190c1e2-6a7b-7c3d-8e4f-0123456789ab'): every read of `uid` goes through
 * `uidTextSql`, every write or lookup by a text uid through `uidValueSql`.
 *
 * A uid that is not a canonical UUID (a workspace whose leads were written by hand or by a
 * script) stays text, as before: the column is `ANY`, both forms read back as the text they were.
 */
import type Database from 'better-sqlite3';

const HEX = '[0-9a-f]';
/** A canonical UUID in lowercase (GLOB is case-sensitive): the only text stored as bytes. */
const CANONICAL_UUID_GLOB = [8, 4, 4, 4, 12].map((n) => HEX.repeat(n)).join('-');

/** The text of a stored uid `column` (an SQL column reference such as `leads.uid`). */
export function uidTextSql(column: string): string {
  const part = (from: number, length?: number): string =>
    `substr(hex(${column}), ${from}${length === undefined ? '' : `, ${length}`})`;
  return (
    `CASE WHEN typeof(${column}) = 'blob' THEN lower(` +
    `${part(1, 8)} || '-' || ${part(9, 4)} || '-' || ${part(13, 4)} || '-' || ${part(17, 4)} || '-' || ${part(21)}` +
    `) ELSE ${column} END`
  );
}

/**
 * The stored form of a text uid given by `expr` (a parameter `?` or an SQL expression), for a
 * write: its 16 bytes when it is a canonical UUID, else the text itself.
 */
export function uidValueSql(expr: string): string {
  return `(SELECT CASE WHEN v GLOB '${CANONICAL_UUID_GLOB}' THEN unhex(v, '-') ELSE v END FROM (SELECT ${expr} AS v))`;
}

/**
 * The 16 bytes of a uid known to be a canonical UUID (one newLeadUid made), for the import's
 * INSERT: half the CPU of `uidValueSql`'s check (100,000 inserts: about 0.2 against 0.35 s).
 */
export function newUidBytesSql(param: string): string {
  return `unhex(${param}, '-')`;
}

/**
 * `uid` matches the text uid in parameter `param`, stored either way: as its bytes, or as the
 * text itself (a row a script or an older tool inserted with a text uid, which the column
 * accepts). Two seeks at most in the UNIQUE index, one parameter.
 */
export function uidMatchSql(param: string): string {
  return `uid IN (WITH p(v) AS (SELECT ${param}) SELECT v FROM p UNION ALL SELECT unhex(v, '-') FROM p WHERE v GLOB '${CANONICAL_UUID_GLOB}')`;
}

/** A SELECT list of `leads` columns (qualified by `table` when given) with `uid` read as text. */
export function leadSelectList(columns: readonly string[], table?: string): string {
  const ref = (c: string): string => {
    const quoted = `"${c.replace(/"/g, '""')}"`;
    return table === undefined ? quoted : `${table}.${quoted}`;
  };
  return columns.map((c) => (c === 'uid' ? `${uidTextSql(ref('uid'))} AS uid` : ref(c))).join(', ');
}

/** What `SELECT *` of `leads` would list, with `uid` read as text. */
export function allLeadColumnsSelectList(db: Database.Database, table?: string): string {
  return leadSelectList(db.prepare("SELECT name FROM pragma_table_info('leads')").pluck().all() as string[], table);
}
