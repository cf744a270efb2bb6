/**
 * The one interface the export code writes tables through, whatever the format: start a
 * sheet with typed columns, write rows of plain cells, close. Both writers stream to a
 * temporary file beside the target and rename it into place on close, so a failed or
 * cancelled export never leaves a half-written file under the chosen name.
 *
 * Cells are plain values typed by their column: text (neutralized against formula
 * injection), numbers (stay numbers), date/datetime (epoch ms, written in the export's zone).
 */
import type { ExportColumnKind } from '../../../../shared/exchange/columns';

export type SheetCell = string | number | null;

export type SheetColumn = Readonly<{
  header: string;
  kind: ExportColumnKind;
  /** XLSX column width in characters. */
  width?: number;
  /** XLSX: empty cells of this column are formatted as text, so what a rep types stays text. */
  textInput?: boolean;
  /** XLSX: a drop-down list of allowed values for the cells a rep fills in. */
  choices?: readonly string[];
}>;

export type SheetWriter = {
  /** Begins a sheet (CSV files hold one). Ends the previous sheet. */
  startSheet: (name: string, columns: readonly SheetColumn[]) => Promise<void>;
  /** Buffers one row; call `flush` between batches to bound memory. */
  writeRow: (cells: readonly SheetCell[]) => void;
  /** Waits until the file stream has taken the buffered data (backpressure). */
  flush: () => Promise<void>;
  /** Finishes the file and moves it into place (FileSink.commit's `beforeRename`); returns its size in bytes. */
  close: (beforeRename?: () => void) => Promise<number>;
  /** Drops the partial file. */
  abort: () => Promise<void>;
  /** Rows written to the current sheet so far (header excluded). */
  readonly rowsInSheet: number;
};

/** Rounds away binary noise (0.1 + 0.2) so a score shows as 0.3, keeping 6 decimals. */
export function cleanNumber(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
