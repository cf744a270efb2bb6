/**
 * The write queue: every request declared 'write' in the contract, and every long job's
 * writing phase (an import, a round-trip apply, a full rescore's save), runs through it
 * alone, in the order it came. A long job keeps its transaction open across batches with
 * the event loop served between them; nothing else writes meanwhile, so no other request's
 * write can land inside that transaction (where a rollback would take it along): it waits
 * for the job to end and runs after it. Requests declared 'read' never enter the queue:
 * they are answered at once from a read connection that sees the last commit (backend.ts).
 */

export type WriteQueue = Readonly<{
  /** A write is running (or waiting): its transaction may be open on the workspace connection. */
  busy: () => boolean;
  /**
   * Runs `write` after every write queued before it, alone. When the queue is free it
   * starts in this same tick (a job it registers can be cancelled right away).
   */
  run: <T>(write: () => Promise<T>) => Promise<T>;
  /**
   * Takes the queue for a job's writing phase that no request awaits (a full rescore's
   * save): resolves, once every write queued before it is done, with the release.
   */
  hold: () => Promise<() => void>;
}>;

export function createWriteQueue(): WriteQueue {
  let taken = false;
  const waiting: (() => void)[] = [];
  /** Hands the queue to the next waiter in order, or frees it. */
  const pass = (): void => {
    const next = waiting.shift();
    if (next) next();
    else taken = false;
  };
  const take = (): Promise<void> | null => {
    if (!taken) {
      taken = true;
      return null;
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const onceReleased = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      pass();
    };
  };
  return {
    busy: () => taken,
    run: async (write) => {
      const turn = take();
      if (turn) await turn;
      const release = onceReleased();
      try {
        return await write();
      } finally {
        release();
      }
    },
    hold: async () => {
      const turn = take();
      if (turn) await turn;
      return onceReleased();
    },
  };
}
