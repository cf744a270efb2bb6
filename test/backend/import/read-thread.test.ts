/**
 * An import's file read on a thread of its own (services/import/read-threads.ts): the batches
 * it yields are those of the in-thread reader (records, bad records by index, bytes done), a
 * workspace imported through it holds exactly what one imported in-thread holds, a failure
 * while reading is the same error, and a thread that dies mid-file fails the import naming
 * the file and the rows it had delivered, with nothing written.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportOptions } from '../../../shared/contract';
import { importOptionsSchema } from '../../../shared/contract/import';
import { createImportReader } from '../../../electron/backend/services/import/read-threads';
import { planImport } from '../../../electron/backend/services/import/plan';
import { runImport } from '../../../electron/backend/services/import/run';
import { readBatches, sniffFile, type RowBatch } from '../../../electron/backend/services/import/source';
import { cancelPastRows, FIXTURES, REAL_DATA, REPO_ROOT, tempBackend, tempDir } from '../helpers';
import { contentDump, contentDumpWithoutUids } from './dump';

const NOW = 1_790_000_000_000;
const ENTRY = join(REPO_ROOT, 'electron/backend/services/import/read-thread-source.cjs');
const DYING = join(import.meta.dirname, 'dying-read-thread.cjs');
const BROKEN = join(import.meta.dirname, 'broken-read-thread.cjs');
const fixture = (name: string) => join(FIXTURES, 'import', name);
/** The starter sample's files (under 170 KB) are read in-thread, the awkward file (over 300 KB) on the thread. */
const SAMPLES_IN_THREAD = 200_000;

/**
 * Several 64 KB batches of what a reader must get right at its edges: cells quoted over
 * several lines, quotes escaped, a stray quote (a bad row) every so often, a row with cells
 * past the header, blank lines, letters outside ASCII.
 */
function awkwardCsv(): string {
  const lines = ['Email,First Name,Company,Notes,Employees'];
  for (let i = 0; i < 6000; i++) {
    if (i % 97 === 5) lines.push(`bad${i}@x.example,"Ann,Acme ${i}`);
    else if (i % 89 === 3) lines.push('');
    else if (i % 83 === 1) lines.push(`wide${i}@x.example,Wide,Co,,3,extra cell`);
    else if (i % 7 === 2)
      lines.push(`p${i}@x.example,"Zoë ""Z"" ${i}","Café, ${i % 13}","line one\nline two, ${i}\r\nline three",${i}`);
    else lines.push(`p${i}@x.example,Jérôme ${i},Société ${i % 17},plain note ${i},${i % 500}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

function file(name: string, content: string | Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

const awkwardUtf8 = () => file('awkward.csv', awkwardCsv());
const awkwardLatin1 = () => file('awkward-1252.csv', Buffer.from(awkwardCsv(), 'latin1'));
const awkwardUtf16 = () =>
  file('awkward-16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(awkwardCsv(), 'utf16le')]));

async function all(batches: AsyncGenerator<RowBatch>): Promise<RowBatch[]> {
  const out: RowBatch[] = [];
  for await (const b of batches) out.push(b);
  return out;
}

describe('the read thread yields the in-thread batches', () => {
  const cases: [string, () => string, { encoding?: 'windows-1252' }][] = [
    ['multiline quoted cells, bad rows, blank lines (UTF-8)', awkwardUtf8, {}],
    ['the same in windows-1252, named', awkwardLatin1, { encoding: 'windows-1252' }],
    ['the same in UTF-16 LE (BOM)', awkwardUtf16, {}],
    ['bad rows', () => fixture('bad-rows.csv'), {}],
    ['a webinar report (sections)', () => fixture('zoom-webinar-attendees.csv'), {}],
    ['X Education (2.4 MB)', () => join(REAL_DATA, 'xeducation_leads.csv'), {}],
  ];
  it.each(cases)('%s', async (_, path, read) => {
    const s = await sniffFile(path(), read);
    const reader = createImportReader({ entry: ENTRY, minBytes: 0 });
    try {
      const threaded = await all(reader.batches(s));
      expect(reader.readsOnThread()).toBe(1);
      const here = await all(readBatches(s));
      expect(threaded).toEqual(here);
      if (path === awkwardUtf8) {
        expect(here.length).toBeGreaterThan(3);
        expect(here.filter((b) => b.bad).length).toBeGreaterThan(3);
      }
    } finally {
      await reader.close();
    }
  });

  it('reads small files and workbooks on the calling thread', async () => {
    const reader = createImportReader({ entry: ENTRY, minBytes: 1 << 20 });
    try {
      await all(reader.batches(await sniffFile(fixture('bad-rows.csv'))));
      const xlsx = createImportReader({ entry: ENTRY, minBytes: 0 });
      await all(xlsx.batches(await sniffFile(fixture('two-sheets.xlsx'))));
      expect([reader.readsOnThread(), xlsx.readsOnThread()]).toEqual([0, 0]);
      await xlsx.close();
    } finally {
      await reader.close();
    }
  });

  it('one thread serves one read after another, also after a read stopped early', async () => {
    const reader = createImportReader({ entry: ENTRY, minBytes: 0 });
    try {
      const s = await sniffFile(awkwardUtf8());
      const first = reader.batches(s);
      await first.next();
      await first.return(undefined);
      expect(await all(reader.batches(s))).toEqual(await all(readBatches(s)));
      expect(reader.readsOnThread()).toBe(2);
    } finally {
      await reader.close();
    }
  });

  it('a failure while reading is the in-thread error', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `p${i}@x.example,Person ${i}`).join('\n');
    const path = file('late-latin.csv', Buffer.from(`Email,First Name\n${rows}\nj@x.example,J\xe9r\xf4me\n`, 'latin1'));
    const s = await sniffFile(path);
    const reader = createImportReader({ entry: ENTRY, minBytes: 0 });
    try {
      const threaded = await all(reader.batches(s)).catch((e: unknown) => e);
      const here = await all(readBatches(s)).catch((e: unknown) => e);
      expect(threaded).toMatchObject({ code: 'IMPORT_UNREADABLE', message: (here as Error).message });
      expect(reader.readsOnThread()).toBe(1);
      const gone = await all(reader.batches({ ...s, path: `${path}.missing` })).catch((e: unknown) => e);
      expect(gone).toMatchObject({ code: 'ENOENT' });
    } finally {
      await reader.close();
    }
  });
});

/** The file imported into a new workspace by a backend reading it on the thread or in-thread. */
async function imported(path: string, options: ImportOptions, onThread: boolean) {
  const b = tempBackend({ now: () => NOW, ...(onThread ? { readThreadMinBytes: 0 } : { readThreadEntry: null }) });
  const summary = await b.invoke('import-run', { path, options });
  expect(b.context.importReader.readsOnThread()).toBe(onThread ? 1 : 0);
  return { summary: { ...summary, jobId: '', durationMs: 0 }, dump: contentDumpWithoutUids(b.context.db()) };
}

describe("a lead import's rows mapped on the read thread", () => {
  const cases: [string, () => string, ImportOptions][] = [
    ['bad rows, multiline cells, blank lines, cells past the header', awkwardUtf8, { kind: 'leads' }],
    ['windows-1252', awkwardLatin1, { kind: 'leads', encoding: 'windows-1252' }],
    [
      'X Education (keys, custom fields)',
      () => join(REAL_DATA, 'xeducation_leads.csv'),
      { kind: 'leads', mapping: { 'Prospect ID': 'key' } },
    ],
    ['rows keyed by their number', () => fixture('bad-rows.csv'), { kind: 'leads', rowKey: true }],
  ];
  it.each(cases)('are the drafts the plan maps: %s', async (_, path, options) => {
    const plan = await planImport(path(), importOptionsSchema.parse(options), false, {});
    const reader = createImportReader({ entry: ENTRY, minBytes: 0 });
    try {
      const map = {
        headers: plan.headers,
        mapping: plan.mapping,
        settings: plan.settings,
        headerRow: plan.headerRow,
        candidates: plan.candidates,
      };
      let record = 0;
      let drafts = 0;
      let custom = 0;
      for await (const batch of reader.batches(plan.sniffed, map)) {
        for (let r = 0; r < batch.rows.length; r++) {
          record++;
          const draft = batch.mapped?.[r];
          if (!draft) continue;
          drafts++;
          custom += Object.keys(draft.custom).length + draft.keys.length;
          expect(plan.mapper(batch.rows[r] as string[], record)).toEqual({ ok: true, lead: draft, activities: [] });
        }
      }
      expect(drafts).toBeGreaterThan(0);
      if (options.mapping) expect(custom).toBeGreaterThan(drafts);
    } finally {
      await reader.close();
    }
  });
});

describe('the read thread starts', () => {
  it('when the wizard inspects a big CSV, not a small one or a workbook', async () => {
    const big = tempBackend({ readThreadMinBytes: SAMPLES_IN_THREAD });
    await big.invoke('import-inspect', { path: fixture('bad-rows.csv') });
    expect(big.context.importReader.threadRunning()).toBe(false);
    const workbook = tempBackend({ readThreadMinBytes: 0 });
    await workbook.invoke('import-inspect', { path: fixture('two-sheets.xlsx') });
    expect(workbook.context.importReader.threadRunning()).toBe(false);
    const path = awkwardUtf8();
    await big.invoke('import-inspect', { path });
    expect(big.context.importReader.threadRunning()).toBe(true);
    await big.invoke('import-run', { path, options: { kind: 'leads' } });
    expect(big.context.importReader.readsOnThread()).toBe(1);
  });
});

describe('a workspace imported through the read thread', () => {
  const cases: [string, () => string, ImportOptions][] = [
    ['bad rows, multiline cells, blank lines', awkwardUtf8, { kind: 'leads' }],
    ['windows-1252', awkwardLatin1, { kind: 'leads', encoding: 'windows-1252' }],
    ['UTF-16 LE', awkwardUtf16, { kind: 'leads' }],
    ['a webinar report', () => fixture('zoom-webinar-attendees.csv'), { kind: 'event', asset: 'Webinar' }],
    [
      'X Education',
      () => join(REAL_DATA, 'xeducation_leads.csv'),
      { kind: 'leads', mapping: { 'Prospect ID': 'key' } },
    ],
  ];
  it.each(cases)('holds what the in-thread import holds: %s', async (_, path, options) => {
    const p = path();
    const threaded = await imported(p, options, true);
    const here = await imported(p, options, false);
    expect(threaded.summary).toEqual(here.summary);
    expect(threaded.dump).toBe(here.dump);
    expect(here.summary.rowsTotal).toBeGreaterThan(0);
  });
});

describe('a read thread that fails', () => {
  const options = importOptionsSchema.parse({ kind: 'leads' });

  it('dying mid-file fails the import naming the file and its rows read; nothing is written', async () => {
    const b = tempBackend({ now: () => NOW, readThreadEntry: DYING, readThreadMinBytes: SAMPLES_IN_THREAD });
    await b.invoke('sample-load', { id: 'starter' });
    const before = contentDump(b.context.db());
    const err = await b.context.writes.run(() => runImport(b.context, awkwardUtf8(), options)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'IMPORT_FAILED' });
    expect((err as Error).message).toMatch(
      /^Import of "awkward\.csv" failed: the thread reading the file stopped after its first [\d,]+ rows \(it exited with code 3\)\. Nothing was changed\.$/,
    );
    expect(contentDump(b.context.db())).toBe(before);
  });

  it('that cannot load leaves the file to be read on the writing thread', async () => {
    const path = awkwardUtf8();
    const b = tempBackend({ now: () => NOW, readThreadEntry: BROKEN, readThreadMinBytes: 0 });
    const s = await b.invoke('import-run', { path, options: { kind: 'leads' } });
    const here = await imported(path, { kind: 'leads' }, false);
    expect({ ...s, jobId: '', durationMs: 0 }).toEqual(here.summary);
    expect(contentDumpWithoutUids(b.context.db())).toBe(here.dump);
  });

  it('a cancel mid-file reverts the import, and the thread serves the next one', async () => {
    const jobId = 'thread-cancel';
    const cancel = cancelPastRows(jobId, 1000);
    const b = tempBackend({ now: () => NOW, readThreadMinBytes: SAMPLES_IN_THREAD, emit: cancel.emit });
    cancel.attach(b);
    await b.invoke('sample-load', { id: 'starter' });
    const before = contentDump(b.context.db());
    const path = awkwardUtf8();
    expect(statSync(path).size).toBeGreaterThan(SAMPLES_IN_THREAD);
    const err = await b.context.writes.run(() => runImport(b.context, path, options, jobId)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CANCELLED' });
    expect(contentDump(b.context.db())).toBe(before);
    const s = await b.invoke('import-run', { path, options: { kind: 'leads' } });
    expect(s.rowsTotal).toBeGreaterThan(3000);
    expect(b.context.importReader.readsOnThread()).toBe(2);
  });
});
