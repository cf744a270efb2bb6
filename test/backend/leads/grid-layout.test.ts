/**
 * The Leads grid's layout (columns, widths, sort) is kept in the workspace: saved through the
 * API, read back after the workspace is closed and opened again, and a stored layout an
 * older version wrote that no longer validates opens as "none" instead of failing.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBackend } from '../../../electron/backend/backend';
import { tempBackend, tempDir } from '../helpers';

describe('grid layout', () => {
  const other = tempBackend();

  it('is null until saved, then survives reopening the workspace', async () => {
    const path = join(tempDir(), 'layout.leadbench');
    const backend = createBackend({ workspacePath: path });
    expect(await backend.invoke('grid-layout-get', {})).toBeNull();
    const layout = {
      columns: [{ key: 'name', width: 240 }, { key: 'score_total', width: 96 }, { key: 'email' }],
      sort: { column: 'email', dir: 'asc' as const },
    };
    expect(await backend.invoke('grid-layout-save', layout)).toEqual(layout);
    expect(await backend.invoke('grid-layout-get', {})).toEqual(layout);
    backend.close();
    const reopened = createBackend({ workspacePath: path });
    try {
      expect(await reopened.invoke('grid-layout-get', {})).toEqual(layout);
    } finally {
      reopened.close();
    }
  });

  it('refuses an unknown column or a width out of range, and keeps what was saved', async () => {
    await other.invoke('grid-layout-save', { columns: [{ key: 'email' }], sort: null });
    expect(await other.handle('grid-layout-save', { columns: [{ key: 'email', width: 5 }], sort: null })).toMatchObject(
      { ok: false, error: { code: 'BAD_ARGUMENT' } },
    );
    expect(await other.invoke('grid-layout-get', {})).toEqual({ columns: [{ key: 'email' }], sort: null });
    other.context
      .db()
      .prepare("UPDATE workspace_meta SET value = '{\"columns\": 3}' WHERE key = 'leads.grid_layout'")
      .run();
    expect(await other.invoke('grid-layout-get', {})).toBeNull();
  });

  it('workspace info names the app version from package.json (Help > About)', async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')) as {
      version: string;
    };
    expect((await other.invoke('workspace-info', {})).appVersion).toBe(pkg.version);
  });
});
