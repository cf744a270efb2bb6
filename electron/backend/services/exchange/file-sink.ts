/**
 * A write stream to a temporary file beside the target, renamed into place on success and
 * removed on failure. Honors backpressure: `drain()` resolves once the OS has caught up.
 * A failed write (a full disk) is kept, not thrown where it happens: `write` is also called
 * from stream callbacks (the XLSX zip's), where a throw would end the process. `drain` and
 * `commit` report it.
 */
import { createWriteStream, readdirSync, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

const HIGH_WATER = 4 * 1024 * 1024;

export type FileSink = Readonly<{
  /** Queues a chunk; after a failure, drops it (drain and commit throw the failure). */
  write: (chunk: string | Uint8Array) => void;
  drain: () => Promise<void>;
  /**
   * Ends the stream and renames the temp file to the target; returns bytes written.
   * `beforeRename` runs once the file is complete and before it takes the target's name:
   * the place to journal the target as the job's output, so a kill right after the rename
   * still leaves a record that names the file to take back.
   */
  commit: (beforeRename?: () => void) => Promise<number>;
  discard: () => Promise<void>;
  error: () => Error | null;
}>;

const PARTIAL = '.partial';
const tempName = (target: string, tag: string) => `.${basename(target)}.${tag}${PARTIAL}`;

/** Temporary copies of `target` left in its folder (by a job that died before renaming one). */
export function partialsOf(target: string): string[] {
  const dir = dirname(target);
  const prefix = `.${basename(target)}.`;
  const isOurs = (name: string) =>
    name.startsWith(prefix) &&
    name.endsWith(PARTIAL) &&
    /^[0-9a-f]{8}$/.test(name.slice(prefix.length, name.length - PARTIAL.length));
  try {
    return readdirSync(dir)
      .filter(isOurs)
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

export function openFileSink(target: string): FileSink {
  const temp = join(dirname(target), tempName(target, randomBytes(4).toString('hex')));
  const stream: WriteStream = createWriteStream(temp, { highWaterMark: 1024 * 1024 });
  let failure: Error | null = null;
  stream.on('error', (e) => {
    failure = e;
  });
  const waitFor = (event: 'drain' | 'finish' | 'close'): Promise<void> =>
    new Promise((resolve, reject) => {
      if (failure) {
        reject(failure);
        return;
      }
      const onError = (e: Error) => {
        stream.off(event, onDone);
        reject(e);
      };
      const onDone = () => {
        stream.off('error', onError);
        resolve();
      };
      stream.once(event, onDone);
      stream.once('error', onError);
    });
  return {
    write: (chunk) => {
      if (!failure) stream.write(chunk);
    },
    drain: async () => {
      if (failure) throw failure;
      if (stream.writableLength > HIGH_WATER) await waitFor('drain');
    },
    commit: async (beforeRename) => {
      if (failure) throw failure;
      const finished = waitFor('finish');
      stream.end();
      await finished;
      beforeRename?.();
      await rename(temp, target);
      return stream.bytesWritten;
    },
    discard: async () => {
      if (!stream.destroyed) {
        const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
        stream.destroy();
        await closed;
      }
      await rm(temp, { force: true });
    },
    error: () => failure,
  };
}
