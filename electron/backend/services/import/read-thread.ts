/**
 * The import's read thread entry (read-threads.ts keeps one per backend): for each 'read' it
 * reads, decodes and splits a CSV into records (csv-batches.ts) ahead of the writing thread,
 * for a lead import maps them too (shared/mapping, as run.ts would), and posts them in batches in their packed form (read-thread-protocol.ts), at most `ahead`
 * batches before the writer has taken them. A failure is posted as data; 'stop' ends a read
 * early (the import was cancelled or failed), closing the file.
 */
import { parentPort } from 'node:worker_threads';
import { AppError, toApiError } from '../../errors';
import { compileRowMapper, type LeadDraft } from '../../../../shared/mapping';
import { readCsvBatches, type CsvFile, type RowBatch } from './csv-batches';
import { draftBuffers, packDrafts, type PackedDrafts } from './draft-codec';
import { hasCellsPastHeader, isBlankRecord, sectionReader } from './header-rows';
import {
  packBatch,
  type MapSpec,
  type ReadThreadCommand,
  type ReadThreadMessage,
  type ThreadFailure,
} from './read-thread-protocol';

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

/**
 * A lead import's rows mapped as run.ts maps them: the records below the header row, in its
 * section, readable, not blank, with no cells past the header; those the mapper accepts get
 * their draft (the others are mapped, and their errors stored, by the backend thread).
 */
function rowMapper(spec: MapSpec): (batch: RowBatch) => PackedDrafts {
  const mapper = compileRowMapper(spec.headers, spec.mapping, spec.settings);
  const inSection = sectionReader(spec.candidates, spec.headerRow);
  const width = spec.headers.length;
  let record = 0;
  return (batch) => {
    const at: number[] = [];
    const drafts: LeadDraft[] = [];
    for (let r = 0; r < batch.rows.length; r++) {
      const cells = batch.rows[r] as string[];
      record++;
      if (record <= spec.headerRow || !inSection(cells) || batch.bad?.has(r)) continue;
      if (isBlankRecord(cells) || hasCellsPastHeader(cells, width)) continue;
      const mapped = mapper(cells, record);
      if (!mapped.ok) continue;
      at.push(r);
      drafts.push(mapped.lead);
    }
    return packDrafts(at, drafts);
  };
}

async function read(r: Read, file: CsvFile, map: MapSpec | undefined): Promise<void> {
  try {
    const mapRows = map ? rowMapper(map) : null;
    for await (const batch of readCsvBatches(file)) {
      while (r.credit <= 0 && !r.stopped) await new Promise<void>((resolve) => (r.wake = resolve));
      if (r.stopped) return;
      r.credit--;
      const drafts = mapRows?.(batch);
      const packed = packBatch(r.id, batch, drafts);
      post(packed, [
        packed.ends.buffer as ArrayBuffer,
        packed.widths.buffer as ArrayBuffer,
        ...(drafts ? draftBuffers(drafts) : []),
      ]);
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
    void read(current, m.file, m.map);
  } else if (current?.id === m.id) {
    if (m.t === 'more') current.credit++;
    else current.stopped = true;
    wake(current);
  }
});
post({ t: 'started' });
