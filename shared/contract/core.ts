/**
 * The IPC boundary's building blocks: errors as data, results, the shell functions the
 * preload exposes. Domain files (workspace.ts, ...) declare their handlers' argument
 * schemas and result types; ../contract.ts merges them into the one contract.
 */

/**
 * What a handler does to the workspace, declared beside its argument schema: 'read' is
 * answered at once from a read connection that sees the last commit (never waiting for a
 * long job's save); 'write' runs through the one write queue, alone, after the writes
 * queued before it. A handler that writes files but leaves the workspace as it was reads.
 */
export type HandlerAccess = 'read' | 'write';

/** The access declaration of every handler of a domain's argument table. */
export type AccessOf<Args> = { readonly [K in keyof Args]: HandlerAccess };

/** Stable, testable error codes. The renderer shows `message`; tests assert `code`. */
export type ErrorCode =
  | 'BAD_ARGUMENT'
  | 'UNKNOWN_HANDLER'
  | 'INTERNAL'
  | 'CANCELLED'
  | 'BUSY'
  | 'NOT_FOUND'
  | 'WORKSPACE_NOT_OPEN'
  | 'WORKSPACE_NOT_FOUND'
  | 'WORKSPACE_INVALID'
  | 'WORKSPACE_TOO_NEW'
  | 'WORKSPACE_READ_ONLY'
  | 'WRITE_FAILED'
  | 'SAMPLE_MISSING'
  | 'IMPORT_UNREADABLE'
  | 'IMPORT_EMPTY'
  | 'IMPORT_BAD_HEADER'
  | 'IMPORT_BAD_MAPPING'
  | 'IMPORT_FAILED'
  | 'MODEL_INVALID'
  | 'EXPORT_FAILED'
  | 'VALIDATION';

export type ApiError = Readonly<{ code: ErrorCode; message: string; details?: unknown }>;

export type Result<T> = Readonly<{ ok: true; value: T }> | Readonly<{ ok: false; error: ApiError }>;

export type FileFilter = Readonly<{ name: string; extensions: readonly string[] }>;

/** Native shell features, one named function each (preload -> main). */
export type ShellApi = Readonly<{
  /** True in the desktop app (File menu items arrive as menu-command events); false in a browser. */
  nativeMenu: boolean;
  openFileDialog: (o: Readonly<{ title?: string; filters?: readonly FileFilter[] }>) => Promise<string | null>;
  saveFileDialog: (
    o: Readonly<{ title?: string; defaultPath?: string; filters?: readonly FileFilter[] }>,
  ) => Promise<string | null>;
  /** The filesystem path of a dropped File (drag and drop import). */
  pathForFile: (file: object) => string;
}>;
