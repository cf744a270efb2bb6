/**
 * Scoring helper thread entry (see score-helper-protocol.ts): another core reads and scores
 * batches of a full rescore or a draft preview while the backend thread does the same.
 */
import Database from 'better-sqlite3';
import { parentPort } from 'node:worker_threads';
import type { BatchOutput, FromHelper, HelperJob, ToHelper } from './score-helper-protocol';
import { previewBatch, previewSetup } from './preview';
import { batchEnd, scoreBatch, scoringSetup, setupSignature } from './rescore-batch';

const port = parentPort;
if (!port) throw new Error('score-helper.ts must run in a worker thread');
const post = (m: FromHelper): void => port.postMessage(m);

/** The batch function of the job's task, set up on this thread's connection. */
function batchFunction(
  db: Database.Database,
  job: HelperJob,
): (from: number, to: number) => BatchOutput[keyof BatchOutput] {
  const task = job.task;
  if (task.kind === 'preview') {
    const setup = previewSetup(db, task.modelId, task.model, job.now, task.exampleLimit);
    return (from, to) => previewBatch(db, setup, from, to);
  }
  const setup = scoringSetup(db, job.now, task.includeClosed);
  if (setupSignature(setup) !== task.signature) throw new Error('the published models changed during the rescore');
  return (from, to) => scoreBatch(db, setup, from, to);
}

function run(job: HelperJob): void {
  const db = new Database(job.workspacePath, {
    readonly: true,
    ...(job.nativeBinding ? { nativeBinding: job.nativeBinding } : {}),
  });
  try {
    // One pass over each batch's pages: a big cache would only hold memory, not save reads.
    db.pragma('cache_size = -8192');
    const compute = batchFunction(db, job);
    const counter = new Int32Array(job.counter);
    for (;;) {
      const index = Atomics.add(counter, 0, 1);
      if (index >= job.starts.length) break;
      post({
        type: 'batch',
        jobId: job.jobId,
        index,
        result: compute(job.starts[index]!, batchEnd(job.starts, index)),
      });
    }
  } finally {
    db.close();
  }
}

/**
 * A PASSIVE checkpoint on a connection of this thread: it copies what it can of the
 * write-ahead log into the workspace file without waiting for anyone, while the backend
 * thread goes on serving (see saveStaged). The log then starts over from its beginning.
 */
function checkpoint(msg: Extract<ToHelper, { type: 'checkpoint' }>): void {
  const db = new Database(msg.workspacePath, {
    fileMustExist: true,
    ...(msg.nativeBinding ? { nativeBinding: msg.nativeBinding } : {}),
  });
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } finally {
    db.close();
  }
}

port.on('message', (msg: ToHelper) => {
  if (msg.type === 'ping') return post({ type: 'pong', jobId: -1 });
  if (msg.type === 'checkpoint') {
    try {
      checkpoint(msg);
      post({ type: 'checkpointed', jobId: msg.jobId });
    } catch (err) {
      post({ type: 'error', jobId: msg.jobId, message: err instanceof Error ? err.message : String(err) });
    }
    return;
  }
  try {
    run(msg.job);
    post({ type: 'done', jobId: msg.job.jobId });
  } catch (err) {
    post({ type: 'error', jobId: msg.job.jobId, message: err instanceof Error ? err.message : String(err) });
  }
});
