/**
 * An import's file read on a thread of its own (read-thread.ts), ahead of the thread that
 * writes: reading, decoding and splitting a CSV into records, and for a lead import mapping
 * them into drafts, is per-row work that does not depend on what was written before it, so it
 * runs on the machine's second core while the writing thread matches, scores and inserts.
 * Records cross in a packed form (read-thread-protocol.ts, draft-codec.ts) and come out as the
 * same batches readBatches yields in-thread: same records, same bad records by index, same
 * batch boundaries and bytesDone; a draft sent with a record is what the plan's mapper makes
 * of it (the writing thread maps the records that come without one).
 *
 * - One read thread per backend, started when the wizard first inspects a big enough file or
 *   an import of one begins (`prepare`, before the import plans, so that its start overlaps
 *   the planning), then kept idle, not holding the process open, for later imports: a
 *   thread's start and its code's load cost about what reading several MB does.
 * - Small files stay on the writing thread (`minBytes`). So do workbooks: an XLSX streams
 *   through xlsx-stream.ts on the writing thread, its memory bounded (xlsxImportPeakRssMB).
 * - A thread that cannot start, or stops before its code has loaded, only costs speed: the
 *   file is read on the writing thread, from its start.
 * - A failure while reading (a file that is not UTF-8 after all, a read error) is thrown
 *   here as it would be in-thread; a thread that dies while reading fails the import with the
 *   rows it had delivered named (run.ts then reverts everything, as for any failure).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../errors';
import type { RowBatch } from './csv-batches';
import { unpackBatch, type MapSpec, type ReadThreadCommand, type ReadThreadMessage } from './read-thread-protocol';
import { readBatches, workbookContainer, type Sniffed } from './source';

export type ImportReader = Readonly<{
  /** Starts the read thread (if none runs) when the file at `path` is big enough to read there. */
  prepare: (path: string) => void;
  /**
   * The file's record batches, read on the thread when that pays (see above); with `map` (a
   * lead import) the thread maps its rows too, their drafts in the batches (`mapped`).
   */
  batches: (s: Sniffed, map?: MapSpec) => AsyncGenerator<RowBatch>;
  close: () => Promise<void>;
  /** Reads served by the thread so far (tests: which path a file took). */
  readsOnThread: () => number;
  /** A read thread is running (started, maybe idle). */
  threadRunning: () => boolean;
}>;

export type ImportReaderSpec = Readonly<{
  /** The read thread's entry file; null reads every file on the writing thread. */
  entry: string | null;
  /** Smaller files are read on the writing thread (default READ_THREAD_MIN_BYTES). */
  minBytes?: number;
}>;

/**
 * Below this a file is read on the writing thread. Measured (docs/decisions/lean-workspace.md,
 * "The file read on a second thread"): the thread's start and load are worth it only when
 * the file's reading is several times that.
 */
export const READ_THREAD_MIN_BYTES = 8 << 20;
/** Batches the read thread may run ahead of the writer (64 KB of file each). */
const AHEAD = 8;

type Thread = {
  worker: Worker;
  /** Its code has loaded ('started'). */
  started: boolean;
  /** Why it stopped; null while it runs. */
  stopped: string | null;
  /** The read in progress: receives its messages, and null when the thread stops. */
  listener: ((m: ReadThreadMessage | null) => void) | null;
};

/** A ZIP (xlsx, ods) or OLE (xls) file by its first bytes: read on the writing thread, so no thread is started for it. */
function isWorkbook(path: string): boolean {
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return workbookContainer(head) !== null;
}

function thrown(m: Extract<ReadThreadMessage, { t: 'error' }>): Error {
  const f = m.failure;
  if (f.app) return new AppError(f.error.code, f.error.message, f.error.details);
  return Object.assign(new Error(f.message), f.code === undefined ? {} : { code: f.code });
}

export function createImportReader(spec: ImportReaderSpec): ImportReader {
  const minBytes = spec.minBytes ?? READ_THREAD_MIN_BYTES;
  let thread: Thread | null = null;
  let reads = 0;

  function spawn(entry: string): Thread | null {
    let worker: Worker;
    try {
      // A CommonJS entry is a source shim that registers tsx itself: tsx's loader flags of a
      // parent run through tsx (the bench, a script) would load it a second time (a start of
      // about 180 ms instead of 75).
      worker = new Worker(entry, entry.endsWith('.cjs') ? { execArgv: [] } : {});
    } catch {
      return null;
    }
    const t: Thread = { worker, started: false, stopped: null, listener: null };
    worker.on('message', (m: ReadThreadMessage) => {
      if (m.t === 'started') t.started = true;
      else t.listener?.(m);
    });
    const stop = (why: string) => {
      t.stopped ??= why;
      if (thread === t) thread = null;
      t.listener?.(null);
    };
    worker.once('error', (err) => stop(err instanceof Error ? err.message : String(err)));
    worker.once('exit', (code) => stop(`it exited with code ${code}`));
    worker.unref();
    return t;
  }

  /** The idle thread, started if none runs; null when none can start or the one there is busy. */
  function idleThread(entry: string): Thread | null {
    if (!thread) thread = spawn(entry);
    return thread && !thread.listener ? thread : null;
  }

  const worthIt = (sizeBytes: number) => spec.entry !== null && sizeBytes >= minBytes;

  async function* onThread(t: Thread, s: Sniffed, map: MapSpec | undefined): AsyncGenerator<RowBatch> {
    const id = ++reads;
    const queue: ReadThreadMessage[] = [];
    let wake: (() => void) | null = null;
    t.listener = (m) => {
      if (m && m.t !== 'started' && m.id !== id) return;
      if (m) queue.push(m);
      wake?.();
      wake = null;
    };
    t.worker.ref();
    const send = (c: ReadThreadCommand) => t.worker.postMessage(c);
    const file = {
      path: s.path,
      fileName: s.fileName,
      encoding: s.encoding,
      delimiter: s.delimiter,
      encodingChosen: s.encodingChosen,
    };
    send({ t: 'read', id, file, ahead: AHEAD, ...(map ? { map } : {}) });
    let records = 0;
    let ended = false;
    try {
      for (;;) {
        while (queue.length === 0 && t.stopped === null) await new Promise<void>((resolve) => (wake = resolve));
        const m = queue.shift();
        if (m === undefined) {
          // Stopped before its code had loaded: nothing was read, read the file here.
          if (!t.started) break;
          throw new Error(
            `the thread reading the file stopped after its first ${records.toLocaleString('en-US')} rows (${t.stopped})`,
          );
        }
        if (m.t === 'started') continue;
        if (m.t === 'end') {
          ended = true;
          return;
        }
        if (m.t === 'error') {
          ended = true;
          throw thrown(m);
        }
        send({ t: 'more', id });
        records += m.widths.length;
        yield unpackBatch(m);
      }
    } finally {
      if (t.stopped === null) {
        if (!ended) send({ t: 'stop', id });
        t.worker.unref();
      }
      t.listener = null;
    }
    yield* readBatches(s);
  }

  return {
    prepare: (path) => {
      if (spec.entry === null || thread) return;
      try {
        if (worthIt(statSync(path).size) && !isWorkbook(path)) idleThread(spec.entry);
      } catch {
        // Not there or not readable: the import will say so.
      }
    },
    batches: (s, map) => {
      const t = spec.entry !== null && s.format === 'csv' && worthIt(s.sizeBytes) ? idleThread(spec.entry) : null;
      return t ? onThread(t, s, map) : readBatches(s);
    },
    readsOnThread: () => reads,
    threadRunning: () => thread !== null,
    close: async () => {
      const t = thread;
      thread = null;
      await t?.worker.terminate();
    },
  };
}
