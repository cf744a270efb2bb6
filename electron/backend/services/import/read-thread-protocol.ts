/**
 * What the import's read thread (read-thread.ts) and the writing thread (read-threads.ts)
 * say to each other, and the compact form a batch of records crosses in.
 *
 * A batch is not posted as `string[][]`: structured clone of many small strings and arrays
 * costs the receiver about what reading the file on another thread saves (measured on
 * 100,000 mapped rows: 0.47-0.59 s to deserialize). Instead its cells are joined into one
 * string (copied once, as one block) with their end offsets and each record's cell count in
 * two Uint32Arrays whose buffers are transferred, not copied; the receiver slices the cells
 * back out (100,000 bench rows: about 25 ms, against 100-150 ms to read them).
 */
import type { ApiError, HeaderCandidate } from '../../../../shared/contract';
import type { ColumnMapping, RowSettings } from '../../../../shared/mapping';
import type { CsvFile, RowBatch } from './csv-batches';
import type { BadRecord } from './csv-records';
import { unpackDrafts, type PackedDrafts } from './draft-codec';

/**
 * What the thread needs to map a lead import's rows as the backend thread would (plan.ts):
 * the mapper's inputs and the header row's section. All plain data.
 */
export type MapSpec = Readonly<{
  headers: readonly string[];
  mapping: ColumnMapping;
  settings: RowSettings;
  headerRow: number;
  candidates: readonly HeaderCandidate[];
}>;

/** Writer -> thread: read a file (one read at a time), one batch taken, or stop reading it. */
export type ReadThreadCommand =
  | Readonly<{
      t: 'read';
      id: number;
      file: CsvFile;
      /** Batches the thread may post before the writer has taken them (it then waits for 'more'). */
      ahead: number;
      /** A lead import: map its rows too (their drafts come with the batch). */
      map?: MapSpec;
    }>
  | Readonly<{ t: 'more'; id: number }>
  | Readonly<{ t: 'stop'; id: number }>;

export type PackedBatch = Readonly<{
  t: 'batch';
  id: number;
  /** Every cell of the batch, joined without separators. */
  text: string;
  /** Where each cell ends in `text`. */
  ends: Uint32Array;
  /** How many cells each record has. */
  widths: Uint32Array;
  bytesDone: number;
  /** The batch's bad records, by their index in it. */
  bad?: [number, BadRecord][];
  /** The drafts of the records the thread mapped (a lead import's rows that map without an error). */
  drafts?: PackedDrafts;
}>;

/** A failure inside the thread, as data: an AppError's code, or a system error's (ENOENT). */
export type ThreadFailure =
  Readonly<{ app: true; error: ApiError }> | Readonly<{ app: false; message: string; code?: string }>;

/** Thread -> writer: 'started' once its code has loaded; then per read its batches, and 'end' or 'error'. */
export type ReadThreadMessage =
  | Readonly<{ t: 'started' }>
  | PackedBatch
  | Readonly<{ t: 'end'; id: number }>
  | Readonly<{ t: 'error'; id: number; failure: ThreadFailure }>;

export function packBatch(id: number, batch: RowBatch, drafts?: PackedDrafts): PackedBatch {
  const rows = batch.rows;
  let cells = 0;
  for (let i = 0; i < rows.length; i++) cells += (rows[i] as string[]).length;
  const ends = new Uint32Array(cells);
  const widths = new Uint32Array(rows.length);
  const parts: string[] = new Array<string>(cells);
  let k = 0;
  let at = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as string[];
    widths[i] = row.length;
    for (let j = 0; j < row.length; j++) {
      const v = row[j] as string;
      parts[k] = v;
      at += v.length;
      ends[k++] = at;
    }
  }
  const text = parts.join('');
  return {
    t: 'batch',
    id,
    text,
    ends,
    widths,
    bytesDone: batch.bytesDone,
    ...(batch.bad ? { bad: [...batch.bad] } : {}),
    ...(drafts ? { drafts } : {}),
  };
}

export function unpackBatch(p: PackedBatch): RowBatch {
  const { text, ends, widths } = p;
  const rows: string[][] = new Array<string[]>(widths.length);
  let k = 0;
  let at = 0;
  for (let i = 0; i < widths.length; i++) {
    const w = widths[i] as number;
    const row: string[] = new Array<string>(w);
    for (let j = 0; j < w; j++) {
      const end = ends[k++] as number;
      row[j] = text.slice(at, end);
      at = end;
    }
    rows[i] = row;
  }
  const mapped = p.drafts ? unpackDrafts(p.drafts, rows.length) : undefined;
  return {
    rows,
    bytesDone: p.bytesDone,
    ...(p.bad ? { bad: new Map(p.bad) } : {}),
    ...(mapped ? { mapped } : {}),
  };
}
