/**
 * The backend as an object: owns the workspace connection, validates every call against
 * the contract's schemas, runs the handler table and turns failures into error data.
 * The worker thread, the CLI, the tests and the e2e bridge all drive this same object.
 */
import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import {
  handlerArgs,
  type EventName,
  type Events,
  type HandlerName,
  type HandlerResult,
  type Result,
} from '../../shared/contract';
import type { BackendContext } from './context';
import { openSnapshotReader, openWorkspaceDb } from './db/open';
import { AppError, toApiError } from './errors';
import { handlers } from './handlers';
import { createScoringHelpers } from './services/scoring/score-helpers';
import { createJobRegistry } from './jobs';
import { isReadOnlyRefusal, SNAPSHOT_READS } from './snapshot-reads';
import { createWriteWindow } from './write-window';

export type BackendOptions = Readonly<{
  /** Workspace opened at start (created when missing). */
  workspacePath?: string | undefined;
  nativeBinding?: string | undefined;
  sampleDirs?: readonly string[];
  emit?: <E extends EventName>(name: E, payload: Events[E]) => void;
  now?: () => number;
  /**
   * The scoring helper thread's entry file. Default: the bundled score-helper.js beside the
   * bundle when the backend is built (the app in out/main, the CLI in out/cli), the TypeScript
   * source through tsx when it runs from source (tests, benchmark); null turns the helpers off.
   */
  scoringHelperEntry?: string | null;
  /** Scoring helper threads; default one per spare core (at most 3). */
  scoringHelperCount?: number;
}>;

/** Where the scoring helper entry is, by how this module runs (source or bundle). */
function defaultScoringHelperEntry(): string | null {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return fileURLToPath(new URL('./services/scoring/score-helper-source.cjs', here));
  const bundled = fileURLToPath(new URL('./score-helper.js', here));
  return existsSync(bundled) ? bundled : null;
}

export type Backend = Readonly<{
  handle: (name: string, args: unknown) => Promise<Result<unknown>>;
  invoke: <K extends HandlerName>(name: K, args: z.input<(typeof handlerArgs)[K]>) => Promise<HandlerResult<K>>;
  context: BackendContext;
  close: () => void;
}>;

function formatIssues(name: string, error: z.ZodError): string {
  const parts = error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(arguments)'}: ${i.message}`);
  return `Invalid arguments for "${name}": ${parts.join('; ')}`;
}

export function createBackend(options: BackendOptions = {}): Backend {
  let db: Database.Database | null = null;
  let path: string | null = null;
  // Opened on the first read served during a write window; see write-window.ts.
  let reader: Database.Database | null = null;
  const closeReader = (): void => {
    reader?.close();
    reader = null;
  };
  const emit = options.emit ?? (() => undefined);

  const context: BackendContext = {
    db: () => {
      if (!db) throw new AppError('WORKSPACE_NOT_OPEN', 'No workspace is open. Open or create one from the File menu.');
      return db;
    },
    workspacePath: () => path,
    openWorkspace: (nextPath, create) => {
      const next = openWorkspaceDb(nextPath, { create, nativeBinding: options.nativeBinding });
      closeReader();
      db?.close();
      db = next;
      path = nextPath;
    },
    emit: (name, payload) => emit(name, payload),
    jobs: createJobRegistry((p) => emit('job-progress', p)),
    sampleDirs: options.sampleDirs ?? [],
    now: options.now ?? Date.now,
    scoringHelpers: createScoringHelpers({
      entry: options.scoringHelperEntry === undefined ? defaultScoringHelperEntry() : options.scoringHelperEntry,
      nativeBinding: options.nativeBinding,
      ...(options.scoringHelperCount !== undefined ? { count: options.scoringHelperCount } : {}),
    }),
    writeWindow: createWriteWindow(),
  };

  /** The same context, reading from the snapshot connection (null: none can be opened). */
  function snapshotContext(): BackendContext | null {
    const main = context.db();
    if (main.name === '' || main.name === ':memory:') return null;
    reader ??= openSnapshotReader(main.name, { nativeBinding: options.nativeBinding });
    const snapshot = reader;
    return { ...context, db: () => snapshot };
  }

  type Impl = (ctx: BackendContext, a: unknown) => unknown;

  /** A request while a write window is open: from the snapshot if it only reads, else after the window. */
  async function duringWindow(key: HandlerName, impl: Impl, args: unknown): Promise<unknown> {
    const snapshot = SNAPSHOT_READS.has(key) ? snapshotContext() : null;
    if (snapshot) {
      try {
        return await impl(snapshot, args);
      } catch (err) {
        if (!isReadOnlyRefusal(err)) throw err;
      }
    }
    return context.writeWindow.whenClosed(async () => impl(context, args));
  }

  if (options.workspacePath) context.openWorkspace(options.workspacePath, true);

  async function handle(name: string, args: unknown): Promise<Result<unknown>> {
    if (!Object.hasOwn(handlerArgs, name)) {
      return { ok: false, error: { code: 'UNKNOWN_HANDLER', message: `Unknown request "${name}".` } };
    }
    const key = name as HandlerName;
    const parsed = handlerArgs[key].safeParse(args ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'BAD_ARGUMENT', message: formatIssues(name, parsed.error) } };
    }
    try {
      const impl = handlers[key] as Impl;
      const value = context.writeWindow.isOpen()
        ? await duringWindow(key, impl, parsed.data)
        : await context.writeWindow.whenClosed(async () => impl(context, parsed.data));
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: toApiError(err) };
    }
  }

  return {
    handle,
    invoke: async (name, args) => {
      const r = await handle(name, args);
      if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
      return r.value as HandlerResult<typeof name>;
    },
    context,
    close: () => {
      void context.scoringHelpers.close();
      closeReader();
      db?.close();
      db = null;
      path = null;
    },
  };
}
