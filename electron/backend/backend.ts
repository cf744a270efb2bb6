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
  handlerAccess,
  handlerArgs,
  type EventName,
  type Events,
  type HandlerAccess,
  type HandlerName,
  type HandlerResult,
  type Result,
} from '../../shared/contract';
import type { BackendContext } from './context';
import { isReadOnlyRefusal, openReadConnection, openWorkspaceDb } from './db/open';
import { announceFirstUseBuilds } from './db/first-use-notice';
import { acquireWriter, dropWriter, markThreadDead, tryAcquireWriter, type LockHolder } from './db/writer-lock';
import { healLocked, healOnOpen } from './services/recovery/heal';
import { AppError, toApiError } from './errors';
import { handlers } from './handlers';
import { createProfiler } from './services/import/profile-threads';
import { createImportReader } from './services/import/read-threads';
import { createLearnFitter } from './services/outcomes/learn-threads';
import { createScoringHelpers } from './services/scoring/score-helpers';
import { createJobRegistry, type JobRegistry } from './jobs';
import { followWritesOf } from './services/leads/lead-write-journal';
import { createWriteQueue } from './write-queue';

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
  /**
   * The import profile thread's entry file (services/import/profile-threads.ts), found like
   * the scoring helper's; null profiles files on the backend thread.
   */
  profileThreadEntry?: string | null;
  /**
   * The import read thread's entry file (services/import/read-threads.ts), found the same way;
   * null reads every import's file on the backend thread.
   */
  readThreadEntry?: string | null;
  /** Files smaller than this are read on the backend thread (default READ_THREAD_MIN_BYTES; tests set 0). */
  readThreadMinBytes?: number;
  /** The learn thread's entry file (services/outcomes/learn-threads.ts), found the same way; null fits on the backend thread. */
  learnThreadEntry?: string | null;
  /**
   * Called once when a request that writes must wait for another process's write to end
   * (db/writer-lock.ts): the CLI says so on stderr.
   */
  onWaitForWriter?: (holder: LockHolder | null) => void;
  /** Threads of this process that died holding the writer lock, maybe (see worker-protocol.ts). */
  deadThreadIds?: readonly number[];
}>;

/**
 * Where a helper thread's entry is, by how this module runs: its source through tsx (the
 * `-source.cjs` shim, relative to this file) or the bundled file beside the bundle.
 */
function threadEntry(sourceShim: string, bundledName: string): string | null {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return fileURLToPath(new URL(sourceShim, here));
  const bundled = fileURLToPath(new URL(bundledName, here));
  return existsSync(bundled) ? bundled : null;
}

export type Backend = Readonly<{
  handle: (name: string, args: unknown) => Promise<Result<unknown>>;
  invoke: <K extends HandlerName>(name: K, args: z.input<(typeof handlerArgs)[K]>) => Promise<HandlerResult<K>>;
  context: BackendContext;
  /** Takes the writer lock (waiting for other processes) and keeps it until close: a CLI command that writes. */
  holdWriterUntilClose: () => Promise<void>;
  close: () => void;
}>;

function formatIssues(name: string, error: z.ZodError): string {
  const parts = error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(arguments)'}: ${i.message}`);
  return `Invalid arguments for "${name}": ${parts.join('; ')}`;
}

type Impl = (ctx: BackendContext, a: unknown) => unknown;
/** Runs one validated request's handler by its declared access. */
type Route = (key: HandlerName, impl: Impl, args: unknown) => Promise<unknown>;

/**
 * The two routes a request can take (its access is declared in shared/contract): a 'write'
 * through the write queue holding this process's writer lock; a 'read' at once on the read
 * connection (the workspace as last committed), or as a write when it needs one after all.
 */
function createRoutes(
  context: BackendContext,
  workspace: Readonly<{
    /** The context on the read connection; null when there is none (reads then use the workspace's). */
    readContext: () => BackendContext | null;
    /**
     * The writer lock taken without waiting: its release, null when another process holds
     * it, undefined when no workspace is open (opening one: there is no lock to take).
     */
    holdWriterNow: (key: HandlerName) => (() => void) | null | undefined;
  }>,
): Readonly<Record<HandlerAccess, Route>> {
  const write: Route = (key, impl, args) =>
    context.writes.run(async () => {
      // Taken at once when free, so the request starts in this same tick; else after
      // another process's write ends.
      const now = workspace.holdWriterNow(key);
      const release = now === undefined ? null : (now ?? (await context.holdWriter(key)));
      try {
        return await impl(context, args);
      } finally {
        release?.();
      }
    });
  const read: Route = async (key, impl, args) => {
    const reading = workspace.readContext();
    if (!reading) return impl(context, args);
    try {
      return await impl(reading, args);
    } catch (err) {
      if (!isReadOnlyRefusal(err)) throw err;
    }
    // A read that needs a write after all (a first-use grid index, a sort's runtime index) was
    // refused by the read-only connection before it changed anything: it runs as a write.
    return write(key, impl, args);
  };
  return { read, write };
}

/** Validates a request against the contract's schema, runs it by its access, and turns a failure into error data. */
async function handleRequest(
  routes: Readonly<Record<HandlerAccess, Route>>,
  name: string,
  args: unknown,
): Promise<Result<unknown>> {
  if (!Object.hasOwn(handlerArgs, name)) {
    return { ok: false, error: { code: 'UNKNOWN_HANDLER', message: `Unknown request "${name}".` } };
  }
  const key = name as HandlerName;
  const parsed = handlerArgs[key].safeParse(args ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'BAD_ARGUMENT', message: formatIssues(name, parsed.error) } };
  }
  try {
    const value = await routes[handlerAccess[key]](key, handlers[key] as Impl, parsed.data);
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}

/** A first-use build as a job the status bar shows while it runs (it cannot be cancelled). */
function announceBuild(jobs: JobRegistry, phase: string): () => void {
  const job = jobs.start('prepare');
  const at = { phase, done: 0, total: null, fraction: null, ratePerSec: null };
  job.progress(at);
  return () => {
    job.progress({ ...at, finished: true });
    jobs.finish(job.id);
  };
}

export function createBackend(options: BackendOptions = {}): Backend {
  let db: Database.Database | null = null;
  let path: string | null = null;
  // The read connection: opened on the first read of a workspace file (readContext).
  let reader: Database.Database | null = null;
  // The writer lock held for the whole life of this backend (holdWriterUntilClose).
  let heldWriter: (() => void) | null = null;
  const releaseWriter = (): void => {
    heldWriter?.();
    heldWriter = null;
  };
  const closeReader = (): void => {
    reader?.close();
    reader = null;
  };
  const emit = options.emit ?? (() => undefined);
  for (const threadId of options.deadThreadIds ?? []) markThreadDead(threadId);

  const context: BackendContext = {
    db: () => {
      if (!db) throw new AppError('WORKSPACE_NOT_OPEN', 'No workspace is open. Open or create one from the File menu.');
      return db;
    },
    workspacePath: () => path,
    readDb: () => reader,
    openWorkspace: (nextPath, create) => {
      const next = openWorkspaceDb(nextPath, { create, nativeBinding: options.nativeBinding });
      announceFirstUseBuilds(next, (phase) => announceBuild(context.jobs, phase));
      try {
        // What dead jobs left half-done is finished or rolled back before anything reads it.
        healOnOpen(next, (options.now ?? Date.now)());
      } catch (err) {
        next.close();
        throw err;
      }
      closeReader();
      releaseWriter();
      if (db) dropWriter(db);
      db?.close();
      db = next;
      path = nextPath;
    },
    holdWriter: async (command) => {
      const taken = holdWriterNow(command);
      if (taken) return taken;
      return healed(await acquireWriter(context.db(), command, options.onWaitForWriter));
    },
    emit: (name, payload) => emit(name, payload),
    jobs: createJobRegistry((p) => emit('job-progress', p)),
    sampleDirs: options.sampleDirs ?? [],
    now: options.now ?? Date.now,
    scoringHelpers: createScoringHelpers({
      entry:
        options.scoringHelperEntry === undefined
          ? threadEntry('./services/scoring/score-helper-source.cjs', './score-helper.js')
          : options.scoringHelperEntry,
      nativeBinding: options.nativeBinding,
      ...(options.scoringHelperCount !== undefined ? { count: options.scoringHelperCount } : {}),
    }),
    writes: createWriteQueue(),
    profiler: createProfiler(
      options.profileThreadEntry === undefined
        ? threadEntry('./services/import/profile-thread-source.cjs', './profile-thread.js')
        : options.profileThreadEntry,
    ),
    importReader: createImportReader({
      entry:
        options.readThreadEntry === undefined
          ? threadEntry('./services/import/read-thread-source.cjs', './read-thread.js')
          : options.readThreadEntry,
      ...(options.readThreadMinBytes !== undefined ? { minBytes: options.readThreadMinBytes } : {}),
    }),
    fitLearned: createLearnFitter(
      options.learnThreadEntry === undefined
        ? threadEntry('./services/outcomes/learn-thread-source.cjs', './learn-thread.js')
        : options.learnThreadEntry,
    ),
  };

  /** A fresh hold (nothing of this process was running): whatever is marked running belongs to a dead process. */
  function healed(hold: Readonly<{ release: () => void; first: boolean }>): () => void {
    if (hold.first) {
      try {
        healLocked(context.db(), context.now());
      } catch (err) {
        hold.release();
        throw err;
      }
    }
    return hold.release;
  }

  /** The writer lock taken without waiting (null: another process holds it). */
  function holdWriterNow(command: string): (() => void) | null {
    const hold = tryAcquireWriter(context.db(), command);
    return hold ? healed(hold) : null;
  }

  /**
   * The same context on the read connection, which sees the workspace as last committed
   * (never a write's open transaction); null when none can be opened (no workspace open,
   * an in-memory one): reads then run on the workspace connection.
   */
  function readContext(): BackendContext | null {
    if (!db || db.name === '' || db.name === ':memory:') return null;
    if (!reader) {
      reader = openReadConnection(db.name, { nativeBinding: options.nativeBinding });
      // What the grid keeps of the leads on the reader is patched from this process's writes.
      followWritesOf(reader, db);
    }
    const connection = reader;
    return { ...context, db: () => connection };
  }

  const routes = createRoutes(context, {
    readContext,
    holdWriterNow: (key) => (path ? holdWriterNow(key) : undefined),
  });

  if (options.workspacePath) context.openWorkspace(options.workspacePath, true);

  const handle = (name: string, args: unknown) => handleRequest(routes, name, args);

  return {
    handle,
    invoke: async (name, args) => {
      const r = await handle(name, args);
      if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
      return r.value as HandlerResult<typeof name>;
    },
    context,
    holdWriterUntilClose: async () => {
      if (!heldWriter) heldWriter = await context.holdWriter('command');
    },
    close: () => {
      void context.scoringHelpers.close();
      void context.profiler.close();
      void context.importReader.close();
      closeReader();
      releaseWriter();
      if (db) dropWriter(db);
      db?.close();
      db = null;
      path = null;
    },
  };
}
