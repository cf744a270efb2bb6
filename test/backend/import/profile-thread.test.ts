/**
 * import-profile runs on a thread of its own (services/import/profile-threads.ts): a preview
 * asked for while a profile of a large file (Hillstrom, 64,000 rows) is still running is
 * answered first, a newer profile of the same file cancels the running one, and a thread that
 * cannot start costs only speed. The gated entry holds the profile thread until the test
 * opens its gate, so the order of completion is decided by the test, not by the machine.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_DATA, tempBackend, tempDir } from '../helpers';

const HILLSTROM = join(REAL_DATA, 'hillstrom_email_campaign.csv');
const GATED_ENTRY = join(import.meta.dirname, 'gated-profile-thread.cjs');

/** Hillstrom copied where the test can open its gate (`<file>.gate`). */
function gatedCopy(): { file: string; open: () => void } {
  const file = join(tempDir(), 'hillstrom.csv');
  copyFileSync(HILLSTROM, file);
  return { file, open: () => writeFileSync(`${file}.gate`, '') };
}

/** Settles to what happened, so a test can ask whether a request has finished yet. */
function track<T>(p: Promise<T>) {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  const settled = p.then(
    (value) => Object.assign(state, { done: true, value }),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  return { state, settled };
}

describe('import-profile on its own thread', () => {
  it('answers a preview and an inspection while the profile of a large file is still running', async () => {
    const b = tempBackend({ profileThreadEntry: GATED_ENTRY });
    const { file, open } = gatedCopy();
    const profile = track(b.invoke('import-profile', { path: file }));
    const preview = await b.invoke('import-preview', {
      path: file,
      options: {
        kind: 'activities',
        rowKey: true,
        mapping: { segment: 'activity.type' },
        eventTime: Date.UTC(2026, 0, 15),
      },
      limit: 12,
    });
    const inspected = await b.invoke('import-inspect', { path: file });
    expect(profile.state.done).toBe(false);
    expect(preview.problems).toEqual([]);
    expect(preview.rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(inspected.headers).toContain('segment');

    open();
    await profile.settled;
    expect(profile.state.error).toBeUndefined();
    expect(profile.state.value?.rows).toBe(64_000);
  });

  it('cancels a running profile when a newer one of the same file starts', async () => {
    const b = tempBackend({ profileThreadEntry: GATED_ENTRY });
    const { file, open } = gatedCopy();
    const first = track(b.invoke('import-profile', { path: file }));
    const second = track(b.invoke('import-profile', { path: file, headerRow: 1 }));
    await first.settled;
    expect(first.state.error).toMatchObject({ code: 'CANCELLED' });
    expect(second.state.done).toBe(false);

    open();
    await second.settled;
    expect(second.state.value?.rows).toBe(64_000);
  });

  it('profiles on the backend thread when the thread cannot start', async () => {
    const b = tempBackend({ profileThreadEntry: join(tempDir(), 'missing-entry.cjs') });
    const file = join(tempDir(), 'small.csv');
    writeFileSync(file, 'Email,Visits\na@example.com,3\nb@example.com,4\n');
    expect(await b.invoke('import-profile', { path: file })).toMatchObject({ rows: 2 });
  });

  it('reports the profile thread’s failure as the profile’s own error', async () => {
    const b = tempBackend();
    const file = join(tempDir(), 'header-only.csv');
    writeFileSync(file, 'Email,Visits\n');
    await expect(b.invoke('import-profile', { path: file })).rejects.toMatchObject({ code: 'IMPORT_EMPTY' });
  });
});
