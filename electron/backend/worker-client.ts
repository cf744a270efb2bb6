/**
 * The caller's side of the worker protocol: spawns the backend worker and turns its
 * messages back into promises and event callbacks. Used by the Electron main process and
 * by the tests that exercise the real worker.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EventName, Events, Result } from '../../shared/contract';
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
  ready: Promise<void>;
  invoke: (name: string, args: unknown) => Promise<Result<unknown>>;
  onEvent: (fn: <E extends EventName>(name: E, payload: Events[E]) => void) => void;
  terminate: () => Promise<number>;
}>;

export function startBackendWorker(workerFile: string, init: WorkerInit): WorkerClient {
  const worker = new Worker(workerFile, { workerData: init });
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners: ((name: EventName, payload: Events[EventName]) => void)[] = [];
  let nextId = 1;
  let fatal: string | null = null;

  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (msg: FromWorker) => {
      switch (msg.type) {
        case 'ready':
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
          for (const l of listeners) l(msg.name, msg.payload);
          break;
      }
    });
    worker.on('error', (err) => {
      fatal = err.message;
      reject(err);
      for (const done of pending.values()) done({ ok: false, error: { code: 'INTERNAL', message: err.message } });
      pending.clear();
    });
  });

  return {
    ready,
    invoke: (name, args) => {
      if (fatal) return Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: fatal } });
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        worker.postMessage({ type: 'invoke', id, name, args });
      });
    },
    onEvent: (fn) => {
      listeners.push(fn as (name: EventName, payload: Events[EventName]) => void);
    },
    terminate: () => worker.terminate(),
  };
}
