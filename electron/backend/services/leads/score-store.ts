/**
 * The score columns of every lead (score_total, score_fit, score_engagement, grade, segment,
 * is_mql, scored_at) as typed arrays in id order, kept per connection until the data changes
 * (cachedUntilChange). The grid sorts and filters by them in memory instead of through the
 * 18 single and pair indexes it used to keep on these columns: every full rescore rewrote
 * all of them, and a band (segment, grade, MQL) sorted by a score needed a pair index for
 * each combination (docs/decisions/grid-score-store.md). Since migration 0540 it holds four
 * more number columns the same way (created_at, updated_at, last_activity_at, company_size),
 * whose single-column indexes went too.
 *
 * Read through one narrow covering index in id order (leads_g_scores, migration 0310), one
 * SQL function call per lead writing straight into the arrays (better-sqlite3 turns a row
 * into a JS object at several times that cost). A sort order is built on first use by a
 * counting sort over the column's distinct values, so ties stay in id order as in SQL.
 *
 * The store answers only what it can answer exactly as the SQL of lead-query-sql.ts does:
 * a filter it cannot (a number compared with a text column, a range on a band) makes
 * `mask` return null, and the caller uses SQL.
 */
import type Database from 'better-sqlite3';
import type { LeadFilter } from '../../../../shared/contract/leads';
import {
  EVERYTHING,
  readsOwnWrites,
  startFollowing,
  writesSince,
  writtenSince,
  type JournalCursor,
} from './lead-write-journal';

/** Score columns held in memory: numbers (NULL as NaN) and bands (codes into a sorted dictionary). */
const NUMBER_COLUMNS = [
  'score_total',
  'score_fit',
  'score_engagement',
  'is_mql',
  'scored_at',
  // Not scores, but numbers the grid sorts and filters by the same way: held here instead of
  // one index each (migration 0540), which every import, activity and edit had to keep.
  'created_at',
  'updated_at',
  'last_activity_at',
  'company_size',
] as const;
const BAND_COLUMNS = ['grade', 'segment'] as const;
type NumberColumn = (typeof NUMBER_COLUMNS)[number];
type BandColumn = (typeof BAND_COLUMNS)[number];
export type ScoreColumn = NumberColumn | BandColumn;

export const SCORE_COLUMNS: ReadonlySet<string> = new Set<string>([...NUMBER_COLUMNS, ...BAND_COLUMNS]);

export function isScoreColumn(column: string): column is ScoreColumn {
  return SCORE_COLUMNS.has(column);
}

/** The covering index the store is read through (id first: in id order, cheap to keep on a rescore). */
export const SCORE_STORE_INDEX = 'leads_g_scores';
const SINK = 'leadbench_score_sink';

type Band = Readonly<{ codes: Int32Array; dictionary: readonly string[] }>;

/** The order of a sort: positions (indexes into the arrays) and, on demand, each position's rank in it. */
type SortOrder = { positions: Uint32Array; ranks: Uint32Array | null };

export type ScoreStore = Readonly<{
  size: number;
  /**
   * Whether the store answers for these columns: the ids came in order and each column
   * held only values of its declared type (else SQL answers). Reads the columns.
   */
  serves: (columns: readonly ScoreColumn[]) => boolean;
  /** Lead ids in ascending order; position i holds lead ids[i]. */
  ids: Float64Array;
  /** Leads matching every filter (all on score columns), or null when SQL must answer. */
  mask: (filters: readonly LeadFilter[]) => Uint8Array | null;
  /** A lead's position in the arrays, or -1 (a lead added after the store was read). */
  positionOf: (id: number) => number;
  /** The number SQL names a mask by (see maskCondition). */
  maskId: (mask: Uint8Array) => number;
  maskById: (id: number) => Uint8Array | undefined;
  /** Set bits of a mask (cached with it). */
  count: (mask: Uint8Array) => number;
  /** Positions in page order: the column (blanks last, ties by id) or, with no column, newest first. */
  order: (column: ScoreColumn | null, dir: 'asc' | 'desc') => Uint32Array;
  /** The ids of one page of `order`, only positions the mask allows. */
  page: (
    mask: Uint8Array | null,
    column: ScoreColumn | null,
    dir: 'asc' | 'desc',
    offset: number,
    limit: number,
  ) => number[];
  /** The given lead ids that the mask allows, in the column's order. */
  sortIds: (ids: readonly number[], mask: Uint8Array | null, column: ScoreColumn, dir: 'asc' | 'desc') => number[];
  /** Each distinct value of a column with its number of leads (NULL included). */
  valueCounts: (column: ScoreColumn) => { value: string | number | null; count: number }[];
}>;

/** Orders strings as SQLite's BINARY collation does: by their UTF-8 bytes. */
function binaryCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The store's columns, read together (see readColumns). */
type Columns = {
  number: (column: NumberColumn) => Float64Array;
  band: (column: BandColumn) => Band;
  /** Whether the column held only values of its declared type (read it first). */
  typed: (column: ScoreColumn) => boolean;
};

/** What a store holds: the ids, the columns and the sort orders built so far (kept by a patch). */
type StoreData = { ids: Float64Array; columns: Columns; orders: Map<string, SortOrder> };

function columnsOf(
  numbers: Map<NumberColumn, Float64Array>,
  bands: Map<BandColumn, Band>,
  untyped: ReadonlySet<ScoreColumn>,
): Columns {
  return {
    number: (c) => numbers.get(c)!,
    band: (c) => bands.get(c)!,
    typed: (c) => !untyped.has(c),
  };
}

/**
 * One scan of the covering index in id order, each row handed to `take` through the sink
 * function; returns the number of rows seen. Read inside the caller's transaction.
 */
function scan(db: Database.Database, expressions: string, take: (values: unknown[]) => void): number {
  registerSink(db);
  const indexed =
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").get(SCORE_STORE_INDEX) !== undefined;
  let n = 0;
  currentSink = (values) => {
    take(values);
    n++;
  };
  try {
    db.prepare(
      `SELECT count(${SINK}(${expressions})) FROM leads ${indexed ? `INDEXED BY ${SCORE_STORE_INDEX}` : ''}`,
    ).get();
  } finally {
    currentSink = null;
  }
  return n;
}

/** Decodes the covering index's rows, handed over in id order, into the store's columns. */
type ColumnReader = {
  take: (values: unknown[]) => void;
  /** The last id taken. */
  lastId: () => number;
  /** The columns; null when the rows did not come in id order. */
  finish: () => { ids: Float64Array; columns: Columns } | null;
};

const SCAN_EXPRESSIONS = `id, ${[...NUMBER_COLUMNS, ...BAND_COLUMNS].join(', ')}`;

/** A reader for about `expected` rows (it grows when more come). */
function columnReader(expected: number): ColumnReader {
  let capacity = Math.max(expected, 16);
  let ids = new Float64Array(capacity);
  let numberArrays = NUMBER_COLUMNS.map(() => new Float64Array(capacity));
  let bandArrays = BAND_COLUMNS.map(() => new Int32Array(capacity));
  const seen = new Map(BAND_COLUMNS.map((c) => [c, new Map<string, number>()] as const));
  const untyped = new Set<ScoreColumn>();
  const num = (column: NumberColumn, v: unknown): number => {
    if (v === null) return NaN;
    if (typeof v !== 'number') untyped.add(column);
    return Number(v);
  };
  const code = (column: BandColumn, v: unknown): number => {
    if (v === null) return -1;
    if (typeof v !== 'string') {
      untyped.add(column);
      return -1;
    }
    const dictionary = seen.get(column)!;
    let c = dictionary.get(v);
    if (c === undefined) dictionary.set(v, (c = dictionary.size));
    return c;
  };
  const grow = (): void => {
    capacity *= 2;
    const copy = <A extends Float64Array | Int32Array>(a: A, make: (n: number) => A): A => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    ids = copy(ids, (n) => new Float64Array(n));
    numberArrays = numberArrays.map((a) => copy(a, (n) => new Float64Array(n)));
    bandArrays = bandArrays.map((a) => copy(a, (n) => new Int32Array(n)));
  };
  const bandAt = NUMBER_COLUMNS.length + 1;
  let k = 0;
  let ordered = true;
  return {
    take: (v) => {
      if (k > 0 && (v[0] as number) <= ids[k - 1]!) {
        ordered = false;
        return;
      }
      if (k >= capacity) grow();
      ids[k] = v[0] as number;
      for (let c = 0; c < numberArrays.length; c++) numberArrays[c]![k] = num(NUMBER_COLUMNS[c]!, v[c + 1]);
      for (let c = 0; c < bandArrays.length; c++) bandArrays[c]![k] = code(BAND_COLUMNS[c]!, v[bandAt + c]);
      k++;
    },
    lastId: () => ids[k - 1]!,
    finish: () => {
      if (!ordered) return null;
      const size = k;
      const fit = <A extends Float64Array | Int32Array>(a: A): A => (a.length === size ? a : (a.slice(0, size) as A));
      const numbers = new Map(NUMBER_COLUMNS.map((c, n) => [c, fit(numberArrays[n]!)] as const));
      const bands = new Map<BandColumn, Band>();
      BAND_COLUMNS.forEach((c, n) => {
        // Codes renumbered so that their order is the column's sort order.
        const dictionary = [...seen.get(c)!.keys()].sort(binaryCompare);
        const renumber = new Int32Array(dictionary.length);
        dictionary.forEach((v, r) => (renumber[seen.get(c)!.get(v)!] = r));
        const codes = fit(bandArrays[n]!);
        for (let p = 0; p < size; p++) if (codes[p]! >= 0) codes[p] = renumber[codes[p]!]!;
        bands.set(c, { codes, dictionary });
      });
      return { ids: fit(ids), columns: columnsOf(numbers, bands, untyped) };
    },
  };
}

/**
 * Every score column in one scan (about twice the cost of a scan handing over only the id,
 * so one scan of all beats one per column as soon as a view needs two). Read in one
 * transaction with the row count; null when the scan did not come in id order.
 */
function readColumns(db: Database.Database): { ids: Float64Array; columns: Columns } | null {
  return db.transaction(() => {
    const size = db.prepare('SELECT count(*) FROM leads').pluck().get() as number;
    const reader = columnReader(size);
    const rows = scan(db, SCAN_EXPRESSIONS, reader.take);
    return rows === size ? reader.finish() : null;
  })();
}

/**
 * The same columns read in parts of `rows` leads in id order, one part per step, so a
 * caller can serve its event loop between them (warmScoreStore). The parts are separate
 * reads: a write between them is in the journal, followed from before the first part, and
 * the store patches it in on its next use as it does any write.
 */
function* readColumnsInParts(
  db: Database.Database,
  rows: number,
  done: (read: { ids: Float64Array; columns: Columns } | null) => void,
): Generator<void> {
  registerSink(db);
  const indexed =
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").get(SCORE_STORE_INDEX) !== undefined;
  const part = db.prepare(
    `SELECT count(${SINK}(${SCAN_EXPRESSIONS})) FROM (SELECT ${SCAN_EXPRESSIONS} FROM leads
       ${indexed ? `INDEXED BY ${SCORE_STORE_INDEX}` : ''} WHERE id > ? ORDER BY id LIMIT ?)`,
  );
  const reader = columnReader(db.prepare('SELECT count(*) FROM leads').pluck().get() as number);
  let after = -Infinity;
  for (;;) {
    let n = 0;
    currentSink = (values) => {
      reader.take(values);
      n++;
    };
    try {
      part.get(after, rows);
    } finally {
      currentSink = null;
    }
    if (n < rows) break;
    after = reader.lastId();
    yield;
  }
  done(reader.finish());
}

const EMPTY_COLUMNS: Columns = {
  number: () => new Float64Array(0),
  band: () => ({ codes: new Int32Array(0), dictionary: [] }),
  typed: () => false,
};

type Sink = (values: unknown[]) => void;
let currentSink: Sink | null = null;
const sinkRegistered = new WeakSet<Database.Database>();

function registerSink(db: Database.Database): void {
  if (sinkRegistered.has(db)) return;
  db.function(SINK, { varargs: true, deterministic: false }, (...values: unknown[]) =>
    currentSink ? (currentSink(values), 1) : null,
  );
  sinkRegistered.add(db);
}

/**
 * Positions sorted as `ORDER BY column dir NULLS LAST, id dir`; descending is the ascending
 * non-NULL part reversed, then the NULLs in reverse id order.
 */
function sortPositions(columns: Columns, column: ScoreColumn, dir: 'asc' | 'desc', size: number): Uint32Array {
  const { asc, nonNull } =
    column === 'grade' || column === 'segment'
      ? bandOrder(columns.band(column), size)
      : numberOrder(columns.number(column), size);
  if (dir === 'asc') return asc;
  const nulls = size - nonNull;
  const desc = new Uint32Array(size);
  for (let k = 0; k < nonNull; k++) desc[k] = asc[nonNull - 1 - k]!;
  for (let k = 0; k < nulls; k++) desc[nonNull + k] = asc[size - 1 - k]!;
  return desc;
}

/** A counting sort by code over positions in id order (stable: ties stay in id order), NULLs last. */
function bandOrder(
  band: Pick<Band, 'codes'> & { dictionary: { length: number } },
  size: number,
): { asc: Uint32Array; nonNull: number } {
  const { codes, dictionary } = band;
  const starts = new Uint32Array(dictionary.length + 1);
  let nulls = 0;
  for (let p = 0; p < size; p++) {
    const r = codes[p]!;
    if (r < 0) nulls++;
    else starts[r + 1]!++;
  }
  for (let r = 1; r <= dictionary.length; r++) starts[r]! += starts[r - 1]!;
  const nonNull = size - nulls;
  const asc = new Uint32Array(size);
  let nextNull = nonNull;
  for (let p = 0; p < size; p++) {
    const r = codes[p]!;
    if (r < 0) asc[nextNull++] = p;
    else asc[starts[r]!++] = p;
  }
  return { asc, nonNull };
}

/**
 * A least-significant-digit radix sort of the positions by their value's bits (doubles
 * mapped to unsigned keys that order as the numbers do), 16 bits a pass, a pass skipped when
 * every key has the same digit there (the low bits of whole scores, the high bits of dates).
 * Stable, so ties stay in id order; NULLs (NaN) last in id order. It replaced sorting the
 * values and finding each position's rank by binary search: 90-200 ms per 200,000 leads at
 * load 10, the cost of the first page of any sort by a number column (a last page at 1M: 273 ms).
 */
function numberOrder(values: Float64Array, size: number): { asc: Uint32Array; nonNull: number } {
  return smallIntegersOrder(values, size) ?? fewValuesOrder(values, size) ?? radixOrder(values, size);
}

/**
 * Whole numbers in a short span (scores, flags, sizes): a counting sort with the value less
 * the smallest as the code, no dictionary (a Map lookup per lead cost ~40 ns, the first
 * page sorted by score on 1M leads); null when a value is fractional or the span is wide.
 */
function smallIntegersOrder(values: Float64Array, size: number): { asc: Uint32Array; nonNull: number } | null {
  const range = integerRange(values, size);
  if (!range || !(range.max >= range.min) || range.max - range.min >= FEW_VALUES) return null; // none, or wide
  const { min } = range;
  const span = range.max - min + 1;
  const codes = new Int32Array(size);
  for (let p = 0; p < size; p++) {
    const v = values[p]!;
    codes[p] = v !== v ? -1 : v - min; // -0 and 0 are one code, as SQL orders them
  }
  return bandOrder({ codes, dictionary: { length: span } }, size);
}

/** Most values repeat (whole scores, flags): a counting sort by rank; null past FEW_VALUES distinct. */
function fewValuesOrder(values: Float64Array, size: number): { asc: Uint32Array; nonNull: number } | null {
  const codes = new Int32Array(size);
  const seen = new Map<number, number>();
  for (let p = 0; p < size; p++) {
    const v = values[p]!;
    if (Number.isNaN(v)) {
      codes[p] = -1;
      continue;
    }
    let c = seen.get(v); // -0 and 0 are one key, as SQL orders them
    if (c === undefined) {
      if (seen.size === FEW_VALUES) return null;
      seen.set(v, (c = seen.size));
    }
    codes[p] = c;
  }
  const distinct = Float64Array.from(seen.keys()).sort();
  const rank = new Int32Array(seen.size);
  distinct.forEach((v, r) => (rank[seen.get(v)!] = r));
  for (let p = 0; p < size; p++) if (codes[p]! >= 0) codes[p] = rank[codes[p]!]!;
  return bandOrder({ codes, dictionary: new Array<string>(seen.size) }, size);
}

const FEW_VALUES = 4096;

/**
 * The codes of a column whose order a page can be picked by without building it: a band's
 * codes (ranks in its sorted dictionary), or whole numbers in a span of fewer than FEW_VALUES
 * (scores, flags) as the value less the smallest; null for any other number column.
 * `values[p] - base` is the code of position p, NaN or negative for NULL.
 */
function pageCodes(
  columns: Columns,
  column: ScoreColumn,
  size: number,
): { values: Float64Array | Int32Array; base: number; span: number } | null {
  if (column === 'grade' || column === 'segment') {
    const { codes, dictionary } = columns.band(column);
    return { values: codes, base: 0, span: dictionary.length };
  }
  const values = columns.number(column);
  const range = integerRange(values, size);
  if (!range) return null;
  const { min, max } = range;
  if (!(max >= min)) return { values, base: 0, span: 0 }; // every value NULL
  return max - min < FEW_VALUES ? { values, base: min, span: max - min + 1 } : null;
}

/**
 * The smallest and largest of the first `size` values, NULLs (NaN) left out; null when one is
 * not a whole number (32-bit). With no value at all, min is Infinity and max -Infinity.
 */
function integerRange(values: Float64Array, size: number): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (let p = 0; p < size; p++) {
    const v = values[p]!;
    if (v !== v) continue; // NaN: NULL
    if ((v | 0) !== v) return null;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/**
 * One page of `ORDER BY column dir NULLS LAST, id dir` over the positions `mask` allows,
 * picked without the whole order (see pageCodes for `codes`): the number of positions per
 * code, which gives each code's first rank in the order, then a pass in id order (reversed
 * for desc, or from the other end) that takes the page's positions from the codes it spans
 * and stops once it has them. Building the order
 * first costs about four passes and 12 MB of new arrays per 1M leads (a last page sorted by
 * score: 50-75 ms, nearly all of it that build); this costs one pass and a part of another
 * (from the end nearer the page), and no large array.
 */
function pageWithoutOrder(
  codes: { values: Float64Array | Int32Array; base: number; span: number },
  size: number,
  mask: Uint8Array | null,
  dir: 'asc' | 'desc',
  offset: number,
  limit: number,
): number[] {
  const { values, base, span } = codes;
  const nullCode = span; // NULLs come last in both directions
  const counts = new Int32Array(span + 1);
  for (let p = 0; p < size; p++) {
    if (mask && mask[p] !== 1) continue;
    const v = values[p]! - base;
    counts[v >= 0 ? v | 0 : nullCode]!++; // an int index: a double one takes a slow path
  }
  const end = offset + limit;
  // For each code the page spans: the first and past-the-last of its ranks among its own
  // positions that the page takes, and where its first position goes in the page.
  const from = new Int32Array(span + 1).fill(-1);
  const to = new Int32Array(span + 1);
  const at = new Int32Array(span + 1);
  let start = 0;
  let wanted = 0;
  // How far into their codes the page's positions lie, from the front and from the back.
  let fromFront = 0;
  let fromBack = 0;
  for (let k = 0; k <= span && start < end; k++) {
    const c = k === span ? nullCode : dir === 'asc' ? k : span - 1 - k;
    const n = counts[c]!;
    const lo = Math.max(0, offset - start);
    const hi = Math.min(n, end - start);
    if (lo < hi) {
      from[c] = lo;
      to[c] = hi;
      at[c] = start - offset;
      wanted += hi - lo;
      fromFront += lo;
      fromBack += n - hi;
    }
    start += n;
  }
  const page = new Array<number>(wanted);
  if (wanted === 0) return page;
  const seen = new Int32Array(span + 1);
  // A page near the end of its codes (the last page) is found from their other end: the
  // pass stops once it has the page, after about as many leads as the page is from that end.
  const reversed = fromBack < fromFront;
  const step = (dir === 'asc') !== reversed ? 1 : -1;
  let found = 0;
  for (let p = step === 1 ? 0 : size - 1; p >= 0 && p < size; p += step) {
    if (mask && mask[p] !== 1) continue;
    const v = values[p]! - base;
    const c = v >= 0 ? v | 0 : nullCode;
    if (from[c]! < 0) continue;
    const k = seen[c]!++;
    const j = reversed ? counts[c]! - 1 - k : k;
    if (j < from[c]! || j >= to[c]!) continue;
    page[at[c]! + j] = p;
    if (++found === wanted) break;
  }
  return page;
}

function radixOrder(values: Float64Array, size: number): { asc: Uint32Array; nonNull: number } {
  const hi = new Uint32Array(size);
  const lo = new Uint32Array(size);
  const word = new Float64Array(1);
  const halves = new Uint32Array(word.buffer);
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  let src = new Uint32Array(size);
  const asc = new Uint32Array(size);
  let nonNull = 0;
  let nulls = 0;
  for (let p = 0; p < size; p++) {
    const v = values[p]!;
    if (Number.isNaN(v)) {
      nulls++;
      continue;
    }
    word[0] = v + 0; // -0 as 0: SQL orders them as equal
    let h = halves[little ? 1 : 0]!;
    let l = halves[little ? 0 : 1]!;
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    hi[p] = h;
    lo[p] = l;
    src[nonNull++] = p;
  }
  let dst = new Uint32Array(nonNull);
  src = src.subarray(0, nonNull);
  const counts = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const keys = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    counts.fill(0);
    for (let k = 0; k < nonNull; k++) counts[(keys[src[k]!]! >>> shift) & 0xffff]!++;
    if (nonNull === 0 || counts[(keys[src[0]!]! >>> shift) & 0xffff] === nonNull) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let k = 0; k < nonNull; k++) {
      const p = src[k]!;
      dst[counts[(keys[p]! >>> shift) & 0xffff]!++] = p;
    }
    [src, dst] = [dst, src];
  }
  asc.set(src);
  let nextNull = nonNull;
  if (nulls > 0) for (let p = 0; p < size; p++) if (Number.isNaN(values[p]!)) asc[nextNull++] = p;
  return { asc, nonNull };
}

/** The SQL `is_mql IN (...)` mapping of lead-query-sql.ts: yes-like values are 1, the rest 0. */
function mqlValue(v: string | number): number {
  return v === 1 || v === '1' || v === 'true' || v === 'Yes' ? 1 : 0;
}

/**
 * The leads one filter allows (1) as a mask, or null when only SQL answers it exactly. One
 * tight loop per kind of test over the column's array: a predicate called per lead and
 * filter cost ~50 ns a lead (the MQL chip, two filters: 37-53 ms on 1M leads).
 */
function filterMask(db: Database.Database, columns: Columns, f: LeadFilter, size: number): Uint8Array | null {
  if (!isScoreColumn(f.column)) return null;
  const out = new Uint8Array(size);
  if (f.column === 'grade' || f.column === 'segment') {
    const { codes, dictionary } = columns.band(f.column);
    const allowed = bandAllows(db, dictionary, f);
    if (!allowed) return null;
    const { ok, nulls } = allowed;
    for (let p = 0; p < size; p++) {
      const c = codes[p]!;
      out[p] = c < 0 ? nulls : ok[c]!;
    }
    return out;
  }
  const values = columns.number(f.column);
  switch (f.op) {
    case 'in': {
      if (f.column !== 'is_mql' && f.values.some((v) => typeof v !== 'number')) return null;
      const wanted = [...new Set(f.column === 'is_mql' ? f.values.map(mqlValue) : (f.values as number[]))];
      if (wanted.length === 1 && !Number.isNaN(wanted[0])) {
        const w = wanted[0]!;
        for (let p = 0; p < size; p++) out[p] = values[p] === w ? 1 : 0;
      } else {
        const set = new Set(wanted);
        for (let p = 0; p < size; p++) out[p] = set.has(values[p]!) ? 1 : 0;
      }
      return out;
    }
    case 'range': {
      const min = f.min ?? -Infinity;
      const max = f.max ?? Infinity;
      for (let p = 0; p < size; p++) {
        const v = values[p]!;
        out[p] = v >= min && v <= max ? 1 : 0;
      }
      return out;
    }
    case 'date-range': {
      const from = f.from ?? -Infinity;
      const to = f.to ?? Infinity;
      for (let p = 0; p < size; p++) {
        const v = values[p]!;
        out[p] = v >= from && v < to ? 1 : 0;
      }
      return out;
    }
    case 'blank':
      for (let p = 0; p < size; p++) out[p] = Number.isNaN(values[p]!) ? 1 : 0;
      return out;
    case 'not-blank':
      for (let p = 0; p < size; p++) out[p] = Number.isNaN(values[p]!) ? 0 : 1;
      return out;
    default:
      return null;
  }
}

/** Which codes of a band a filter allows (`ok`, by code) and whether NULL passes; null when only SQL answers. */
function bandAllows(
  db: Database.Database,
  dictionary: readonly string[],
  f: LeadFilter,
): { ok: Uint8Array; nulls: 0 | 1 } | null {
  const allowed = (pick: (value: string) => boolean, nulls: 0 | 1) => {
    const ok = new Uint8Array(dictionary.length);
    dictionary.forEach((v, code) => (ok[code] = pick(v) ? 1 : 0));
    return { ok, nulls };
  };
  switch (f.op) {
    case 'in': {
      if (f.values.some((v) => typeof v !== 'string')) return null;
      const wanted = new Set(f.values as string[]);
      return allowed((v) => wanted.has(v), 0);
    }
    case 'blank':
      return allowed((v) => v === '', 1);
    case 'not-blank':
      return allowed((v) => v !== '', 0);
    case 'contains': {
      const value = f.value.trim();
      if (value === '') return allowed(() => true, 1);
      // SQLite's own LIKE on each distinct value: the same case folding as the SQL filter.
      const like = db.prepare("SELECT ? LIKE ? ESCAPE '\\'").pluck();
      const pattern = `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return allowed((v) => like.get(v, pattern) === 1, 0);
    }
    default:
      return null;
  }
}

/** Keeps at most `max` entries in a map, the least recently used dropped first (a hit is moved to the end). */
function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): V {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
  return value;
}

/**
 * Masks kept per store: each is a byte a lead (1 MB per million), and every value typed in a
 * range filter makes a new one, so only the most recent are kept.
 */
const MASKS_KEPT = 16;
/** Mask ids SQL can still name (maskCondition): a page names only the mask it was planned with. */
const MASK_IDS_KEPT = 64;

function readStoreData(db: Database.Database): StoreData | null {
  const read = readColumns(db);
  return read && { ...read, orders: new Map() };
}

let pagesWithoutOrder = 0;

/** Pages picked without building their sort order, in this process (tests check which path ran). */
export function scoreStorePagesWithoutOrder(): number {
  return pagesWithoutOrder;
}

function storeOf(db: Database.Database, data: StoreData | null): ScoreStore {
  const ids = data?.ids ?? new Float64Array(0);
  const size = ids.length;
  const columns = data?.columns ?? EMPTY_COLUMNS;
  const serves = (wanted: readonly ScoreColumn[]): boolean => data !== null && wanted.every((c) => columns.typed(c));
  const masks = new Map<string, Uint8Array | null>();
  const counts = new WeakMap<Uint8Array, number>();
  const orders = data?.orders ?? new Map<string, SortOrder>();
  const codesOf = new Map<ScoreColumn, ReturnType<typeof pageCodes>>();
  const pickedOnce = new Set<string>();

  const filterMasks = new Map<string, Uint8Array | null>();
  const maskOfFilter = (f: LeadFilter): Uint8Array | null => {
    const key = JSON.stringify(f);
    const kept = filterMasks.get(key);
    return remember(filterMasks, key, kept !== undefined ? kept : filterMask(db, columns, f, size), MASKS_KEPT);
  };

  const mask = (filters: readonly LeadFilter[]): Uint8Array | null => {
    if (filters.length === 0 || !serves(filters.map((f) => f.column).filter(isScoreColumn))) return null;
    const key = JSON.stringify(filters);
    const kept = masks.get(key);
    if (kept !== undefined) return remember(masks, key, kept, MASKS_KEPT);
    // One mask per filter (kept: a chip stays while a range next to it changes), ANDed.
    const parts = filters.map(maskOfFilter);
    let result: Uint8Array | null = null;
    if (parts.every((m) => m !== null)) {
      const [first, ...others] = parts as Uint8Array[];
      if (others.length === 0) result = first!;
      else {
        result = first!.slice();
        let n = 0;
        for (const other of others) {
          n = 0;
          for (let p = 0; p < size; p++) n += result[p]! &= other[p]!;
        }
        counts.set(result, n);
      }
    }
    return remember(masks, key, result, MASKS_KEPT);
  };

  const count = (m: Uint8Array): number => {
    let n = counts.get(m);
    if (n === undefined) {
      n = 0;
      for (let p = 0; p < size; p++) n += m[p]!;
      counts.set(m, n);
    }
    return n;
  };

  const sortOrder = (column: ScoreColumn | null, dir: 'asc' | 'desc'): SortOrder => {
    const key = orderKey(column, dir);
    let o = orders.get(key);
    if (!o) {
      let positions: Uint32Array;
      if (column) positions = sortPositions(columns, column, dir, size);
      else {
        positions = new Uint32Array(size);
        for (let k = 0; k < size; k++) positions[k] = size - 1 - k;
      }
      o = { positions, ranks: null };
      orders.set(key, o);
    }
    return o;
  };

  const positionOf = (id: number): number => binarySearch(ids, id);

  const maskIds = new WeakMap<Uint8Array, number>();
  const byId = new Map<number, Uint8Array>();
  let nextMaskId = 0;
  const maskId = (m: Uint8Array): number => {
    let id = maskIds.get(m);
    if (id === undefined || !byId.has(id)) maskIds.set(m, (id = nextMaskId++));
    remember(byId, id, m, MASK_IDS_KEPT);
    return id;
  };

  return {
    size,
    serves,
    positionOf,
    maskId,
    maskById: (id) => byId.get(id),
    ids,
    mask,
    count,
    order: (column, dir) => sortOrder(column, dir).positions,
    page: (m, column, dir, offset, limit) => {
      const out: number[] = [];
      if (!m && !column) {
        // Newest first is the ids from the end: no order to build.
        for (let k = offset; k < Math.min(size, offset + limit); k++) out.push(ids[size - 1 - k]!);
        return out;
      }
      const key = column && orderKey(column, dir);
      if (column && key && !orders.has(key) && !pickedOnce.has(key)) {
        // The first page of a sort no view has built the order of (a first sort, or a deep
        // page of one) is picked from the codes; the next page builds the order, which then
        // serves every page at no cost (a pick passes over every lead once or twice).
        pickedOnce.add(key);
        let codes = codesOf.get(column);
        if (codes === undefined) codesOf.set(column, (codes = pageCodes(columns, column, size)));
        if (codes) {
          pagesWithoutOrder++;
          return pageWithoutOrder(codes, size, m, dir, offset, limit).map((p) => ids[p]!);
        }
      }
      const { positions } = sortOrder(column, dir);
      if (!m) {
        for (let k = offset; k < Math.min(size, offset + limit); k++) out.push(ids[positions[k]!]!);
        return out;
      }
      let skipped = 0;
      for (let k = 0; k < size && out.length < limit; k++) {
        const p = positions[k]!;
        if (m[p] !== 1) continue;
        if (skipped < offset) skipped++;
        else out.push(ids[p]!);
      }
      return out;
    },
    sortIds: (wanted, m, column, dir) => {
      const o = sortOrder(column, dir);
      if (!o.ranks) {
        o.ranks = new Uint32Array(size);
        for (let k = 0; k < size; k++) o.ranks[o.positions[k]!] = k;
      }
      const ranks = new Uint32Array(wanted.length);
      let n = 0;
      for (const id of wanted) {
        const p = positionOf(id);
        if (p >= 0 && (!m || m[p] === 1)) ranks[n++] = o.ranks[p]!;
      }
      const sorted = ranks.subarray(0, n).sort();
      return Array.from(sorted, (r) => ids[o.positions[r]!]!);
    },
    valueCounts: (column) => {
      const byValue = new Map<string | number | null, number>();
      if (column === 'grade' || column === 'segment') {
        const { codes, dictionary } = columns.band(column);
        for (let p = 0; p < size; p++) {
          const v = codes[p]! < 0 ? null : dictionary[codes[p]!]!;
          byValue.set(v, (byValue.get(v) ?? 0) + 1);
        }
      } else {
        const values = columns.number(column);
        for (let p = 0; p < size; p++) {
          const v = Number.isNaN(values[p]!) ? null : values[p]!;
          byValue.set(v, (byValue.get(v) ?? 0) + 1);
        }
      }
      return [...byValue].map(([value, n]) => ({ value, count: n }));
    },
  };
}

const MASK_FUNCTION = 'leadbench_in_scores';
const maskFunctionRegistered = new WeakSet<Database.Database>();

/**
 * A SQL condition true for the leads a mask allows: a function of the lead id, so a walk of
 * another column's index tests it on the index entries without reading the table rows the
 * score columns are in (the mask is looked up in the connection's current store).
 */
export function maskCondition(
  db: Database.Database,
  store: ScoreStore,
  mask: Uint8Array,
): { sql: string; params: unknown[] } {
  if (!maskFunctionRegistered.has(db)) {
    db.function(MASK_FUNCTION, { deterministic: false }, (maskId: unknown, id: unknown) => {
      const current = stores.get(db)?.store;
      const m = current?.maskById(maskId as number);
      if (!current || !m) throw new Error('The grid asked for a score filter of data that has changed since.');
      const p = current.positionOf(id as number);
      return p >= 0 && m[p] === 1 ? 1 : 0;
    });
    maskFunctionRegistered.add(db);
  }
  return { sql: `${MASK_FUNCTION}(?, leads.id)`, params: [store.maskId(mask)] };
}

type Kept = { stamp: string; store: ScoreStore; data: StoreData | null; cursor: JournalCursor | null };
const stores = new WeakMap<Database.Database, Kept>();
const reads = { whole: 0, patched: 0 };

/** How often a store was read whole and patched in this process (tests check which path ran). */
export function scoreStoreReads(): Readonly<{ whole: number; patched: number }> {
  return { ...reads };
}

/**
 * The connection's score store. When `stamp` (the grid's change stamp) moved since it was
 * read, or the connection wrote leads itself, the leads written since (lead-write-journal.ts)
 * are read again and patched in, sort orders included; it is read whole only when what
 * changed is unknown (another connection's commit, too many leads written, a value the
 * store cannot take without a new dictionary).
 */
export function scoreStore(db: Database.Database, stamp: string): ScoreStore {
  return currentStore(db, stamp, true)!;
}

/**
 * The connection's score store when it holds one that is current or can be patched (see
 * scoreStore); null when only a whole read would do (none read yet, or what changed is
 * unknown). For views SQL also answers well enough, where a whole read (~1.7 s on 1M
 * leads) would cost more than it saves.
 */
export function keptScoreStore(db: Database.Database, stamp: string): ScoreStore | null {
  return currentStore(db, stamp, false);
}

function currentStore(db: Database.Database, stamp: string, readWhole: boolean): ScoreStore | null {
  const kept = stores.get(db);
  if (kept && kept.stamp === stamp && !(kept.cursor && readsOwnWrites(db) && writesSince(kept.cursor))) {
    return kept.store;
  }
  let cursor: JournalCursor | null;
  if (kept?.data && kept.cursor) {
    const since = writtenSince(db, kept.cursor, STORE_COLUMN_NAMES, kept.data.ids.length);
    const data = since.written === EVERYTHING ? null : patchStoreData(db, kept.data, since.written);
    if (data) {
      reads.patched++;
      return keep(db, { stamp, store: storeOf(db, data), data, cursor: since.next });
    }
    // Not kept as it is: the cursor stays, so the next call finds the same writes.
    if (!readWhole) return null;
    cursor = since.next;
  } else {
    if (!readWhole) return null;
    cursor = startFollowing(db, STORE_COLUMN_NAMES);
  }
  // The cursor is taken before the read: a write in between is read again next time.
  const data = readStoreData(db);
  reads.whole++;
  return keep(db, { stamp, store: storeOf(db, data), data, cursor });
}

/** Leads per part of warmScoreStore: ~20 ms of a quiet core at 100,000 leads a read of ~100 ms. */
const WARM_PART_ROWS = 20_000;

/**
 * Brings the connection's store up to date in parts, one per step (the caller serves its
 * event loop between steps), when it holds one (the grid is in use) that only a whole read
 * would: after a commit that wrote more leads than the write journal follows (a full
 * rescore). Otherwise the grid's first read after it paid that whole read in one call
 * (~100 ms at 100,000 leads, ~1.8 s at 1M) on the thread that serves every request.
 * A request that reads the store meanwhile reads it itself, and this read is dropped.
 */
export function* warmScoreStore(db: Database.Database, stamp: string, rowsPerPart = WARM_PART_ROWS): Generator<void> {
  const kept = stores.get(db);
  if (!kept || currentStore(db, stamp, false)) return;
  const cursor = startFollowing(db, STORE_COLUMN_NAMES);
  const read: { columns: { ids: Float64Array; columns: Columns } | null } = { columns: null };
  yield* readColumnsInParts(db, rowsPerPart, (r) => (read.columns = r));
  if (stores.get(db) !== kept) return;
  const data: StoreData | null = read.columns && { ...read.columns, orders: new Map() };
  reads.whole++;
  keep(db, { stamp, store: storeOf(db, data), data, cursor });
}

function keep(db: Database.Database, kept: Kept): ScoreStore {
  stores.set(db, kept);
  return kept.store;
}

const STORE_COLUMN_NAMES: readonly ScoreColumn[] = [...NUMBER_COLUMNS, ...BAND_COLUMNS];

function orderKey(column: ScoreColumn | null, dir: 'asc' | 'desc'): string {
  return `${column ?? ''}:${column ? dir : 'desc'}`;
}

/**
 * The store's data with the leads of `written` read again (changed, added or deleted),
 * and its sort orders patched; null when only a full read is right (a value of another type
 * than its column's, a band value the dictionary lacks, ids not in order).
 */
function patchStoreData(db: Database.Database, data: StoreData, written: ReadonlySet<number>): StoreData | null {
  if (written.size === 0) return data;
  const rows = db
    .prepare(
      `SELECT id, ${STORE_COLUMN_NAMES.join(', ')} FROM leads WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    )
    .raw()
    .all(JSON.stringify([...written])) as unknown[][];
  // Every value checked before anything is changed: the kept data stays whole if one fails.
  for (const row of rows) {
    if (typeof row[0] !== 'number') return null;
    for (let c = 0; c < NUMBER_COLUMNS.length; c++) {
      const v = row[c + 1];
      if (v !== null && typeof v !== 'number') return null;
    }
    for (let c = 0; c < BAND_COLUMNS.length; c++) {
      const v = row[NUMBER_COLUMNS.length + 1 + c];
      if (v !== null && typeof v !== 'string') return null;
    }
  }
  const old = data.ids;
  const positionOf = (id: number): number => binarySearch(old, id);
  const found = new Set(rows.map((r) => r[0] as number));
  const deleted = [...written].filter((id) => !found.has(id) && positionOf(id) >= 0).map(positionOf);
  const added = rows.filter((r) => positionOf(r[0] as number) < 0).map((r) => r[0] as number);
  const resized = deleted.length > 0 || added.length > 0 ? movePositions(data, deleted, added) : null;
  const ids = resized?.ids ?? old;
  const numbers = new Map(NUMBER_COLUMNS.map((c) => [c, resized?.numbers.get(c) ?? data.columns.number(c)] as const));
  const bands = new Map(
    BAND_COLUMNS.map((c, k) => {
      const band = {
        codes: resized?.codes.get(c) ?? data.columns.band(c).codes,
        dictionary: data.columns.band(c).dictionary,
      };
      const incoming = rows.map((r) => r[NUMBER_COLUMNS.length + 1 + k]).filter((v): v is string => v !== null);
      return [c, withValues(band, incoming)] as const;
    }),
  );
  const bandCodes = new Map(
    BAND_COLUMNS.map((c) => [c, new Map(bands.get(c)!.dictionary.map((v, code) => [v, code]))] as const),
  );
  const touched: number[] = [];
  for (const row of rows) {
    const p = binarySearch(ids, row[0] as number);
    touched.push(p);
    NUMBER_COLUMNS.forEach((c, k) => (numbers.get(c)![p] = row[k + 1] === null ? NaN : (row[k + 1] as number)));
    BAND_COLUMNS.forEach((c, k) => {
      const v = row[NUMBER_COLUMNS.length + 1 + k];
      bands.get(c)!.codes[p] = v === null ? -1 : bandCodes.get(c)!.get(v as string)!;
    });
  }
  const untyped = new Set(STORE_COLUMN_NAMES.filter((c) => !data.columns.typed(c)));
  const columns = columnsOf(numbers, bands, untyped);
  const orders = new Map<string, SortOrder>();
  for (const [key, order] of data.orders) {
    const [column, dir] = key.split(':') as [ScoreColumn | '', 'asc' | 'desc'];
    if (column === '') continue; // newest first: made again on use, a plain countdown
    const positions = patchOrder(order.positions, resized?.oldToNew ?? null, touched, ids.length, (p, q) =>
      compareIn(columns, column, dir, p, q),
    );
    orders.set(key, { positions, ranks: null });
  }
  return { ids, columns, orders };
}

function binarySearch(ids: Float64Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = ids[mid]!;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * New arrays without the deleted positions and with room for the added ids (in id order,
 * values to be written by the caller), and where each old position went (-1: deleted).
 */
function movePositions(
  data: StoreData,
  deleted: readonly number[],
  added: readonly number[],
): {
  ids: Float64Array;
  numbers: Map<NumberColumn, Float64Array>;
  codes: Map<BandColumn, Int32Array>;
  oldToNew: Int32Array;
} {
  const old = data.ids;
  const gone = new Uint8Array(old.length);
  for (const p of deleted) gone[p] = 1;
  const incoming = [...added].sort((a, b) => a - b);
  const size = old.length - deleted.length + incoming.length;
  const ids = new Float64Array(size);
  const oldToNew = new Int32Array(old.length);
  let next = 0;
  let a = 0;
  for (let p = 0; p < old.length; p++) {
    while (a < incoming.length && incoming[a]! < old[p]!) ids[next++] = incoming[a++]!;
    if (gone[p]) {
      oldToNew[p] = -1;
      continue;
    }
    oldToNew[p] = next;
    ids[next++] = old[p]!;
  }
  while (a < incoming.length) ids[next++] = incoming[a++]!;
  const move = <A extends Float64Array | Int32Array>(from: A, to: A, blank: number): A => {
    to.fill(blank);
    for (let p = 0; p < from.length; p++) if (oldToNew[p]! >= 0) to[oldToNew[p]!] = from[p]!;
    return to;
  };
  const numbers = new Map(
    NUMBER_COLUMNS.map((c) => [c, move(data.columns.number(c), new Float64Array(size), NaN)] as const),
  );
  const codes = new Map(
    BAND_COLUMNS.map((c) => [c, move(data.columns.band(c).codes, new Int32Array(size), -1)] as const),
  );
  return { ids, numbers, codes, oldToNew };
}

/**
 * A band with values it did not hold added to its dictionary, in its sort order: the codes
 * are renumbered in place (their order, and so every sort order built on them, is kept).
 */
function withValues(band: Band, values: readonly string[]): Band {
  const known = new Set(band.dictionary);
  const fresh = [...new Set(values.filter((v) => !known.has(v)))];
  if (fresh.length === 0) return band;
  const dictionary = [...band.dictionary, ...fresh].sort(binaryCompare);
  const at = new Map(dictionary.map((v, code) => [v, code]));
  const renumber = Int32Array.from(band.dictionary, (v) => at.get(v)!);
  const codes = band.codes as Int32Array;
  for (let p = 0; p < codes.length; p++) if (codes[p]! >= 0) codes[p] = renumber[codes[p]!]!;
  return { codes, dictionary };
}

/** `ORDER BY column dir NULLS LAST, id dir` on two positions (the order sortPositions builds). */
function compareIn(columns: Columns, column: ScoreColumn, dir: 'asc' | 'desc', p: number, q: number): number {
  let a: number;
  let b: number;
  if (column === 'grade' || column === 'segment') {
    const codes = columns.band(column).codes;
    a = codes[p]! < 0 ? NaN : codes[p]!;
    b = codes[q]! < 0 ? NaN : codes[q]!;
  } else {
    const values = columns.number(column);
    a = values[p]!;
    b = values[q]!;
  }
  const sign = dir === 'asc' ? 1 : -1;
  const aNull = Number.isNaN(a);
  const bNull = Number.isNaN(b);
  if (aNull !== bNull) return aNull ? 1 : -1;
  if (!aNull && a !== b) return sign * (a - b);
  return sign * (p - q);
}

/**
 * A sort order after a patch: the untouched positions keep their relative order (their
 * values did not change; moved positions keep id order), the touched ones are sorted and
 * merged in by binary search, so the cost is one pass, not a sort of every lead.
 */
function patchOrder(
  order: Uint32Array,
  oldToNew: Int32Array | null,
  touched: readonly number[],
  size: number,
  compare: (p: number, q: number) => number,
): Uint32Array {
  const isTouched = new Uint8Array(size);
  for (const p of touched) isTouched[p] = 1;
  const kept = new Uint32Array(size - touched.length);
  let n = 0;
  for (let k = 0; k < order.length; k++) {
    const p = oldToNew ? oldToNew[order[k]!]! : order[k]!;
    if (p >= 0 && isTouched[p] === 0) kept[n++] = p;
  }
  const incoming = [...touched].sort(compare);
  const out = new Uint32Array(size);
  let from = 0;
  let at = 0;
  for (const p of incoming) {
    let lo = from;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(kept[mid]!, p) < 0) lo = mid + 1;
      else hi = mid;
    }
    out.set(kept.subarray(from, lo), at);
    at += lo - from;
    from = lo;
    out[at++] = p;
  }
  out.set(kept.subarray(from, n), at);
  return out;
}
