/**
 * The e2e harness. Each test gets:
 *  - a brand-new workspace file in a temp folder, opened by the REAL backend (createBackend,
 *    the same handler table the Electron worker runs) in this test process;
 *  - the BUILT renderer (out/renderer, or $LEADBENCH_RENDERER_DIR) served from a
 *    loopback-only static server;
 *  - window.api injected before the app loads, relaying invoke() to the backend through
 *    page.exposeBinding, pushing backend events into the page, and answering the native
 *    shell functions (file dialogs) from queues the test fills.
 * Only the native Electron shell differs from the desktop app.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { createBackend, type Backend } from '../../electron/backend/backend';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const REAL_DATA = resolve(REPO_ROOT, '../shared/data/real');
const RENDERER_DIR = resolve(process.env.LEADBENCH_RENDERER_DIR ?? join(REPO_ROOT, 'out/renderer'));
const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results/screenshots');

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function serveRenderer(): Promise<{ server: Server; url: string }> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`No built renderer at ${RENDERER_DIR}: run "npm run build" first (npm run test:e2e does).`);
  }
  const server = createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(RENDERER_DIR, urlPath === '/' ? 'index.html' : urlPath));
    if (!file.startsWith(RENDERER_DIR) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      ok({ server, url: `http://127.0.0.1:${port}/index.html` });
    }),
  );
}

export type AppHarness = Readonly<{
  page: Page;
  backend: Backend;
  /** The temp workspace file. */
  workspacePath: string;
  /** A temp folder for the test's own files (fixtures it writes, exports). */
  dir: string;
  /** The next open-file dialog answers with this path (null = user cancelled). */
  queueOpenPath: (path: string | null) => void;
  /** The next save-file dialog answers with this path (null = user cancelled). */
  queueSavePath: (path: string | null) => void;
  /** Opens the app (after the test has prepared data through `backend` if it wants). */
  open: () => Promise<void>;
  /** Saves a screenshot to test-results/screenshots/NAME.png and returns its path. */
  screenshot: (name: string) => Promise<string>;
}>;

/** Browser-side glue: defines window.api on top of the exposed bindings. */
function installApi(): void {
  type Listener = (payload: unknown) => void;
  const listeners = new Map<string, Set<Listener>>();
  const w = window as unknown as Record<string, unknown> & {
    __lbInvoke: (name: string, args: unknown) => Promise<unknown>;
    __lbShell: (fn: string, arg: unknown) => Promise<unknown>;
  };
  w.__lbDispatch = (name: string, payload: unknown) => {
    for (const fn of listeners.get(name) ?? []) fn(payload);
  };
  w.api = Object.freeze({
    invoke: (name: string, args: unknown) => w.__lbInvoke(name, args ?? {}),
    on: (name: string, fn: Listener) => {
      const set = listeners.get(name) ?? new Set<Listener>();
      set.add(fn);
      listeners.set(name, set);
      return () => set.delete(fn);
    },
    shell: Object.freeze({
      openFileDialog: (o: unknown) => w.__lbShell('openFileDialog', o),
      saveFileDialog: (o: unknown) => w.__lbShell('saveFileDialog', o),
      pathForFile: (file: { name?: string }) =>
        ((w.__lbDroppedPaths ?? {}) as Record<string, string>)[file.name ?? ''] ?? '',
    }),
  });
}

export const test = base.extend<{ app: AppHarness }>({
  app: async ({ page }, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'leadbench-e2e-'));
    const workspacePath = join(dir, 'e2e.leadbench');
    const openQueue: (string | null)[] = [];
    const saveQueue: (string | null)[] = [];
    let pageReady = false;
    const backend = createBackend({
      workspacePath,
      sampleDirs: [join(REPO_ROOT, 'resources/samples'), REAL_DATA],
      emit: (name, payload) => {
        if (!pageReady) return;
        page
          .evaluate(
            ([n, p]) => (window as unknown as { __lbDispatch: (a: unknown, b: unknown) => void }).__lbDispatch(n, p),
            [name, payload] as const,
          )
          .catch(() => undefined);
      },
    });
    const { server, url } = await serveRenderer();
    await page.exposeBinding('__lbInvoke', (_source, name: string, args: unknown) => backend.handle(name, args));
    await page.exposeBinding('__lbShell', (_source, fn: string) => {
      if (fn === 'openFileDialog') return openQueue.shift() ?? null;
      if (fn === 'saveFileDialog') return saveQueue.shift() ?? null;
      return null;
    });
    await page.addInitScript(installApi);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));

    await use({
      page,
      backend,
      workspacePath,
      dir,
      queueOpenPath: (p) => openQueue.push(p),
      queueSavePath: (p) => saveQueue.push(p),
      open: async () => {
        await page.goto(url);
        pageReady = true;
        await expect(page.getByTestId('statusbar')).toBeVisible();
      },
      screenshot: async (name) => {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const path = join(SCREENSHOT_DIR, `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
    });

    pageReady = false;
    server.close();
    backend.close();
    rmSync(dir, { recursive: true, force: true });
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };
