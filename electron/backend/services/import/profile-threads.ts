/**
 * import-profile off the backend thread. A profile reads the whole file (Hillstrom's 64,000
 * rows: about half a second alone, many seconds on a loaded machine); on the backend thread
 * its batches took turns with every other request, so the wizard's preview of 12 rows and a
 * re-inspection arrived only as the profile let them. Each profile now runs on a thread of its
 * own, started for it and ended with it; the backend thread only waits for the answer.
 *
 * A newer profile of the same file supersedes a running one (the user changed the header row,
 * the encoding, the sheet): that thread is stopped and its request fails as CANCELLED. A
 * thread that cannot start or stops without answering only costs speed: the profile then
 * runs on the backend thread, as it did before.
 */
import type { ApiError, FileProfile, ReadOptions } from '../../../../shared/contract';
import { AppError } from '../../errors';
import { startThreadJob, type ThreadJob } from '../../thread-job';
import { profileImport } from './profile';

/** What a profile thread is started with (its workerData) and what it posts back. */
export type ProfileRequest = Readonly<{ path: string; read: ReadOptions }>;
export type ProfileReply = Readonly<{ ok: true; profile: FileProfile }> | Readonly<{ ok: false; error: ApiError }>;

export type Profiler = Readonly<{
  /** The file's profile; fails as CANCELLED when a newer profile of the same file starts first. */
  profile: (path: string, read: ReadOptions) => Promise<FileProfile>;
  /** Stops every running profile (their requests fail as CANCELLED). */
  close: () => Promise<void>;
}>;

/** `entry`: the profile thread's entry file; null runs every profile on the calling thread. */
export function createProfiler(entry: string | null): Profiler {
  const running = new Map<string, ThreadJob<FileProfile>>();

  function onThread(file: string, path: string, read: ReadOptions): Promise<FileProfile> {
    const request: ProfileRequest = { path, read };
    const job: ThreadJob<FileProfile> = startThreadJob<FileProfile, ProfileReply>(file, request, {
      answer: (reply) =>
        reply.ok
          ? { value: reply.profile }
          : { error: new AppError(reply.error.code, reply.error.message, reply.error.details) },
      onThisThread: () => profileImport(path, read),
      onEnd: () => {
        if (running.get(path) === job) running.delete(path);
      },
    });
    running.set(path, job);
    return job.result;
  }

  const superseded = (path: string) => new AppError('CANCELLED', `A newer profile of ${path} replaced this one.`);
  return {
    profile: (path, read) => {
      running.get(path)?.stop(superseded(path));
      return entry ? onThread(entry, path, read) : profileImport(path, read);
    },
    close: async () => {
      const all = [...running.entries()];
      for (const [path, job] of all) job.stop(superseded(path));
      await Promise.all(all.map(([, job]) => job.terminate()));
    },
  };
}
