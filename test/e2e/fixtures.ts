/**
 * The e2e harness: every test drives Leadbench the way a user runs it in a browser.
 *  - A brand-new workspace file in a temp folder, served by the real `leadbench serve
 *    --no-open --port 0 --db <workspace>` (bin/leadbench.mjs) as a child process: the
 *    backend worker, the web host, its session token, its upload and download paths.
 *  - Chromium opens the address the command printed (…/#token=…).
 *  - `app.backend.invoke(name, args)` is the same HTTP API the page uses, with the token.
 *  - File dialogs: `queueOpenPath(path)` answers the next file chooser (<input type=file>,
 *    so the file is uploaded like a user's pick); `queueSavePath(path)` saves the next
 *    download the page receives to that path.
 * Nothing of our own is mocked; the only difference from the desktop app is the shell.
 */
import { test as base, expect, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type {
  HandlerArgs,
  HandlerName,
  HandlerResult,
  ImportSummary,
  MenuCommand,
  Result,
} from '../../shared/contract';
import { MENU_LABELS } from '../../shared/menu';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const REAL_DATA = resolve(REPO_ROOT, '../shared/data/real');
const LEADBENCH_BIN = join(REPO_ROOT, 'bin/leadbench.mjs');
const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results/screenshots');
const ADDRESS_LINE = /^(http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+)$/m;
const TOKEN_HEADER = 'x-leadbench-token';

/** A backend failure as the API reported it (code + message). */
export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

/** The backend as the page sees it: the web host's HTTP API, with the session token. */
export type HarnessBackend = Readonly<{
  /** The handler's Result, as the page's window.api.invoke returns it. */
  handle: (name: string, args: unknown) => Promise<Result<unknown>>;
  /** The handler's value; throws ApiCallError when the call fails. */
  invoke: <K extends HandlerName>(name: K, args: HandlerArgs<K>) => Promise<HandlerResult<K>>;
}>;

export type AppHarness = Readonly<{
  page: Page;
  backend: HarnessBackend;
  /** The temp workspace file. */
  workspacePath: string;
  /** The workspace's folder, a temp folder for the test's own files (fixtures it writes, exports). */
  dir: string;
  /** The server's origin (http://127.0.0.1:PORT) and token, for tests of the host itself. */
  origin: string;
  token: string;
  /** The next file chooser gets this file (null = the user cancels). */
  queueOpenPath: (path: string | null) => void;
  /** The next download is saved to this path (null = discarded). */
  queueSavePath: (path: string | null) => void;
  /** Copies a file into the workspace folder (the only folder besides uploads that the API may read). */
  stage: (path: string) => string;
  /** Writes `text` to a file in the workspace folder and returns its path. */
  writeFile: (name: string, text: string) => string;
  /**
   * Imports an activity log through the backend, as a file the user picked: rows of
   * email, type as the file words it ("Page View"), asset and time, one CSV in the workspace folder.
   */
  importActivities: (rows: readonly ActivityRow[], fileName?: string) => Promise<ImportSummary>;
  /** A read-only connection to the workspace file, for assertions (writes go through the API). */
  readDb: () => Database.Database;
  /** What the native File menu does: in a browser, the sidebar's File commands. */
  menu: (command: MenuCommand) => Promise<void>;
  /** Opens the app (after the test has prepared data through `backend` if it wants). */
  open: () => Promise<void>;
  /** Saves a screenshot to test-results/screenshots/NAME.png and returns its path. */
  screenshot: (name: string) => Promise<string>;
}>;

/** One activity of a log importActivities writes: who, what (the file's own word), on what, when. */
export type ActivityRow = Readonly<{ email: string; type: string; asset: string; at: Date }>;

type Serving = Readonly<{ child: ChildProcess; origin: string; token: string; output: () => string }>;

/** Starts `leadbench serve` and waits for the address line it prints. */
export function startServe(workspacePath: string, extraArgs: readonly string[] = []): Promise<Serving> {
  const child = spawn(
    process.execPath,
    [LEADBENCH_BIN, 'serve', '--no-open', '--port', '0', '--db', workspacePath, ...extraArgs],
    // Its own process group, so stopping it also stops whatever it started.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let out = '';
  let err = '';
  const output = () => `${out}${err}`;
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`leadbench serve printed no address in 60 s:\n${output()}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = ADDRESS_LINE.exec(out);
      if (m) {
        clearTimeout(timer);
        ok({ child, origin: m[1]!, token: m[2]!, output });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`leadbench serve exited (${code}) before printing its address:\n${output()}`));
    });
  });
}

/** Stops a `leadbench serve` (Ctrl+C, as a user would) and waits for it to exit. */
export async function stopServe(serving: Serving): Promise<number | null> {
  const { child } = serving;
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  process.kill(-child.pid!, 'SIGINT');
  const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(killer);
  return code;
}

export function httpBackend(origin: string, token: string): HarnessBackend {
  const handle = async (name: string, args: unknown): Promise<Result<unknown>> => {
    const res = await fetch(`${origin}/api/invoke/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { [TOKEN_HEADER]: token, 'content-type': 'application/json' },
      body: JSON.stringify(args ?? {}),
    });
    return (await res.json()) as Result<unknown>;
  };
  return {
    handle,
    invoke: (async (name: string, args: unknown) => {
      const r = await handle(name, args);
      if (!r.ok) throw new ApiCallError(r.error.code, r.error.message);
      return r.value;
    }) as HarnessBackend['invoke'],
  };
}

export const test = base.extend<{ app: AppHarness }>({
  app: async ({ page }, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'leadbench-e2e-'));
    const workspacePath = join(dir, 'e2e.leadbench');
    const serving = await startServe(workspacePath);
    const openQueue: (string | null)[] = [];
    const saveQueue: (string | null)[] = [];
    const opened: { db?: Database.Database } = {};

    page.on('filechooser', (chooser) => {
      const next = openQueue.shift() ?? null;
      void chooser.setFiles(next === null ? [] : [next]);
    });
    // The download's bytes are written before the page sees them, so a test that waits for
    // the page to report the export finds the file in place.
    await page.route(`${serving.origin}/api/download?*`, async (route) => {
      const response = await route.fetch();
      const body = await response.body();
      const target = saveQueue.shift() ?? null;
      if (target !== null && response.ok()) writeFileSync(target, body);
      await route.fulfill({ response, body });
    });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));

    const backend = httpBackend(serving.origin, serving.token);
    await use({
      page,
      backend,
      workspacePath,
      dir,
      origin: serving.origin,
      token: serving.token,
      queueOpenPath: (p) => openQueue.push(p),
      queueSavePath: (p) => saveQueue.push(p),
      stage: (p) => {
        const target = join(dir, basename(p));
        copyFileSync(p, target);
        return target;
      },
      writeFile: (name, text) => {
        const target = join(dir, name);
        writeFileSync(target, text);
        return target;
      },
      importActivities: (rows, fileName = 'activities.csv') => {
        const csv = [
          'Email,Activity Type,Asset,Timestamp',
          ...rows.map((r) => [r.email, r.type, r.asset, r.at.toISOString()].join(',')),
        ];
        writeFileSync(join(dir, fileName), csv.join('\n'));
        return backend.invoke('import-run', {
          path: join(dir, fileName),
          options: {
            kind: 'activities',
            mapping: {
              Email: 'email',
              'Activity Type': 'activity.type',
              Asset: 'activity.asset',
              Timestamp: 'activity.time',
            },
          },
        });
      },
      readDb: () => (opened.db ??= new Database(workspacePath, { readonly: true, fileMustExist: true })),
      menu: async (command) => {
        const sidebar = page.getByRole('navigation', { name: 'Sections' });
        if (command === 'import') return sidebar.getByRole('button', { name: 'Import' }).click(); // a section
        await sidebar.getByRole('button', { name: 'File' }).click();
        await sidebar.getByRole('menu', { name: 'File' }).getByRole('menuitem', { name: MENU_LABELS[command] }).click();
      },
      open: async () => {
        await page.goto(`${serving.origin}/#token=${serving.token}`);
        await expect(page.getByTestId('statusbar')).toBeVisible();
      },
      screenshot: async (name) => {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const path = join(SCREENSHOT_DIR, `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
    });

    opened.db?.close();
    await page.close();
    await stopServe(serving);
    rmSync(dir, { recursive: true, force: true });
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };
