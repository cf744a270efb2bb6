/**
 * Worker thread entry: owns the SQLite connection and serves invoke messages from the main
 * process. Requests are served concurrently (long jobs yield between batches), results are
 * posted back with the request id, events are pushed as they happen.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createBackend } from './backend';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

const init = workerData as WorkerInit;
const post = (m: FromWorker): void => port.postMessage(m);

try {
  const backend = createBackend({
    workspacePath: init.workspacePath,
    nativeBinding: init.nativeBinding,
    sampleDirs: init.sampleDirs,
    deadThreadIds: init.deadThreadIds ?? [],
    emit: (name, payload) => post({ type: 'event', name, payload } as FromWorker),
  });
  port.on('message', (msg: ToWorker) => {
    if (msg.type !== 'invoke') return;
    void backend.handle(msg.name, msg.args).then((result) => post({ type: 'result', id: msg.id, result }));
  });
  post({ type: 'ready' });
} catch (err) {
  post({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
}
