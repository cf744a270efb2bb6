/** Messages between the main process (or a test) and the backend worker thread. */
import type { EventName, Events, Result } from '../../shared/contract';

export type WorkerInit = Readonly<{
  workspacePath: string;
  nativeBinding?: string | undefined;
  sampleDirs: readonly string[];
  /**
   * Worker threads of this process that died (worker-client.ts restarts a crashed one): a
   * writer lock they held names this live process, yet nothing holds it (db/writer-lock.ts).
   */
  deadThreadIds?: readonly number[];
}>;

export type ToWorker = Readonly<{ type: 'invoke'; id: number; name: string; args: unknown }>;

export type FromWorker =
  | Readonly<{ type: 'ready' }>
  | Readonly<{ type: 'fatal'; message: string }>
  | Readonly<{ type: 'result'; id: number; result: Result<unknown> }>
  | Readonly<{ [E in EventName]: { type: 'event'; name: E; payload: Events[E] } }[EventName]>;
