/**
 * The web host's defences, over real HTTP on a real socket: the host module in front of the
 * real backend (the handler table on a temporary workspace), serving a renderer folder with
 * the app's real index.html. Every request is made the way a hostile page or process could.
 */
import { request } from 'node:http';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerArgs, type EventName } from '../../../shared/contract';
import { createBackend } from '../../../electron/backend/backend';
import { PATH_ARGS } from '../../../electron/web-host/allowed-paths';
import { createWebHost, type WebHost } from '../../../electron/web-host/host';
import { staticFiles } from '../../../electron/web-host/static-files';
import { REPO_ROOT, tempDir } from '../helpers';

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function send(
  port: number,
  o: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port, method: o.method ?? 'GET', path: o.path, headers: o.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', fail);
    req.end(o.body);
  });
}

describe('web host security', () => {
  const workspaceDir = tempDir();
  const outside = tempDir();
  const rendererDir = join(tempDir(), 'renderer');
  const token = 'test-token-0123456789abcdefghijklmnopqrstuv';
  const events: { name: EventName; payload: unknown }[] = [];
  let emitTo: ((name: EventName, payload: unknown) => void) | null = null;
  const backend = createBackend({
    workspacePath: join(workspaceDir, 'w.leadbench'),
    emit: (name, payload) => emitTo?.(name, payload),
    scoringHelperEntry: null,
  });
  let host: WebHost;
  let port: number;
  const own = () => ({ host: `127.0.0.1:${port}` });
  const authed = () => ({ ...own(), 'x-leadbench-token': token });
  const invoke = (name: string, args: unknown, headers: Record<string, string> = authed()) =>
    send(port, {
      method: 'POST',
      path: `/api/invoke/${name}`,
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });

  beforeAll(async () => {
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), readFileSync(join(REPO_ROOT, 'renderer/index.html')));
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(rendererDir, '..', 'secret.txt'), 'outside the renderer folder');
    writeFileSync(join(outside, 'leads.csv'), 'Email\na@b.co\n');
    writeFileSync(join(workspaceDir, 'leads.csv'), 'Email\na@b.co\n');
    symlinkSync(join(outside, 'leads.csv'), join(workspaceDir, 'link-out.csv'));
    const pages = staticFiles(rendererDir);
    host = createWebHost({
      backend: {
        invoke: (name, args) => backend.handle(name, args),
        onEvent: (fn) => {
          emitTo = (name, payload) => {
            events.push({ name, payload });
            fn(name, payload as never);
          };
        },
      },
      token,
      allowedRoots: [workspaceDir],
      pages: (req, res) => pages.serve(new URL(req.url ?? '/', 'http://x').pathname, res),
    });
    port = await host.listen(0);
  });
  afterAll(async () => {
    await host.close();
    backend.close();
  });

  it('answers an API call that carries the token', async () => {
    const r = await invoke('workspace-info', {});
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { name: 'w' } });
  });

  it('refuses an API call without the token, or with a wrong one', async () => {
    const none = await invoke('workspace-info', {}, own());
    expect(none.status).toBe(401);
    const wrong = await invoke('workspace-info', {}, { ...own(), 'x-leadbench-token': `${token.slice(0, -1)}X` });
    expect(wrong.status).toBe(401);
    const short = await invoke('workspace-info', {}, { ...own(), 'x-leadbench-token': 'x' });
    expect(short.status).toBe(401);
    for (const path of ['/api/session', '/api/events', `/api/download?path=${encodeURIComponent(host.transferDir)}`]) {
      expect((await send(port, { path, headers: own() })).status, path).toBe(401);
    }
    expect(
      (await send(port, { method: 'PUT', path: `/api/upload/${'a'.repeat(32)}/x.csv`, headers: own(), body: 'x' }))
        .status,
    ).toBe(401);
  });

  it('refuses a request whose Host is not exactly its loopback address (DNS rebinding)', async () => {
    for (const hostName of ['evil.example', `evil.example:${port}`, `localhost:${port}`, '127.0.0.1']) {
      const r = await invoke('workspace-info', {}, { ...authed(), host: hostName });
      expect(r.status, hostName).toBe(403);
      expect((await send(port, { path: '/', headers: { host: hostName } })).status, hostName).toBe(403);
    }
  });

  it('refuses a request from a foreign Origin, even with the token', async () => {
    for (const origin of ['http://evil.example', `http://localhost:${port}`, 'null', `https://127.0.0.1:${port}`]) {
      expect((await invoke('workspace-info', {}, { ...authed(), origin })).status, origin).toBe(403);
    }
    expect((await invoke('workspace-info', {}, { ...authed(), origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    const crossSite = await invoke('workspace-info', {}, { ...authed(), 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
  });

  it('refuses path arguments outside the workspace folder and the transfer folder', async () => {
    const inside = await invoke('import-inspect', { path: join(workspaceDir, 'leads.csv') });
    expect(JSON.parse(inside.body)).toMatchObject({ ok: true, value: { fileName: 'leads.csv' } });
    for (const path of [
      join(outside, 'leads.csv'),
      '/etc/passwd',
      join(workspaceDir, '..', 'secret.csv'),
      join(workspaceDir, 'link-out.csv'), // a link that leads out
      'leads.csv', // relative: resolved against who knows what
    ]) {
      const r = await invoke('import-inspect', { path });
      expect(r.status, path).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    }
    const write = await invoke('export-leads', { source: { kind: 'all' }, out: join(outside, 'x.csv'), format: 'csv' });
    expect(write.status).toBe(403);
    const open = await invoke('workspace-open', { path: join(outside, 'other.leadbench'), create: true });
    expect(open.status).toBe(403);
    expect(readFileSync(join(outside, 'leads.csv'), 'utf8')).toBe('Email\na@b.co\n');
  });

  it('knows every path argument of the contract', () => {
    const pathLike = /^(path|out|file|dir|folder)$|(Path|File|Dir|Folder)$/;
    const found: string[] = [];
    for (const [name, schema] of Object.entries(handlerArgs)) {
      const shape = (schema as { shape?: Record<string, unknown> }).shape ?? {};
      for (const key of Object.keys(shape)) if (pathLike.test(key)) found.push(`${name}.${key}`);
    }
    const listed = Object.entries(PATH_ARGS).flatMap(([name, keys]) => keys!.map((k) => `${name}.${k}`));
    expect(found.length).toBeGreaterThan(10);
    expect(found.filter((f) => !listed.includes(f))).toEqual([]);
  });

  it('uploads into a private folder, imports from there, and downloads what the backend wrote there once', async () => {
    const id = 'c'.repeat(32);
    const up = await send(port, {
      method: 'PUT',
      path: `/api/upload/${id}/my%20leads.csv`,
      headers: authed(),
      body: 'Email,First name\nann@example.com,Ann\n',
    });
    expect(up.status).toBe(200);
    const uploaded = (JSON.parse(up.body) as { path: string }).path;
    expect(uploaded).toBe(join(host.transferDir, id, 'my leads.csv'));
    const run = await invoke('import-run', { path: uploaded, options: { kind: 'leads' } });
    expect(JSON.parse(run.body)).toMatchObject({ ok: true });
    expect(events.some((e) => e.name === 'data-changed')).toBe(true);

    const target = await send(port, {
      method: 'POST',
      path: '/api/save-target',
      headers: authed(),
      body: '{"name":"../x.csv"}',
    });
    const out = (JSON.parse(target.body) as { path: string }).path;
    expect(resolve(out, '..', '..')).toBe(host.transferDir);
    const exported = await invoke('export-leads', { source: { kind: 'all' }, out, format: 'csv' });
    expect(JSON.parse(exported.body)).toMatchObject({ ok: true, value: { rows: 1 } });
    const download = `/api/download?path=${encodeURIComponent(out)}`;
    const got = await send(port, { path: download, headers: authed() });
    expect(got.status).toBe(200);
    expect(got.headers['content-disposition']).toContain('x.csv');
    expect(got.body).toContain('ann@example.com');
    expect((await send(port, { path: download, headers: authed() })).status).toBe(404); // deleted once sent
  });

  it('refuses uploads with a bad id and downloads from anywhere but the transfer folder', async () => {
    for (const id of ['..', 'abc', `${'d'.repeat(31)}/`]) {
      const r = await send(port, {
        method: 'PUT',
        path: `/api/upload/${encodeURIComponent(id)}/x.csv`,
        headers: authed(),
        body: 'x',
      });
      expect(r.status, id).toBeGreaterThanOrEqual(400);
    }
    for (const path of [join(workspaceDir, 'leads.csv'), join(host.transferDir, '..', 'x'), '/etc/passwd']) {
      const r = await send(port, { path: `/api/download?path=${encodeURIComponent(path)}`, headers: authed() });
      expect(r.status, path).toBe(403);
    }
    expect(readFileSync(join(workspaceDir, 'leads.csv'), 'utf8')).toBe('Email\na@b.co\n');
  });

  it('streams backend events to a client holding the token', async () => {
    const got = new Promise<string>((ok, fail) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/events', headers: authed() }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('job-progress')) {
            req.destroy();
            ok(text);
          }
        });
      });
      req.on('error', fail);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 50)); // the stream is open before the event
    emitTo?.('job-progress', {
      jobId: 'j1',
      kind: 'import',
      phase: 'x',
      done: 1,
      total: 2,
      fraction: 0.5,
      ratePerSec: null,
      finished: false,
    });
    const line = (await got).split('\n').find((l) => l.includes('job-progress'))!;
    expect(JSON.parse(line)).toMatchObject({ name: 'job-progress', payload: { jobId: 'j1' } });
  });

  it('never puts the token in a cookie', async () => {
    const replies = [
      await send(port, { path: `/`, headers: own() }),
      await send(port, { path: `/api/session`, headers: authed() }),
      await invoke('workspace-info', {}),
    ];
    for (const r of replies) expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('serves the page with the desktop app’s CSP, and no file outside the renderer folder', async () => {
    const page = await send(port, { path: '/', headers: own() });
    expect(page.status).toBe(200);
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(page.body)![1]!;
    expect(page.headers['content-security-policy']).toBe(`${meta}; frame-ancestors 'none'`);
    expect((await send(port, { path: '/assets/app.js', headers: own() })).body).toBe('console.log(1)');
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/../../secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%252e%252e/secret.txt',
      '/..%5csecret.txt',
      '/%00index.html',
      '/%',
    ]) {
      const r = await send(port, { path, headers: own() });
      expect(r.status, path).toBe(404);
      expect(r.body, path).not.toContain('outside the renderer folder');
    }
  });
});
