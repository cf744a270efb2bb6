/**
 * What every handler receives: the open workspace, a way to push events to the window,
 * and the job registry for long, cancellable work.
 */
import type Database from 'better-sqlite3';
import type { EventName, Events } from '../../shared/contract';
import type { JobRegistry } from './jobs';
import type { Profiler } from './services/import/profile-threads';
import type { ImportReader } from './services/import/read-threads';
import type { LearnFitter } from './services/outcomes/learn-threads';
import type { ScoringHelpers } from './services/scoring/score-helpers';
import type { WriteQueue } from './write-queue';

export type BackendContext = Readonly<{
  /** The open workspace database; throws WORKSPACE_NOT_OPEN when none is open. */
  db: () => Database.Database;
  workspacePath: () => string | null;
  /** Opens (or creates) a workspace file and heals it, closing the previous one only on success. */
  openWorkspace: (path: string, create: boolean) => void;
  /**
   * Takes the workspace's writer lock (db/writer-lock.ts), waiting while another process
   * writes; resolves with its release. Shared by the requests and jobs of this process.
   */
  holdWriter: (command: string) => Promise<() => void>;
  emit: <E extends EventName>(name: E, payload: Events[E]) => void;
  jobs: JobRegistry;
  /** Folders searched for the sample datasets (bundled samples, ../shared/data/real). */
  sampleDirs: readonly string[];
  /** Injected clock so tests control time; production passes Date.now. */
  now: () => number;
  /** Threads that share the work of a full rescore or a draft preview. */
  scoringHelpers: ScoringHelpers;
  /** Every write runs through it, alone, in order; a long job holds it for its whole run (write-queue.ts). */
  writes: WriteQueue;
  /** Whole-file import profiles, each on a thread of its own (services/import/profile-threads.ts). */
  profiler: Profiler;
  /** Where an import reads its file: on a thread of its own when that pays (services/import/read-threads.ts). */
  importReader: ImportReader;
  /** The learning fit, on a thread of its own (services/outcomes/learn-threads.ts). */
  fitLearned: LearnFitter;
  /**
   * The read connection the grid's requests use, when one is open (backend.ts), so a job that
   * rewrote the leads can bring what it keeps in memory up to date before the grid asks.
   */
  readDb?: (() => Database.Database | null) | undefined;
}>;
