/**
 * The records of a CSV/TSV file, streamed from its path in batches: fs stream -> decoder
 * (chunk-safe) -> a record reader that sees each character once (csv-records.ts), one batch
 * per 64 KB read, with the bytes consumed so far. The file is never read whole.
 *
 * Kept apart from source.ts (sniffing, workbooks) so that the import's read thread
 * (read-thread.ts) loads only this, not the spreadsheet library.
 */
import { createReadStream } from 'node:fs';
import type { Delimiter, TextEncoding } from '../../../../shared/contract';
import type { LeadDraft } from '../../../../shared/mapping';
import { AppError } from '../../errors';
import { CsvRecordReader, isBadRecord, type BadRecord, type CsvRecord } from './csv-records';
import { createDecoder } from './encoding';

/**
 * Records of a file. A record that cannot be split into cells (a stray quote, a cell over
 * the limit) is in `rows` as its raw first line, one cell, and in `bad` by its index.
 */
export type RowBatch = Readonly<{
  rows: string[][];
  bytesDone: number;
  bad?: ReadonlyMap<number, BadRecord>;
  /**
   * Drafts of records mapped already (by the read thread, read-threads.ts), by index: each
   * what the plan's mapper returns for that record. A record without one is mapped by the reader.
   */
  mapped?: readonly (LeadDraft | undefined)[];
}>;

/** What reading a CSV needs of a sniffed file (source.ts `Sniffed`). */
export type CsvFile = Readonly<{
  path: string;
  fileName: string;
  encoding: TextEncoding | null;
  delimiter: Delimiter | null;
  encodingChosen: boolean;
}>;

function toBatch(records: readonly CsvRecord[], bytesDone: number): RowBatch | null {
  if (records.length === 0) return null;
  let bad: Map<number, BadRecord> | undefined;
  const rows = records.map((r, i) => {
    if (!isBadRecord(r)) return r;
    (bad ??= new Map()).set(i, r);
    return [r.raw];
  });
  return bad ? { rows, bytesDone, bad } : { rows, bytesDone };
}

/**
 * A file whose start was valid UTF-8 but not all of it: stop rather than store U+FFFD in
 * place of letters (a U+FFFD the file really holds is kept).
 */
function checkUtf8(s: CsvFile, text: string, chunk: Buffer, bytesBefore: number): void {
  if (s.encodingChosen || s.encoding !== 'utf-8' || !text.includes('\uFFFD')) return;
  if (chunk.includes(REPLACEMENT_BYTES)) return;
  throw new AppError(
    'IMPORT_UNREADABLE',
    `"${s.fileName}" is not valid UTF-8 text after its first ${bytesBefore.toLocaleString('en-US')} bytes. ` +
      'Name its encoding to import it (e.g. leadbench import --encoding windows-1252, or Encoding in the import wizard). Nothing was imported.',
  );
}
const REPLACEMENT_BYTES = Buffer.from([0xef, 0xbf, 0xbd]);

/** Streams the records of a CSV/TSV file in batches (records include blank ones, as ['']). */
export async function* readCsvBatches(s: CsvFile): AsyncGenerator<RowBatch> {
  const reader = new CsvRecordReader(s.delimiter ?? ',');
  const dec = createDecoder(s.encoding ?? 'utf-8');
  const stream = createReadStream(s.path, { highWaterMark: 1 << 16 });
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = dec.decode(chunk);
      checkUtf8(s, text, chunk, bytes);
      bytes += chunk.length;
      const batch = toBatch(reader.push(text), bytes);
      if (batch) yield batch;
    }
  } finally {
    stream.destroy();
  }
  const last = toBatch([...reader.push(dec.end()), ...reader.end()], bytes);
  if (last) yield last;
}
