/**
 * The import's read thread entry (read-threads.ts keeps one per backend): for each 'read' it
 * reads, decodes and splits a CSV into records (csv-batches.ts) ahead of the writing thread,
 * and posts them in batches in their packed form (read-thread-protocol.ts), at most `ahead`
 * batches before the writer has taken them. A failure is posted as data; 'stop' ends a read
 * early (the import was cancelled or failed), closing the file.
 */
import { parentPort } from 'node:worker_threads';
import { AppError, toApiError } from '../../errors';
import { readCsvBatches, type CsvFile } from './csv-batches';
import { packBatch, type ReadThreadCommand, type ReadThreadMessage, type ThreadFailure } from './read-thread-protocol';

const port = parentPort;
if (!port) throw new Error('read-thread.ts must run in a worker thread');

type Read = { id: number; credit: number; stopped: boolean; wake: (() => void) | null };
let current: Read | null = null;

const post = (m: ReadThreadMessage, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

function failure(err: unknown): ThreadFailure {
  if (err instanceof AppError) return { app: true, error: toApiError(err) };
  const code = (err as { code?: unknown } | null)?.code;
  return {
    app: false,
    message: err instanceof Error ? err.message : String(err),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

async function read(r: Read, file: CsvFile): Promise<void> {
  try {
    for await (const batch of readCsvBatches(file)) {
      while (r.credit <= 0 && !r.stopped) await new Promise<void>((resolve) => (r.wake = resolve));
      if (r.stopped) return;
      r.credit--;
      const packed = packBatch(r.id, batch);
      post(packed, [packed.ends.buffer as ArrayBuffer, packed.widths.buffer as ArrayBuffer]);
    }
    post({ t: 'end', id: r.id });
  } catch (err) {
    post({ t: 'error', id: r.id, failure: failure(err) });
  }
}

function wake(r: Read): void {
  r.wake?.();
  r.wake = null;
}

port.on('message', (m: ReadThreadCommand) => {
  if (m.t === 'read') {
    if (current) {
      current.stopped = true;
      wake(current);
    }
    current = { id: m.id, credit: m.ahead, stopped: false, wake: null };
    void read(current, m.file);
  } else if (current?.id === m.id) {
    if (m.t === 'more') current.credit++;
    else current.stopped = true;
    wake(current);
  }
});
post({ t: 'started' });
