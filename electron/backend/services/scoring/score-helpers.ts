/**
 * The scoring helper threads of a backend: started on the first full rescore that is big
 * enough to share, then kept (idle, not holding the process open) so later rescores do not
 * pay for starting a thread and loading the scoring code again. One helper per spare core,
 * at most three: reading SQLite and scoring are CPU-bound, and the backend thread is busy
 * too (it scores its share and writes everything).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FromHelper, HelperJob, ToHelper } from './score-helper-protocol';

export type ScoringHelpers = Readonly<{
  /**
   * Sends the job to every helper; `onMessage` receives what they post for it, and an
   * 'error' message when a helper stops. Returns how many helpers got the job (0: none
   * available, the backend thread scores alone).
   */
  start: (job: Omit<HelperJob, 'nativeBinding'>, onMessage: (m: FromHelper) => void) => number;
  /** Starts the helpers (if not yet) and resolves when all are loaded; returns how many there are. */
  warm: () => Promise<number>;
  /** The job is over: helpers go idle and no longer hold the process open. */
  finish: (jobId: number) => void;
  /**
   * Checkpoints the workspace's write-ahead log on an idle helper's own connection; resolves
   * true when done, false when no helper could (none idle, or it failed).
   */
  checkpoint: (workspacePath: string) => Promise<boolean>;
  close: () => Promise<void>;
}>;

export type ScoringHelperSpec = Readonly<{
  /** The helper's entry file; null: no helpers (everything scores on the backend thread). */
  entry: string | null;
  nativeBinding?: string | undefined;
  /** Helper threads to run; default one per spare core, at most 3. */
  count?: number;
}>;

/**
 * A helper's JS heap caps. A batch needs a few MB; without caps V8 lets the garbage of
 * hundreds of batches pile up before collecting, which showed as ~100 MB more peak memory
 * per helper (and a small nursery, collected often, costs nothing measurable here). A helper
 * that still runs out stops, and its batches are scored on the backend thread (see
 * shared-batches.ts).
 */
const HELPER_HEAP_MB = 48;
const HELPER_NURSERY_MB = 8;

type Helper = {
  worker: Worker;
  listener: ((m: FromHelper) => void) | null;
  jobId: number;
  /** Resolves when the helper has answered its first ping (or stopped). */
  loaded: Promise<void>;
  /** A checkpoint running on this helper: settles it (true: done); `settled` once it has. */
  checkpointing: { id: number; settle: (ok: boolean) => void; settled: Promise<boolean> } | null;
};

export const NO_SCORING_HELPERS: ScoringHelpers = {
  start: () => 0,
  warm: async () => 0,
  finish: () => undefined,
  checkpoint: async () => false,
  close: async () => undefined,
};

/** Job ids of checkpoints: negative, never a scoring job's. */
let nextCheckpointId = -2;

export function createScoringHelpers(spec: ScoringHelperSpec): ScoringHelpers {
  const entry = spec.entry;
  if (!entry) return NO_SCORING_HELPERS;
  const count = spec.count ?? Math.min(3, Math.max(0, availableParallelism() - 1));
  const helpers: Helper[] = [];
  // A helper that stops before it has even loaded (a missing or broken entry file) would do
  // the same every time: from then on this backend scores on its own thread.
  let unloadable = false;

  function spawn(): Helper {
    const worker = new Worker(entry!, {
      resourceLimits: { maxOldGenerationSizeMb: HELPER_HEAP_MB, maxYoungGenerationSizeMb: HELPER_NURSERY_MB },
    });
    let loaded = (): void => undefined;
    let answered = false;
    const helper: Helper = {
      worker,
      listener: null,
      jobId: -1,
      loaded: new Promise((r) => (loaded = r)),
      checkpointing: null,
    };
    const checkpointed = (ok: boolean): void => {
      const c = helper.checkpointing;
      helper.checkpointing = null;
      if (!c) return;
      if (!helper.listener) worker.unref();
      c.settle(ok);
    };
    const stopped = (message: string): void => {
      if (!answered) unloadable = true;
      loaded();
      const at = helpers.indexOf(helper);
      if (at >= 0) helpers.splice(at, 1);
      helper.listener?.({ type: 'error', jobId: helper.jobId, message });
      helper.listener = null;
      checkpointed(false);
    };
    worker.on('message', (m: FromHelper) => {
      if (m.type === 'pong') {
        answered = true;
        loaded();
        // Loaded and idle: an idle helper must not keep the process alive.
        if (!helper.listener) worker.unref();
      } else if (helper.checkpointing && m.jobId === helper.checkpointing.id) {
        checkpointed(m.type === 'checkpointed');
      } else if (m.jobId === helper.jobId) helper.listener?.(m);
    });
    worker.postMessage({ type: 'ping' } satisfies ToHelper);
    worker.on('error', (err) => stopped(err.message));
    worker.on('exit', (code) => stopped(`the scoring helper stopped (exit code ${code})`));
    return helper;
  }

  const ensure = (): void => {
    while (!unloadable && helpers.length < count) helpers.push(spawn());
  };

  return {
    warm: async () => {
      ensure();
      await Promise.all(helpers.map((h) => h.loaded));
      return helpers.length;
    },
    start: (job, onMessage) => {
      ensure();
      for (const helper of helpers) {
        helper.jobId = job.jobId;
        helper.listener = onMessage;
        helper.worker.ref();
        const message: ToHelper = { type: 'job', job: { ...job, nativeBinding: spec.nativeBinding } };
        helper.worker.postMessage(message);
      }
      return helpers.length;
    },
    checkpoint: async (workspacePath) => {
      ensure();
      const helper = helpers.find((h) => !h.listener && !h.checkpointing);
      if (!helper) return false;
      await helper.loaded;
      if (helper.listener || helper.checkpointing || !helpers.includes(helper)) return false;
      const id = nextCheckpointId--;
      let settle: (ok: boolean) => void = () => undefined;
      const settled = new Promise<boolean>((r) => (settle = r));
      helper.checkpointing = { id, settle, settled };
      helper.worker.ref();
      const message: ToHelper = { type: 'checkpoint', jobId: id, workspacePath, nativeBinding: spec.nativeBinding };
      helper.worker.postMessage(message);
      return settled;
    },
    finish: (jobId) => {
      for (const helper of helpers) {
        if (helper.jobId !== jobId) continue;
        helper.listener = null;
        helper.worker.unref();
      }
    },
    close: async () => {
      const all = helpers.splice(0);
      for (const helper of all) helper.listener = null;
      // A checkpoint in flight ends first: a thread terminated inside SQLite takes the whole
      // process down (a native abort, not an error) when SQLite then fails, as on a full disk.
      await Promise.all(all.map((h) => h.checkpointing?.settled));
      await Promise.all(all.map((h) => h.worker.terminate()));
    },
  };
}
