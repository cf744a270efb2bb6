import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract';
import { startBackendWorker } from '../../electron/backend/worker-client';
import { REPO_ROOT, tempDir } from './helpers';

// The real worker entry, run through tsx so the test exercises the source the app is built from.
const WORKER = resolve(REPO_ROOT, 'test/backend/worker-entry.mjs');

describe('backend worker protocol', () => {
  const dir = tempDir();
  const client = startBackendWorker(WORKER, { workspacePath: join(dir, 'w.leadbench'), sampleDirs: [] });
  const events: { name: EventName; payload: unknown }[] = [];
  client.onEvent((name, payload) => events.push({ name, payload }));
  afterAll(async () => {
    await client.terminate();
  });

  it('starts, opens the workspace and answers a handler round trip', async () => {
    await client.ready;
    const r = await client.invoke('workspace-info', {});
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toMatchObject({ name: 'w', leadCount: 0, schemaVersion: expect.any(Number) });
  });

  it('rejects an invalid argument as error data naming the field', async () => {
    const r = await client.invoke('workspace-open', { path: 42 });
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'BAD_ARGUMENT' }) });
    if (!r.ok) expect(r.error.message).toMatch(/path/);
    const extra = await client.invoke('workspace-info', { sneaky: true });
    expect(extra.ok).toBe(false);
  });

  it('rejects names outside the contract', async () => {
    const r = await client.invoke('drop-all-tables', {});
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNKNOWN_HANDLER' }) });
  });

  it('serves concurrent requests and pushes events', async () => {
    const other = join(dir, 'second.leadbench');
    const [a, b] = await Promise.all([
      client.invoke('workspace-open', { path: other, create: true }),
      client.invoke('sample-list', {}),
    ]);
    expect(a.ok && b.ok).toBe(true);
    expect(events).toContainEqual({ name: 'workspace-changed', payload: expect.objectContaining({ path: other }) });
  });

  it('keeps the current workspace when opening a bad file fails', async () => {
    const r = await client.invoke('workspace-open', { path: join(dir, 'missing.leadbench') });
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'WORKSPACE_NOT_FOUND' }) });
    const info = await client.invoke('workspace-info', {});
    expect(info.ok && (info.value as { name: string }).name).toBe('second');
  });
});
