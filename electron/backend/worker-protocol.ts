/** Messages between the main process (or a test) and the backend worker thread. */
import type { EventName, Events, Result } from '../../shared/contract';

export type WorkerInit = Readonly<{
  workspacePath: string;
  nativeBinding?: string | undefined;
  sampleDirs: readonly string[];
}>;

export type ToWorker = Readonly<{ type: 'invoke'; id: number; name: string; args: unknown }>;

export type FromWorker =
  | Readonly<{ type: 'ready' }>
  | Readonly<{ type: 'fatal'; message: string }>
  | Readonly<{ type: 'result'; id: number; result: Result<unknown> }>
  | Readonly<{ [E in EventName]: { type: 'event'; name: E; payload: Events[E] } }[EventName]>;
