/**
 * One job on a worker thread of its own, started for it and ended with it (the import's file
 * profile, the learning fit): the backend thread keeps answering requests meanwhile. The job
 * settles once, by whichever comes first: its thread's answer, a stop (cancel, superseded), or
 * the thread failing to start or exiting without an answer, which only costs responsiveness:
 * the job then runs on the calling thread, as it would without threads.
 */
import { Worker } from 'node:worker_threads';

/** What a thread's message means for the job: its end (a value or an error), or nothing yet. */
export type ThreadAnswer<T> = Readonly<{ value: T }> | Readonly<{ error: unknown }> | null;

export type ThreadJob<T> = Readonly<{
  result: Promise<T>;
  /** Ends the job with `error` (if it has not ended) and stops its thread. */
  stop: (error: unknown) => void;
  /** Stops the thread; resolves once it has exited. */
  terminate: () => Promise<number>;
}>;

export function startThreadJob<T, Message>(
  entry: string,
  workerData: unknown,
  job: Readonly<{
    answer: (message: Message) => ThreadAnswer<T>;
    onThisThread: () => Promise<T>;
    /** Called once, when the job ends (for the caller's bookkeeping). */
    onEnd?: () => void;
  }>,
): ThreadJob<T> {
  const worker = new Worker(entry, { workerData });
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const result = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  let settled = false;
  const settle = (end: () => void): void => {
    if (settled) return;
    settled = true;
    void worker.terminate();
    job.onEnd?.();
    end();
  };
  worker.on('message', (message: Message) => {
    const a = job.answer(message);
    if (a) settle(() => ('value' in a ? resolve(a.value) : reject(a.error)));
  });
  const onThisThread = () =>
    settle(() => {
      job.onThisThread().then(resolve, reject);
    });
  worker.once('error', onThisThread);
  worker.once('exit', onThisThread);
  return {
    result,
    stop: (error) => settle(() => reject(error)),
    terminate: () => worker.terminate(),
  };
}
