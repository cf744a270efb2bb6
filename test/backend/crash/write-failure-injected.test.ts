/**
 * A disk that fills up in the middle of an export, on any machine: the write streams of
 * temporary export files (the `.partial` beside the target) fail with ENOSPC after a set
 * number of bytes, as the kernel answers on a full disk. Everything else is real: the
 * backend, the workspace file, the writers and the folder. (write-failures.test.ts fills a
 * real tmpfs where the machine allows mounting one.)
 */
import { readdirSync, writeFileSync } from 'node:fs';
import type * as Fs from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tempBackend, tempDir } from '../helpers';

/** Bytes a temporary export file may take before the "disk" is full (-1: never full). */
const disk = vi.hoisted(() => ({ room: -1 }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  const createWriteStream: typeof fs.createWriteStream = (path, options) => {
    const stream = fs.createWriteStream(path, options);
    if (!String(path).endsWith('.partial') || disk.room < 0) return stream;
    let written = 0;
    const write = stream._write.bind(stream);
    stream._writev = undefined;
    stream._write = (chunk: Buffer, encoding, callback) => {
      written += chunk.length;
      if (written <= disk.room) return write(chunk, encoding, callback);
      callback(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 }));
    };
    return stream;
  };
  return { ...fs, default: { ...fs, createWriteStream }, createWriteStream };
});

describe('a disk that fills up during an export (ENOSPC injected at the file-system layer)', () => {
  const b = tempBackend({ scoringHelperEntry: null });
  const db = () => b.context.db();
  beforeAll(async () => {
    const rows = ['Email,First Name,Company,Notes'];
    for (let i = 0; i < 2000; i++) rows.push(`p${i}@acme${i % 9}.example,P${i},Acme ${i % 9},note ${i * 7919}`);
    const file = join(tempDir(), 'leads.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    await b.invoke('import-run', { path: file, options: { kind: 'leads' } });
  }, 60_000);

  it.each([
    ['xlsx', 20_000],
    ['csv', 20_000],
    ['xlsx', 0],
  ] as const)(
    'a %s export with room for %i bytes fails in one line; no file, no rows, no running export',
    async (format, room) => {
      const dir = tempDir();
      const out = join(dir, `leads.${format}`);
      disk.room = room;
      try {
        await expect(b.invoke('export-leads', { source: { kind: 'all' }, out, format })).rejects.toMatchObject({
          code: 'EXPORT_FAILED',
          message: `The export could not be written to ${out}: the disk is full. Nothing was written.`,
        });
      } finally {
        disk.room = -1;
      }
      expect(readdirSync(dir)).toEqual([]);
      const last = db().prepare('SELECT id, status, message FROM exports ORDER BY id DESC LIMIT 1').get() as {
        id: number;
        status: string;
        message: string;
      };
      expect(last).toMatchObject({
        status: 'failed',
        message: `The export could not be written to ${out}: the disk is full. Nothing was written.`,
      });
      expect(db().prepare('SELECT count(*) FROM export_rows WHERE export_id = ?').pluck().get(last.id)).toBe(0);
      expect(db().prepare('SELECT count(*) FROM job_journal').pluck().get()).toBe(0);
      // The next export, with room, is whole.
      const ok = await b.invoke('export-leads', { source: { kind: 'all' }, out, format });
      expect(ok.rows).toBe(2000);
      expect(readdirSync(dir)).toEqual([`leads.${format}`]);
    },
  );

  it('a report export onto a full disk: one line, no file', async () => {
    const dir = tempDir();
    const out = join(dir, 'funnel.xlsx');
    disk.room = 0;
    try {
      await expect(b.invoke('export-report', { report: 'funnel', out, format: 'xlsx' })).rejects.toMatchObject({
        message: `The report could not be written to ${out}: the disk is full. Nothing was written.`,
      });
    } finally {
      disk.room = -1;
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
