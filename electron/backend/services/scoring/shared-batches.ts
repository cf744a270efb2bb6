/**
 * Running the batches of a whole-workspace pass (full rescore, draft preview) on this thread
 * and the scoring helper threads at once. Batches are claimed through a shared atomic
 * counter, so whoever is free takes the next one; every result is handed to `take` on this
 * thread, once per batch, in whatever order they finish.
 *
 * Helpers only ever make a pass faster: when one fails or never starts, the batches it
 * claimed and never delivered are computed here. A cancel (job.checkCancelled throwing)
 * stops the helpers from claiming more; what they still post is ignored.
 */
import type Database from 'better-sqlite3';
import type { Job } from '../../jobs';
import { yieldToEventLoop } from '../../jobs';
import { batchEnd } from './rescore-batch';
import type { BatchOutput, FromHelper, HelperTask } from './score-helper-protocol';
import { NO_SCORING_HELPERS, type ScoringHelpers } from './score-helpers';

export type SharedBatchOptions<K extends HelperTask['kind']> = Readonly<{
  db: Database.Database;
  job: Pick<Job, 'checkCancelled'> | null;
  /** First lead id of every batch (see batchStarts). */
  starts: readonly number[];
  now: number;
  task: Extract<HelperTask, { kind: K }>;
  /** Leads in the workspace: fewer than `helpersFrom` and this thread works alone. */
  leads: number;
  helpers: ScoringHelpers | undefined;
  /** Default HELPERS_FROM. */
  helpersFrom?: number | undefined;
  /** Computes batch `index` (ids from..to) on this thread. */
  compute: (from: number, to: number) => BatchOutput[K];
  /** Receives each batch's result once; byHelper: a helper thread computed it. */
  take: (index: number, result: BatchOutput[K], byHelper: boolean) => void;
}>;

/** Below this many leads a pass runs on the backend thread alone: handing out batches would cost more than it saves. */
const HELPERS_FROM = 10_000;

let nextJobId = 1;

export async function runSharedBatches<K extends HelperTask['kind']>(o: SharedBatchOptions<K>): Promise<void> {
  const { db, starts } = o;
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const taken = new Uint8Array(starts.length);
  const helpers = o.leads >= (o.helpersFrom ?? HELPERS_FROM) ? (o.helpers ?? NO_SCORING_HELPERS) : NO_SCORING_HELPERS;
  const jobId = nextJobId++;
  let queue: [number, BatchOutput[K]][] = [];
  let wake: (() => void) | null = null;
  let helperFailed = false;
  const onMessage = (m: FromHelper): void => {
    if (m.type === 'batch') queue.push([m.index, m.result as BatchOutput[K]]);
    else if (m.type === 'error') helperFailed = true;
    wake?.();
    wake = null;
  };
  const onDisk = db.name !== '' && db.name !== ':memory:';
  const helperCount =
    starts.length > 1 && onDisk
      ? helpers.start(
          {
            jobId,
            workspacePath: db.name,
            now: o.now,
            starts,
            counter: counter.buffer as SharedArrayBuffer,
            task: o.task,
          },
          onMessage,
        )
      : 0;

  const take = (index: number, result: BatchOutput[K], byHelper: boolean): void => {
    if (taken[index] === 1) return;
    taken[index] = 1;
    o.take(index, result, byHelper);
  };
  const takeFromHelpers = (): void => {
    const arrived = queue;
    queue = [];
    for (const [index, result] of arrived) take(index, result, true);
  };
  const computeHere = (index: number): void => take(index, o.compute(starts[index]!, batchEnd(starts, index)), false);

  try {
    for (;;) {
      o.job?.checkCancelled();
      takeFromHelpers();
      const index = Atomics.add(counter, 0, 1);
      if (index >= starts.length) break;
      computeHere(index);
      await yieldToEventLoop();
    }
    // Every batch is claimed: wait for the ones the helpers are still computing.
    while (helperCount > 0 && taken.includes(0) && !helperFailed) {
      o.job?.checkCancelled();
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      takeFromHelpers();
    }
    takeFromHelpers();
    // A helper stopped: what it claimed and never delivered is computed here.
    for (let index = 0; index < starts.length; index++) {
      takeFromHelpers();
      if (taken[index] === 1) continue;
      o.job?.checkCancelled();
      computeHere(index);
      await yieldToEventLoop();
    }
  } finally {
    Atomics.store(counter, 0, starts.length);
    helpers.finish(jobId);
  }
}
