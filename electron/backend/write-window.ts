/**
 * The write window: a long transaction kept open on the workspace connection while it is
 * written in slices (a full rescore saving its scores), with the event loop served between
 * slices. While the window is open:
 * - requests that only read are answered from a read-only snapshot connection, which sees
 *   the workspace as last committed (the scores before the rescore), never half of a save;
 * - every other request waits until the window closes, and then runs as usual, so nothing
 *   a user does lands inside the transaction, where a rollback would take it along.
 *
 * A window opens only when nothing else could write in the meantime: no request in flight
 * (tracked here) and no other job running (the caller checks its registry). An import holds
 * it for its whole write phase (services/import/run.ts).
 */

export type WriteWindow = Readonly<{
  isOpen: () => boolean;
  /**
   * Opens the window when no request is in flight (besides `ownRequests`: the request that
   * runs the caller, e.g. import-run); returns the function that closes it, or null (the
   * caller then writes as without a window).
   */
  tryOpen: (options?: Readonly<{ ownRequests?: number }>) => (() => void) | null;
  /** Runs a request that may write: after the window closes, counted as in flight. */
  whenClosed: <T>(request: () => Promise<T>) => Promise<T>;
}>;

export function createWriteWindow(): WriteWindow {
  let open = false;
  let inFlight = 0;
  let waiting: (() => void)[] = [];
  const closed = (): Promise<void> => (open ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve());
  return {
    isOpen: () => open,
    tryOpen: (options) => {
      if (open || inFlight > (options?.ownRequests ?? 0)) return null;
      open = true;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        open = false;
        const wake = waiting;
        waiting = [];
        for (const resolve of wake) resolve();
      };
    },
    whenClosed: async (request) => {
      // Another window may open between the wake-up and this request's turn: wait again.
      while (open) await closed();
      inFlight++;
      try {
        return await request();
      } finally {
        inFlight--;
      }
    },
  };
}
