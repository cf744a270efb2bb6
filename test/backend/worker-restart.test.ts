/**
 * The backend worker crashing mid-import (worker-client.ts): the caller is told, the worker
 * is started again on the same workspace, what was committed before is kept, the import it
 * was running is rolled back, and the new worker writes (the dead one's writer lock is
 * taken over).
 */
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventName, Events, JobProgress, Owner, WorkspaceInfo } from '../../shared/contract';
import { startBackendWorker } from '../../electron/backend/worker-client';
import { REAL_DATA, REPO_ROOT, tempDir } from './helpers';

const WORKER = resolve(REPO_ROOT, 'test/backend/crashing-worker-entry.mjs');

describe('a backend worker that crashes', () => {
  const ws = join(tempDir(), 'w.leadbench');
  const client = startBackendWorker(WORKER, { workspacePath: ws, sampleDirs: [] });
  const events: { name: EventName; payload: unknown }[] = [];
  const waiters: ((name: EventName, payload: unknown) => void)[] = [];
  client.onEvent((name, payload) => {
    events.push({ name, payload });
    for (const w of waiters) w(name, payload);
  });
  const next = <E extends EventName>(name: E, when: (p: Events[E]) => boolean = () => true) =>
    new Promise<Events[E]>((done) => {
      waiters.push((n, p) => {
        if (n === name && when(p as Events[E])) done(p as Events[E]);
      });
    });
  afterAll(async () => {
    await client.terminate();
  });

  it('is restarted on its workspace with nothing committed lost', async () => {
    await client.ready;
    const saved = await client.invoke('owner-save', { name: 'Dana Rep', email: 'dana@example.com', role: 'rep' });
    expect(saved.ok).toBe(true);

    const importing = next('job-progress', (p: JobProgress) => p.phase === 'importing' && p.done > 0);
    const imported = client.invoke('import-run', {
      path: join(REAL_DATA, 'xeducation_leads.csv'),
      options: { kind: 'leads' },
    });
    await importing;
    const restarted = next('backend-restarted');
    const refreshed = next('workspace-changed');
    const crash = client.invoke('test-crash', {});

    // The request the worker was answering fails with a message; the caller is told.
    const lost = await imported;
    expect(lost.ok).toBe(false);
    if (!lost.ok) expect(lost.error.message).toMatch(/backend stopped while answering.*restarted/);
    expect((await crash).ok).toBe(false);
    expect((await restarted).message).toMatch(/restarted\. Everything saved before is kept/);
    expect((await refreshed).path).toBe(ws);

    // The new worker: the committed owner is there, the half-done import is gone, and it writes.
    const owners = await client.invoke('owners-list', {});
    expect(owners.ok && (owners.value as Owner[]).map((o) => o.email)).toContain('dana@example.com');
    const info = await client.invoke('workspace-info', {});
    expect(info.ok && (info.value as WorkspaceInfo)).toMatchObject({ leadCount: 0, importCount: 0 });
    const again = await client.invoke('import-run', {
      path: join(REPO_ROOT, 'resources/samples/starter-leads.csv'),
      options: { kind: 'leads' },
    });
    expect(again).toMatchObject({ ok: true, value: { errors: 0 } });
    expect(events.filter((e) => e.name === 'backend-restarted')).toHaveLength(1);
  });
});
