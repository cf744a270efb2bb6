/**
 * Big files (issue 18): the CSV reader looks at each character once (csv-records.ts), so
 * import time follows the file's size, and one huge line costs no more than many short ones.
 *
 * - import200MBSec: a 200 MB lead file (the bench's lead rows, about 2M at scale 1) imported
 *   into an empty workspace through import-run, rescore included;
 * - singleLine50MBSec: a file whose second line is one 50 MB cell, imported (that row is
 *   rejected at the cell limit; the time is the reading);
 * - singleLineLinearity = time of the 50 MB line / (4 x time of a 12.5 MB line): about 1
 *   when parsing is linear (papaparse's chunked parse was quadratic: 40 MB took 58 s).
 * Sizes scale with BENCH_SCALE.
 */
import { createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createBackend } from '../../electron/backend/backend';
import { writeLeadsCsv } from './import-bench';

const MB = 1_000_000;

async function importSeconds(dir: string, csv: string): Promise<number> {
  const workspacePath = join(dir, `big-${Date.now()}.leadbench`);
  const backend = createBackend({ workspacePath });
  try {
    const t0 = performance.now();
    await backend.invoke('import-run', { path: csv, options: { kind: 'leads' } });
    return (performance.now() - t0) / 1000;
  } finally {
    backend.close();
    for (const ext of ['', '-wal', '-shm']) rmSync(workspacePath + ext, { force: true });
  }
}

/** A header, one row whose Notes cell is `bytes` long, and one ordinary row. */
async function writeSingleLine(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('Email,First Name,Notes\nann@acme.example,Ann,');
  const block = 'lorem ipsum '.repeat(10_000);
  for (let left = bytes; left > 0; left -= block.length) {
    if (!out.write(left >= block.length ? block : block.slice(0, left))) await once(out, 'drain');
  }
  out.end('\nbob@acme.example,Bob,short\n');
  await once(out, 'close');
}

export async function benchBigFile(o: { dir: string; scale: number }): Promise<Record<string, number>> {
  mkdirSync(o.dir, { recursive: true });
  const sample = join(o.dir, 'sample.csv');
  await writeLeadsCsv(sample, 10_000);
  const bytesPerRow = statSync(sample).size / 10_000;
  const big = join(o.dir, 'big.csv');
  await writeLeadsCsv(big, Math.round((200 * MB * o.scale) / bytesPerRow));
  const import200MBSec = await importSeconds(o.dir, big);
  console.log(`  ${(statSync(big).size / MB).toFixed(0)} MB lead file imported in ${import200MBSec.toFixed(1)} s`);
  rmSync(big);

  const line = join(o.dir, 'line.csv');
  await writeSingleLine(line, Math.round(50 * MB * o.scale));
  const singleLine50MBSec = await importSeconds(o.dir, line);
  await writeSingleLine(line, Math.round(12.5 * MB * o.scale));
  const quarter = await importSeconds(o.dir, line);
  rmSync(line);
  return {
    import200MBSec,
    singleLine50MBSec,
    singleLineLinearity: singleLine50MBSec / (4 * quarter),
  };
}
