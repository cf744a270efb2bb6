/**
 * Scoring helper thread entry (see score-helper-protocol.ts): another core reads and scores
 * batches of a full rescore while the backend thread does the same and writes the results.
 */
import Database from 'better-sqlite3';
import { parentPort } from 'node:worker_threads';
import type { FromHelper, HelperJob, ToHelper } from './score-helper-protocol';
import { batchEnd, scoreBatch, scoringSetup, setupSignature } from './rescore-batch';

const port = parentPort;
if (!port) throw new Error('score-helper.ts must run in a worker thread');
const post = (m: FromHelper): void => port.postMessage(m);

function run(job: HelperJob): void {
  const db = new Database(job.workspacePath, {
    readonly: true,
    ...(job.nativeBinding ? { nativeBinding: job.nativeBinding } : {}),
  });
  try {
    db.pragma('cache_size = -65536');
    const setup = scoringSetup(db, job.now, job.includeClosed);
    if (setupSignature(setup) !== job.signature) throw new Error('the published models changed during the rescore');
    const counter = new Int32Array(job.counter);
    for (;;) {
      const index = Atomics.add(counter, 0, 1);
      if (index >= job.starts.length) break;
      const result = scoreBatch(db, setup, job.starts[index]!, batchEnd(job.starts, index));
      post({ type: 'batch', jobId: job.jobId, index, result });
    }
  } finally {
    db.close();
  }
}

port.on('message', (msg: ToHelper) => {
  if (msg.type === 'ping') return post({ type: 'pong', jobId: -1 });
  try {
    run(msg.job);
    post({ type: 'done', jobId: msg.job.jobId });
  } catch (err) {
    post({ type: 'error', jobId: msg.job.jobId, message: err instanceof Error ? err.message : String(err) });
  }
});
