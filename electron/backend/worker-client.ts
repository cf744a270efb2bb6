/**
 * The caller's side of the worker protocol: spawns the backend worker and turns its
 * messages back into promises and event callbacks. Used by the Electron main process, the
 * web host and the tests that exercise the real worker.
 *
 * A worker that exits unexpectedly (a crash in native code, an uncaught error) is started
 * again on the workspace it had open: the requests it was answering fail with a message,
 * listeners get 'backend-restarted' and then 'workspace-changed' (screens refetch), and
 * requests sent meanwhile wait for the new worker. Nothing committed is lost: what the dead
 * worker had committed is in the workspace file; what it had not (a running import) is
 * rolled back when the new worker opens the file (services/recovery/heal.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EventName, Events, Result, WorkspaceInfo } from '../../shared/contract';
import { APP_ROOT } from './paths';
import type { FromWorker, WorkerInit } from './worker-protocol';

/**
 * The worker entry for a caller that is not the Electron main process (which knows its own
 * out/main): the source through tsx when this module runs from source, else the worker.js
 * bundled beside this module, else the app's built out/main/worker.js.
 */
export function defaultWorkerEntry(): string {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return fileURLToPath(new URL('./worker-source.mjs', here));
  const beside = fileURLToPath(new URL('./worker.js', here));
  return existsSync(beside) ? beside : join(APP_ROOT, 'out', 'main', 'worker.js');
}

export type WorkerClient = Readonly<{
  /** The first worker is up (rejects when it cannot start). */
  ready: Promise<void>;
  invoke: (name: string, args: unknown) => Promise<Result<unknown>>;
  onEvent: (fn: <E extends EventName>(name: E, payload: Events[E]) => void) => void;
  /** Stops the worker for good (no restart). */
  terminate: () => Promise<number>;
}>;

type Listener = (name: EventName, payload: Events[EventName]) => void;
type Pending = (r: Result<unknown>) => void;

const failed = (message: string): Result<unknown> => ({ ok: false, error: { code: 'INTERNAL', message } });

export function startBackendWorker(workerFile: string, init: WorkerInit): WorkerClient {
  const listeners: Listener[] = [];
  const tell: Listener = (name, payload) => {
    for (const l of listeners) l(name, payload);
  };
  let workspacePath = init.workspacePath;
  const deadThreadIds: number[] = [...(init.deadThreadIds ?? [])];
  let nextId = 1;
  let stopping = false;
  let fatal: string | null = null;
  let current = spawn();

  /** One worker thread and the requests it is answering. */
  function spawn() {
    const worker = new Worker(workerFile, { workerData: { ...init, workspacePath, deadThreadIds } });
    // Read now: once the thread has stopped, worker.threadId is -1.
    const threadId = worker.threadId;
    const pending = new Map<number, Pending>();
    let started = false;
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: FromWorker) => {
        switch (msg.type) {
          case 'ready':
            started = true;
            resolve();
            break;
          case 'fatal':
            fatal = msg.message;
            reject(new Error(msg.message));
            break;
          case 'result': {
            const done = pending.get(msg.id);
            pending.delete(msg.id);
            done?.(msg.result);
            break;
          }
          case 'event':
            if (msg.name === 'workspace-changed') workspacePath = (msg.payload as WorkspaceInfo).path;
            tell(msg.name, msg.payload);
            break;
        }
      });
      worker.on('error', (err) => {
        fatal ??= err.message;
        reject(err);
      });
      worker.on('exit', (code) => {
        const reason = fatal ?? `exit code ${code}`;
        const answer = failed(
          `The backend stopped while answering this request (${reason}) and was restarted. ` +
            'Everything saved before is kept; try again.',
        );
        for (const done of pending.values()) done(answer);
        pending.clear();
        reject(new Error(`The backend stopped before it started: ${reason}`));
        // A worker that never started would fail again: its error stands (see invoke).
        if (stopping || !started) return;
        deadThreadIds.push(threadId);
        fatal = null;
        current = spawn();
        current.ready.then(
          () => announceRestart(reason),
          () => undefined,
        );
      });
    });
    // A restart's failure is reported through invoke; the first one through `ready`.
    ready.catch(() => undefined);
    return { worker, pending, ready };
  }

  function announceRestart(reason: string): void {
    tell('backend-restarted', {
      message: `The backend stopped unexpectedly (${reason}) and was restarted. Everything saved before is kept.`,
    });
    void invoke('workspace-info', {}).then((r) => {
      if (r.ok) tell('workspace-changed', r.value as WorkspaceInfo);
    });
  }

  async function invoke(name: string, args: unknown): Promise<Result<unknown>> {
    const target = current;
    try {
      await target.ready;
    } catch (err) {
      return failed(fatal ?? (err instanceof Error ? err.message : String(err)));
    }
    // The worker may have been replaced while this request waited for it.
    if (target !== current) return invoke(name, args);
    const id = nextId++;
    return new Promise((resolve) => {
      target.pending.set(id, resolve);
      target.worker.postMessage({ type: 'invoke', id, name, args });
    });
  }

  return {
    ready: current.ready,
    invoke,
    onEvent: (fn) => {
      listeners.push(fn as Listener);
    },
    terminate: () => {
      stopping = true;
      return current.worker.terminate();
    },
  };
}
