/**
 * Long jobs (import, rescore, export) run as async loops in the worker: they yield between
 * batches, so queries and a cancel request are served while they run. Each job gets an
 * AbortSignal and a throttled progress reporter.
 */
import type { JobProgress } from '../../shared/contract';
import { AppError } from './errors';

export type Job = Readonly<{
  id: string;
  signal: AbortSignal;
  /** Reports progress; throttled to ~10 events/s except for the final one and a new phase's first. */
  progress: (p: Omit<JobProgress, 'jobId' | 'kind' | 'finished'> & { finished?: boolean }) => void;
  /** Throws CANCELLED if the job was cancelled. Call between batches. */
  checkCancelled: () => void;
}>;

export type JobRegistry = Readonly<{
  start: (kind: JobProgress['kind'], id?: string) => Job;
  finish: (id: string) => void;
  cancel: (id: string) => boolean;
  active: () => readonly string[];
}>;

let counter = 0;

export function createJobRegistry(emitProgress: (p: JobProgress) => void): JobRegistry {
  const controllers = new Map<string, AbortController>();
  return {
    start(kind, requestedId) {
      const id = requestedId ?? `${kind}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
      const controller = new AbortController();
      controllers.set(id, controller);
      let lastEmit = 0;
      let lastPhase: string | null = null;
      return {
        id,
        signal: controller.signal,
        progress(p) {
          const now = Date.now();
          if (!p.finished && p.phase === lastPhase && now - lastEmit < 100) return;
          lastEmit = now;
          lastPhase = p.phase;
          emitProgress({ ...p, jobId: id, kind, finished: p.finished ?? false });
        },
        checkCancelled() {
          if (controller.signal.aborted) throw new AppError('CANCELLED', 'Cancelled by the user. Nothing was changed.');
        },
      };
    },
    finish(id) {
      controllers.delete(id);
    },
    cancel(id) {
      const c = controllers.get(id);
      if (!c) return false;
      c.abort();
      return true;
    },
    active: () => [...controllers.keys()],
  };
}

/** Lets the event loop serve other messages (queries, cancel) between batches. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
