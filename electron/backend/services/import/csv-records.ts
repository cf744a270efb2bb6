/**
 * A streaming CSV record reader that looks at every character once, whatever the chunking:
 * papaparse re-parses the unfinished last record with each new chunk, so one long line cost
 * quadratic time (a 40 MB line took 58 s). Its other rules:
 *
 * - Outside quotes, CRLF, LF and a bare CR each end a record, mixed in one file as Excel and
 *   hand edits leave them; inside quotes they are part of the cell.
 * - A cell longer than MAX_CELL_CHARS costs its row (a clear reason), and is never held in
 *   memory past the limit; so does a row of more than MAX_ROW_CELLS cells (a 200 MB line of
 *   commas was 16 million cells: 2 GB of memory and a minute to be told "no header row").
 * - An opening quote that never closes properly costs only its own line: when the quoted
 *   cell runs to the end of the file, past the limit, or its closing quote is followed by
 *   text (`"Ann,Acme⏎b@x.com,"Beta"...`), the record's first line is reported as a bad row
 *   and reading resumes on the next line.
 * - Blank lines are records of one empty cell (the importer counts them as skipped); a final
 *   line break does not start another record.
 */

/** Longest cell accepted, in characters (Excel's own limit is 32,767). */
export const MAX_CELL_CHARS = 1_000_000;
/** Most cells in one row (Excel's own limit on columns). */
export const MAX_ROW_CELLS = 16_384;
/** Characters of a bad row kept to show the user. */
const RAW_SHOWN = 200;

export type CsvRecord = string[] | BadRecord;
export type BadRecord = Readonly<{ bad: string; column: number; raw: string }>;

export function isBadRecord(r: CsvRecord): r is BadRecord {
  return !Array.isArray(r);
}

/** A bad record's reason as the import history and the preview show it. */
export function unreadableReason(r: BadRecord): string {
  return `The row cannot be read: ${r.bad}`;
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

const enum Mode {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote seen inside a quoted cell: an escaped quote or the cell's end. */
  QuoteInQuoted,
}

export class CsvRecordReader {
  private readonly delim: number;
  private readonly maxCell: number;
  private readonly maxCells: number;
  private records: CsvRecord[] = [];
  private mode = Mode.FieldStart;
  private cells: string[] = [];
  /** The current cell's text from earlier chunks. */
  private cell = '';
  private cellLen = 0;
  /** Column whose cell passed the limit (the record is then bad), or -1. */
  private tooLong = -1;
  /** The record has more than maxCells cells (then bad; the cells past the limit are dropped). */
  private tooWide = false;
  /** The record has at least one character (so a trailing line break starts none). */
  private started = false;
  /** A CR ended the last record: an LF right after it belongs to it. */
  private skipLf = false;
  /** The record's first line, as read (capped), for the bad-row report. */
  private head = '';
  /** A line break was read inside quotes: from there on the raw text is kept (`tail`). */
  private multiLine = false;
  private tail: string[] = [];
  private tailLen = 0;

  constructor(delimiter: string, maxCell = MAX_CELL_CHARS, maxCells = MAX_ROW_CELLS) {
    this.delim = delimiter.charCodeAt(0);
    this.maxCell = maxCell;
    this.maxCells = maxCells;
  }

  /** Reads a chunk; returns the records it completed. */
  push(text: string): CsvRecord[] {
    this.scanAll(text);
    return this.take();
  }

  /** The end of the input: returns the last records. */
  end(): CsvRecord[] {
    while (this.mode === Mode.Quoted) this.scanAll(this.backtrack(''));
    if (this.started) {
      this.pushCell(this.tooLong >= 0 ? '' : this.cell);
      this.endRecord();
    }
    return this.take();
  }

  private scanAll(text: string): void {
    let next: string | null = text;
    while (next !== null) next = this.scan(next);
  }

  private take(): CsvRecord[] {
    const out = this.records;
    this.records = [];
    return out;
  }

  /** Reads text; returns the text to read again when a stray quote made it back up. */
  private scan(text: string): string | null {
    const n = text.length;
    const delim = this.delim;
    let i = 0;
    // Where the current cell's text (segment) and the record's kept raw text begin in `text`.
    let seg = 0;
    let headFrom = this.multiLine ? -1 : 0;
    let tailFrom = this.multiLine ? 0 : -1;
    if (this.skipLf && n > 0) {
      this.skipLf = false;
      if (text.charCodeAt(0) === LF) {
        i = 1;
        seg = 1;
        if (headFrom === 0) headFrom = 1;
      }
    }
    const keepHead = (to: number) => {
      if (headFrom >= 0 && this.head.length < RAW_SHOWN)
        this.head += text.slice(headFrom, Math.min(to, headFrom + RAW_SHOWN));
    };
    const addToCell = (from: number, to: number) => {
      if (to <= from || this.tooLong >= 0) return;
      this.cellLen += to - from;
      if (this.cellLen > this.maxCell) {
        this.tooLong = this.cells.length;
        this.cell = '';
      } else this.cell += text.slice(from, to);
    };
    const finishCell = (to: number) => {
      addToCell(seg, to);
      this.pushCell(this.tooLong >= 0 ? '' : this.cell);
      this.cell = '';
      this.cellLen = 0;
    };

    while (i < n) {
      const c = text.charCodeAt(i);
      switch (this.mode) {
        case Mode.FieldStart:
          this.started = true;
          if (c === QUOTE) {
            this.mode = Mode.Quoted;
            seg = i + 1;
            i++;
            continue;
          }
          // The first character of an unquoted cell: read on in Unquoted.
          this.mode = Mode.Unquoted;
          seg = i;
          continue;
        case Mode.Unquoted: {
          // The hot loop: scan to the next delimiter or line break.
          let j = i;
          while (j < n) {
            const d = text.charCodeAt(j);
            if (d === delim || d === LF || d === CR) break;
            j++;
          }
          if (j === n) {
            addToCell(seg, n);
            seg = n;
            i = n;
            continue;
          }
          finishCell(j);
          const d = text.charCodeAt(j);
          i = j + 1;
          this.mode = Mode.FieldStart;
          if (d !== delim) {
            keepHead(j);
            headFrom = i;
            this.endRecord();
            if (d === CR) {
              if (i < n) {
                if (text.charCodeAt(i) === LF) i++;
              } else this.skipLf = true;
              headFrom = i;
            }
            tailFrom = -1;
          }
          seg = i;
          continue;
        }
        case Mode.Quoted: {
          const q = text.indexOf('"', i);
          const to = q < 0 ? n : q;
          if (!this.multiLine) {
            let br = i;
            while (br < to && text.charCodeAt(br) !== LF && text.charCodeAt(br) !== CR) br++;
            if (br < to) {
              // The first line break inside quotes: keep the raw text from here on, so an
              // unclosed quote can give back the lines after its own.
              keepHead(br);
              headFrom = -1;
              this.multiLine = true;
              tailFrom = br + (text.charCodeAt(br) === CR && text.charCodeAt(br + 1) === LF ? 2 : 1);
            }
          }
          addToCell(seg, to);
          if (this.multiLine && this.tailLen + (to - (tailFrom < 0 ? 0 : tailFrom)) > this.maxCell) {
            // No closing quote within the limit: the quote was never meant to open a cell.
            return this.backtrack(text.slice(tailFrom < 0 ? 0 : tailFrom));
          }
          if (q < 0) {
            i = n;
            seg = n;
            continue;
          }
          seg = q + 1;
          i = q + 1;
          this.mode = Mode.QuoteInQuoted;
          continue;
        }
        case Mode.QuoteInQuoted:
          if (c === QUOTE) {
            // An escaped quote: keep one.
            addToCell(i, i + 1);
            seg = i + 1;
            i++;
            this.mode = Mode.Quoted;
            continue;
          }
          if (c === delim || c === LF || c === CR) {
            this.mode = Mode.Unquoted;
            seg = i;
            continue;
          }
          if (this.multiLine) {
            // `"...⏎...⏎..."text`: the quote that opened this cell was a stray one.
            return this.backtrack(text.slice(tailFrom < 0 ? 0 : tailFrom));
          }
          // `"abc"def` on one line: read on as text, as spreadsheets do.
          if (this.tooLong < 0) this.cell += '"';
          this.mode = Mode.Unquoted;
          seg = i;
          continue;
      }
    }
    if (this.mode === Mode.Quoted || this.mode === Mode.Unquoted) addToCell(seg, n);
    keepHead(n);
    if (this.multiLine && tailFrom >= 0 && tailFrom < n) {
      this.tail.push(text.slice(tailFrom));
      this.tailLen += n - tailFrom;
    }
    return null;
  }

  private pushCell(cell: string): void {
    if (this.cells.length < this.maxCells) this.cells.push(cell);
    else this.tooWide = true;
  }

  private endRecord(): void {
    if (this.tooWide) {
      this.records.push({
        bad: `the row has more than ${this.maxCells.toLocaleString('en-US')} cells (the most a spreadsheet row holds).`,
        column: this.maxCells,
        raw: this.head.slice(0, RAW_SHOWN),
      });
    } else if (this.tooLong >= 0) {
      this.records.push({
        bad: `the cell holds more than ${this.maxCell.toLocaleString('en-US')} characters (the limit for one cell).`,
        column: this.tooLong,
        raw: this.head.slice(0, RAW_SHOWN),
      });
    } else this.records.push(this.cells);
    this.reset();
  }

  private reset(): void {
    this.cells = [];
    this.cell = '';
    this.cellLen = 0;
    this.tooLong = -1;
    this.tooWide = false;
    this.started = false;
    this.mode = Mode.FieldStart;
    this.head = '';
    this.multiLine = false;
    this.tail = [];
    this.tailLen = 0;
  }

  /**
   * The record's opening quote never closed properly: its first line becomes a bad row, and
   * the lines after it (kept raw, plus what is left of this chunk) are read again.
   */
  private backtrack(rest: string): string {
    const column = this.cells.length;
    const again = this.tail.join('') + rest;
    this.records.push({
      bad: 'a quote opens this cell but never closes it, so the row cannot be split into cells.',
      column,
      raw: this.head.slice(0, RAW_SHOWN),
    });
    this.reset();
    return again;
  }
}
