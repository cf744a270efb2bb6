/** Workspace handlers: which file is open, what it holds, opening another one. */
import { z } from 'zod';
import type { AccessOf } from './core';

export type WorkspaceInfo = Readonly<{
  path: string;
  name: string;
  schemaVersion: number;
  /** The app's version (package.json). */
  appVersion: string;
  sizeBytes: number;
  leadCount: number;
  activityCount: number;
  importCount: number;
  /**
   * Some scores wait for a rescore that has not committed yet: one running now, or one that
   * failed (a full disk) and runs the next time the workspace is opened.
   */
  scoresStale: boolean;
}>;

export type SampleDataset = Readonly<{ id: string; label: string; description: string; available: boolean }>;

export const workspaceArgs = {
  'workspace-info': z.object({}).strict(),
  'workspace-open': z.object({ path: z.string().min(1).max(4096), create: z.boolean().optional() }).strict(),
  'sample-list': z.object({}).strict(),
  /** Cancels a running job (import, rescore, export) by the id its job-progress events carry. */
  'job-cancel': z.object({ jobId: z.string().min(1).max(200) }).strict(),
} as const;

/** Whether each handler reads or writes the workspace (core.ts: HandlerAccess). */
export const workspaceAccess = {
  'workspace-info': 'read',
  'workspace-open': 'write', // switches the connection every request uses: after the writes queued before it
  'sample-list': 'read',
  'job-cancel': 'read', // touches no data: answered at once, even during a long job
} as const satisfies AccessOf<typeof workspaceArgs>;

export type WorkspaceResults = {
  'workspace-info': WorkspaceInfo;
  'workspace-open': WorkspaceInfo;
  'sample-list': readonly SampleDataset[];
  'job-cancel': Readonly<{ cancelled: boolean }>;
};

export type WorkspaceEvents = {
  'workspace-changed': WorkspaceInfo;
  /** Something the grid/reports show changed; listeners refetch. */
  'data-changed': Readonly<{
    tables: readonly ('leads' | 'activities' | 'imports' | 'scores' | 'models' | 'followup')[];
  }>;
  'job-progress': JobProgress;
  /**
   * The backend stopped unexpectedly (worker-client.ts) and was started again on the same
   * workspace: the requests it was answering failed and a running job was rolled back, as
   * after a crash; everything committed before is kept.
   */
  'backend-restarted': Readonly<{ message: string }>;
};

/** Progress of a long job (import, rescore, export). */
export type JobProgress = Readonly<{
  jobId: string;
  /** 'prepare': a one-time build the grid needs first (a sort index, the quick search's table). */
  kind: 'import' | 'rescore' | 'export' | 'sample' | 'learn' | 'prepare';
  phase: string;
  done: number;
  total: number | null;
  /** 0..1 when known (by bytes for imports). */
  fraction: number | null;
  ratePerSec: number | null;
  finished: boolean;
}>;
