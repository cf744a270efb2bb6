/**
 * A write stream to a temporary file beside the target, renamed into place on success and
 * removed on failure. Honors backpressure: `drain()` resolves once the OS has caught up.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

const HIGH_WATER = 4 * 1024 * 1024;

export type FileSink = Readonly<{
  write: (chunk: string | Uint8Array) => void;
  drain: () => Promise<void>;
  /** Ends the stream and renames the temp file to the target; returns bytes written. */
  commit: () => Promise<number>;
  discard: () => Promise<void>;
  error: () => Error | null;
}>;

export function openFileSink(target: string): FileSink {
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.partial`);
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
      if (failure) throw failure;
      stream.write(chunk);
    },
    drain: async () => {
      if (failure) throw failure;
      if (stream.writableLength > HIGH_WATER) await waitFor('drain');
    },
    commit: async () => {
      if (failure) throw failure;
      const finished = waitFor('finish');
      stream.end();
      await finished;
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
