/**
 * The learning fit off the backend thread (#16: a read issued during any long job is answered
 * at once). Fitting the regularized regression on 100,000 closed leads is seconds of pure
 * computation with nothing to wait on; on the backend thread every other request waited for
 * it. Each fit now runs on a thread of its own, started for it and ended with it, while the
 * backend thread keeps answering; a cancel stops the thread. A thread that cannot start or
 * stops without answering only costs responsiveness: the fit then runs on the backend
 * thread, as it did before.
 */
import type { ApiError } from '../../../../shared/contract';
import {
  LearnCancelled,
  learnModel,
  type LearnData,
  type LearnSettings,
  type Learned,
} from '../../../../shared/learn/learn';
import { AppError } from '../../errors';
import { startThreadJob } from '../../thread-job';

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
  return (data, { progress, ...settings }, signal) => {
    const request: LearnThreadRequest = { data, settings };
    const fit = startThreadJob<Learned, LearnThreadMessage>(entry, request, {
      answer: (message) => {
        if (message.kind === 'done') return { value: message.learned };
        if (message.kind === 'failed')
          return { error: new AppError(message.error.code, message.error.message, message.error.details) };
        return progress?.(message.fraction, message.phase) === false ? { error: new LearnCancelled() } : null;
      },
      onThisThread: () => fitOnThisThread(data, { ...settings, progress }, signal),
    });
    signal?.addEventListener('abort', () => fit.stop(new LearnCancelled()), { once: true });
    return fit.result;
  };
}
