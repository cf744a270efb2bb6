/**
 * The learning fit off the backend thread (#16: a read issued during any long job is answered
 * at once). Fitting the regularized regression on 100,000 closed leads is seconds of pure
 * computation with nothing to wait on; on the backend thread every other request waited for
 * it. Each fit now runs on a thread of its own, started for it and ended with it, while the
 * backend thread keeps answering; a cancel stops the thread. A thread that cannot start or
 * stops without answering only costs responsiveness: the fit then runs on the backend
 * thread, as it did before.
 */
import { Worker } from 'node:worker_threads';
import type { ApiError } from '../../../../shared/contract';
import {
  LearnCancelled,
  learnModel,
  type LearnData,
  type LearnSettings,
  type Learned,
} from '../../../../shared/learn/learn';
import { AppError } from '../../errors';

/** What a learn thread is started with (its workerData) and what it posts back. */
export type LearnThreadRequest = Readonly<{ data: LearnData; settings: Omit<LearnSettings, 'progress'> }>;
export type LearnThreadMessage =
  | Readonly<{ kind: 'progress'; fraction: number; phase: string }>
  | Readonly<{ kind: 'done'; learned: Learned }>
  | Readonly<{ kind: 'failed'; error: ApiError }>;

/**
 * Fits a model. `settings.progress` is told each step; it returning false, or `signal`
 * aborting, cancels the fit (which then fails with LearnCancelled).
 */
export type LearnFitter = (data: LearnData, settings: LearnSettings, signal?: AbortSignal) => Promise<Learned>;

/** The fit on the calling thread: what runs when no thread entry exists. */
export const fitOnThisThread: LearnFitter = (data, { progress, ...settings }, signal) =>
  new Promise((resolve) =>
    resolve(
      learnModel(data, {
        ...settings,
        progress: (fraction, phase) => progress?.(fraction, phase) !== false && !signal?.aborted,
      }),
    ),
  );

/** `entry`: the learn thread's entry file; null fits on the calling thread. */
export function createLearnFitter(entry: string | null): LearnFitter {
  if (!entry) return fitOnThisThread;
  return (data, { progress, ...settings }, signal) =>
    new Promise<Learned>((resolve, reject) => {
      const request: LearnThreadRequest = { data, settings };
      const worker = new Worker(entry, { workerData: request });
      let settled = false;
      const settle = (finish: () => void): void => {
        if (settled) return;
        settled = true;
        void worker.terminate();
        finish();
      };
      worker.on('message', (message: LearnThreadMessage) => {
        if (message.kind === 'progress') {
          if (progress?.(message.fraction, message.phase) === false) settle(() => reject(new LearnCancelled()));
        } else if (message.kind === 'done') {
          settle(() => resolve(message.learned));
        } else {
          settle(() => reject(new AppError(message.error.code, message.error.message, message.error.details)));
        }
      });
      signal?.addEventListener('abort', () => settle(() => reject(new LearnCancelled())), { once: true });
      const onThisThread = () =>
        settle(() => {
          fitOnThisThread(data, { ...settings, progress }, signal).then(resolve, reject);
        });
      worker.once('error', onThisThread);
      worker.once('exit', onThisThread);
    });
}
