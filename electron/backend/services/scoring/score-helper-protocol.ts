/**
 * Messages between a whole-workspace pass (full rescore, draft preview) and the scoring
 * helper threads. A helper is a long-lived worker thread; for each job it opens the
 * workspace read-only, claims batches from a counter shared with the backend thread
 * (whoever is free takes the next one), computes them and posts the results. Only the
 * backend thread writes.
 */
import type { ScoringModel } from '../../../../shared/scoring';
import type { PreviewBatch } from './preview';
import type { BatchResult } from './rescore-batch';

/** What a helper computes per batch. */
export type HelperTask =
  | Readonly<{
      kind: 'rescore';
      includeClosed: boolean;
      /** Models (see setupSignature) the backend thread scores with; a helper that reads others stops. */
      signature: string;
    }>
  | Readonly<{ kind: 'preview'; modelId: number; model: ScoringModel; exampleLimit: number }>;

/** A batch's result, by task. */
export type BatchOutput = { rescore: BatchResult; preview: PreviewBatch };

export type HelperJob = Readonly<{
  jobId: number;
  workspacePath: string;
  nativeBinding?: string | undefined;
  now: number;
  /** First lead id of every batch (see batchStarts). */
  starts: readonly number[];
  /** Int32Array over it: [0] is the next batch index to claim. */
  counter: SharedArrayBuffer;
  task: HelperTask;
}>;

export type ToHelper =
  | Readonly<{ type: 'job'; job: HelperJob }>
  | Readonly<{ type: 'ping' }>
  /** Copy the workspace's write-ahead log into the file (a PASSIVE checkpoint), off the backend thread. */
  | Readonly<{ type: 'checkpoint'; jobId: number; workspacePath: string; nativeBinding?: string | undefined }>;

export type FromHelper =
  | Readonly<{ type: 'batch'; jobId: number; index: number; result: BatchOutput[HelperTask['kind']] }>
  | Readonly<{ type: 'done'; jobId: number }>
  | Readonly<{ type: 'error'; jobId: number; message: string }>
  | Readonly<{ type: 'checkpointed'; jobId: number }>
  /** The answer to a ping: the helper is loaded and idle. */
  | Readonly<{ type: 'pong'; jobId: -1 }>;
