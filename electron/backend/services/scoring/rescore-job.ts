/**
 * Running the full rescore as a background job of the backend: one at a time per
 * workspace connection; a newer request (publishing again) cancels the running one and
 * starts after it stopped. The outcome is announced with 'rescore-finished' and the data
 * change with 'data-changed' so every view refetches.
 */
import type Database from 'better-sqlite3';
import type { RescoreOutcome } from '../../../../shared/contract';
import type { BackendContext } from '../../context';
import { retainWriter } from '../../db/writer-lock';
import { AppError, toApiError, writeFailureReason } from '../../errors';
import { fullRescore, type FullRescoreOptions } from './full-rescore';
import { warmScoreStore } from '../leads/score-store';
import { changeStamp } from '../leads/grid-cache';
import { yieldToEventLoop } from '../../jobs';

export type RescoreRun = Readonly<{
  jobId: string;
  /** Settles when the job ends; never rejects. */
  done: Promise<Readonly<{ outcome: RescoreOutcome | null; error: ReturnType<typeof toApiError> | null }>>;
}>;

const running = new WeakMap<Database.Database, RescoreRun>();

/** The running full rescore of this workspace, if any. */
export function activeRescore(db: Database.Database): RescoreRun | null {
  return running.get(db) ?? null;
}

/**
 * Starts a full rescore job. With `replace`, a running one is cancelled first; without it,
 * a running one is an error (BUSY).
 */
export function startFullRescore(
  ctx: BackendContext,
  options: FullRescoreOptions & {
    replace?: boolean;
    /** The caller is a write that holds the write queue until this job ends (an import). */
    writesHeld?: boolean;
    /**
     * The publication this rescore brings in (publishRevocably): withdrawn when the rescore
     * fails, so a failed publish changes nothing. Not on a cancel: a publish that replaces
     * this one cancels it, and a cancelled one is finished by the next open (heal.ts).
     */
    withdrawOnFailure?: () => void;
  } = {},
): RescoreRun {
  const db = ctx.db();
  const previous = running.get(db);
  if (previous && !options.replace) {
    throw new AppError('BUSY', 'A rescore is already running. Wait for it to finish or cancel it.', {
      jobId: previous.jobId,
    });
  }
  if (previous) ctx.jobs.cancel(previous.jobId);
  const job = ctx.jobs.start('rescore');
  // The job outlives the request that started it: it keeps this process's writer lock.
  const releaseWriter = retainWriter(db);
  const done = (async () => {
    if (previous) await previous.done;
    try {
      const outcome = await fullRescore(db, job, ctx.now(), {
        helpers: ctx.scoringHelpers,
        ...options,
        save: {
          // The save takes its turn in the write queue, unless its caller holds it already.
          holdWrites: options.writesHeld ? async () => () => undefined : ctx.writes.hold,
          ...options.save,
        },
      });
      await warmGridStore(ctx);
      ctx.emit('data-changed', { tables: ['scores', 'leads'] });
      ctx.emit('rescore-finished', { jobId: job.id, outcome, error: null });
      return { outcome, error: null };
    } catch (err) {
      let error = toApiError(err);
      if (options.withdrawOnFailure && error.code !== 'CANCELLED') {
        error = withdrawPublication(options.withdrawOnFailure, error);
        ctx.emit('data-changed', { tables: ['models'] });
      }
      ctx.emit('rescore-finished', { jobId: job.id, outcome: null, error: error.message });
      return { outcome: null, error };
    } finally {
      releaseWriter();
      ctx.jobs.finish(job.id);
      if (running.get(db)?.jobId === job.id) running.delete(db);
    }
  })();
  const run: RescoreRun = { jobId: job.id, done };
  running.set(db, run);
  return run;
}

/**
 * The rescore wrote every lead, more than the write journal follows, so the grid's score
 * store on the read connection would be read whole, in one call, by the grid's first
 * request after the commit (sliced-save.md, session 10): read it here in parts instead,
 * the event loop served between them, before the grid is told the scores changed.
 * Failing here changes nothing saved (the grid then reads it itself).
 */
async function warmGridStore(ctx: BackendContext): Promise<void> {
  try {
    const reader = ctx.readDb?.();
    if (!reader) return;
    for (const _ of warmScoreStore(reader, changeStamp(reader))) await yieldToEventLoop();
  } catch {
    // the read connection closed meanwhile (the workspace was closed): nothing to keep
  }
}

type ApiError = ReturnType<typeof toApiError>;

/** Withdraws a publication whose rescore failed; the error then says what became of it. */
function withdrawPublication(withdraw: () => void, failure: ApiError): ApiError {
  try {
    withdraw();
  } catch (err) {
    return {
      ...failure,
      message:
        `The model was published, but its scores could not be written (${writeFailureReason(err) ?? failure.message}). ` +
        'They are brought up to date the next time the workspace is opened.',
    };
  }
  return { ...failure, message: `The model was not published, because its rescore failed: ${failure.message}` };
}
