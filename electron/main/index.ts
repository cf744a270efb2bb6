/**
 * Electron main process: app lifecycle, the window, menus, native dialogs, and a relay
 * between the renderer and the backend worker (which owns SQLite). Thin on purpose:
 * every product rule lives in electron/backend and shared/.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  net,
  protocol,
  session,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
} from 'electron';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HANDLER_NAMES, type FileFilter, type MenuCommand, type WorkspaceInfo } from '../../shared/contract';
import { startBackendWorker, type WorkerClient } from '../backend/worker-client';
import { buildMenu } from './menu';
import {
  APP_INDEX_URL,
  APP_SCHEME,
  appFilePath,
  isTrustedFrameUrl,
  permissionAllowed,
  SaveDialogPaths,
  writePathRefusal,
} from './security';
import { workspaceArgument } from './open-file';
import { loadSettings, saveSettings, type ShellSettings } from './settings';

const here = fileURLToPath(new URL('.', import.meta.url));
const appRoot = app.getAppPath();
const isDev = !app.isPackaged;
const settingsFile = join(app.getPath('userData'), 'leadbench-shell.json');
const WORKSPACE_FILTERS = [{ name: 'Leadbench workspace', extensions: ['leadbench'] }];

let mainWindow: BrowserWindow | null = null;
let backend: WorkerClient | null = null;
let settings: ShellSettings = loadSettings(settingsFile);
/** A workspace asked for before the backend was up (command line, macOS open-file). */
let requestedWorkspace: string | null = workspaceArgument(process.argv, process.cwd());
let backendStarted = false;
/** The open workspace's folder: the renderer may write inside it (security.ts). */
let workspaceDir: string | null = null;
/** Paths this process's save dialogs returned: the renderer may write each once (security.ts). */
const saveDialogPaths = new SaveDialogPaths();

// Before app ready: app:// is a standard, secure origin (fetch, workers and CSP 'self' work).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

/** The dev server's origin in development (hot reload), else undefined. */
function devOrigin(): string | undefined {
  return isDev ? process.env.ELECTRON_RENDERER_URL : undefined;
}

/**
 * better-sqlite3 built for Electron's ABI, always given to better-sqlite3 (whose JavaScript is
 * bundled into out/main, so it has no package folder to look in). Packaged: resources/native/
 * (electron-builder.yml's afterPack hook puts it there). From a checkout: .native/, where
 * `npm start` builds it beside the Node build in node_modules (scripts/ensure-electron-native.mjs).
 */
function nativeBinding(): string {
  return app.isPackaged
    ? join(process.resourcesPath, 'native', 'better_sqlite3.node')
    : join(appRoot, '.native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
}

function sampleDirs(): string[] {
  return app.isPackaged
    ? [join(process.resourcesPath, 'samples')]
    : [join(appRoot, 'resources', 'samples'), join(appRoot, '..', 'shared', 'data', 'real')];
}

function defaultWorkspace(): string {
  const last = settings.lastWorkspace;
  if (last && existsSync(last)) return last;
  return join(app.getPath('userData'), 'workspaces', 'Default.leadbench');
}

function setTitle(info: WorkspaceInfo): void {
  mainWindow?.setTitle(`${info.name} — ${info.path} — Leadbench`);
  mainWindow?.setRepresentedFilename(info.path);
  workspaceDir = dirname(info.path);
  settings = { ...settings, lastWorkspace: info.path };
  saveSettings(settingsFile, settings);
}

function toDialogFilters(filters: unknown): { name: string; extensions: string[] }[] {
  if (!Array.isArray(filters)) return [];
  return filters
    .filter((f): f is FileFilter => typeof f?.name === 'string' && Array.isArray(f?.extensions))
    .map((f) => ({ name: f.name, extensions: f.extensions.filter((x) => typeof x === 'string') }));
}

/** Our window's top frame, showing our own page (not an iframe, not a page navigated elsewhere). */
function isTrustedSender(event: IpcMainInvokeEvent | IpcMainEvent): boolean {
  if (mainWindow === null || event.sender.id !== mainWindow.webContents.id) return false;
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isTrustedFrameUrl(frame.url, devOrigin());
}

async function openWorkspace(path: string, create: boolean): Promise<void> {
  if (!backend) return;
  const result = await backend.invoke('workspace-open', { path, create });
  if (!result.ok) {
    dialog.showErrorBox(`Could not open ${basename(path)}`, result.error.message);
  }
}

/** Opens a workspace someone asked for from outside (a .leadbench file), now or once the backend runs. */
function requestWorkspace(path: string): void {
  if (!backendStarted) {
    requestedWorkspace = path;
    return;
  }
  if (mainWindow?.isMinimized()) mainWindow.restore();
  mainWindow?.focus();
  void openWorkspace(path, false);
}

function sendMenuCommand(command: MenuCommand): void {
  mainWindow?.webContents.send('lb:event', 'menu-command', { command });
}

function createWindow(): void {
  const bounds = settings.bounds;
  mainWindow = new BrowserWindow({
    width: bounds?.width ?? 1360,
    height: bounds?.height ?? 860,
    ...(bounds ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Leadbench',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (settings.maximized) mainWindow.maximize();
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  mainWindow.webContents.on('will-navigate', (e) => e.preventDefault());
  mainWindow.on('close', () => {
    if (!mainWindow) return;
    settings = { ...settings, bounds: mainWindow.getNormalBounds(), maximized: mainWindow.isMaximized() };
    saveSettings(settingsFile, settings);
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  const devUrl = devOrigin();
  void mainWindow.loadURL(devUrl ?? APP_INDEX_URL);
}

function registerIpc(): void {
  const names = new Set<string>(HANDLER_NAMES);
  ipcMain.on('lb:handler-names', (event) => {
    event.returnValue = isTrustedSender(event) ? HANDLER_NAMES : [];
  });
  ipcMain.handle('lb:invoke', async (event, name: unknown, args: unknown) => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'BAD_ARGUMENT', message: 'Untrusted sender.' } };
    if (typeof name !== 'string' || !names.has(name)) {
      return { ok: false, error: { code: 'UNKNOWN_HANDLER', message: `Unknown request "${String(name)}".` } };
    }
    if (!backend) return { ok: false, error: { code: 'INTERNAL', message: 'The backend is not running.' } };
    const refused = writePathRefusal(name, args, saveDialogPaths, workspaceDir);
    if (refused) return { ok: false, error: { code: 'BAD_ARGUMENT', message: refused } };
    return backend.invoke(name, args);
  });
  ipcMain.handle('lb:open-file-dialog', async (event, o: { title?: unknown; filters?: unknown }) => {
    if (!isTrustedSender(event) || !mainWindow) return null;
    const r = await dialog.showOpenDialog(mainWindow, {
      title: typeof o?.title === 'string' ? o.title : 'Open',
      properties: ['openFile'],
      filters: toDialogFilters(o?.filters),
    });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
  ipcMain.handle(
    'lb:save-file-dialog',
    async (event, o: { title?: unknown; defaultPath?: unknown; filters?: unknown }) => {
      if (!isTrustedSender(event) || !mainWindow) return null;
      const r = await dialog.showSaveDialog(mainWindow, {
        title: typeof o?.title === 'string' ? o.title : 'Save',
        ...(typeof o?.defaultPath === 'string' ? { defaultPath: o.defaultPath } : {}),
        filters: toDialogFilters(o?.filters),
      });
      if (r.canceled || !r.filePath) return null;
      saveDialogPaths.issue(r.filePath);
      return r.filePath;
    },
  );
}

async function startBackend(): Promise<void> {
  backend = startBackendWorker(join(here, 'worker.js'), {
    workspacePath: defaultWorkspace(),
    nativeBinding: nativeBinding(),
    sampleDirs: sampleDirs(),
  });
  backend.onEvent((name, payload) => {
    if (name === 'workspace-changed') setTitle(payload as WorkspaceInfo);
    mainWindow?.webContents.send('lb:event', name, payload);
  });
  await backend.ready;
  backendStarted = true;
  const info = await backend.invoke('workspace-info', {});
  if (info.ok) setTitle(info.value as WorkspaceInfo);
  // Opened after the default one, so a file that cannot be opened is reported, not fatal.
  if (requestedWorkspace) await openWorkspace(requestedWorkspace, false);
  requestedWorkspace = null;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A second launch (e.g. a double-clicked .leadbench file on Windows or Linux) hands its
  // command line to this instance and quits.
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const path = workspaceArgument(argv, workingDirectory);
    if (path) requestWorkspace(path);
    else if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  // macOS opens files through this event, also before the app is ready (launch by double-click).
  app.on('open-file', (event, path) => {
    event.preventDefault();
    requestWorkspace(path);
  });

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  void app.whenReady().then(async () => {
    // The built renderer, served from app://leadbench/ (never file://); nothing outside it.
    const rendererRoot = join(here, '../renderer');
    protocol.handle(APP_SCHEME, (request) => {
      const file = appFilePath(request.url, rendererRoot);
      return file ? net.fetch(pathToFileURL(file).toString()) : new Response('Not found', { status: 404 });
    });
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) => {
      callback(permissionAllowed(permission, details.requestingUrl, devOrigin()));
    });
    session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
      permissionAllowed(permission, requestingOrigin, devOrigin()),
    );
    registerIpc();
    Menu.setApplicationMenu(
      buildMenu({
        isDev,
        send: sendMenuCommand,
        newWorkspace: () => {
          if (!mainWindow) return;
          void dialog
            .showSaveDialog(mainWindow, {
              title: 'New workspace',
              defaultPath: 'Leads.leadbench',
              filters: WORKSPACE_FILTERS,
            })
            .then((r) => (r.canceled || !r.filePath ? undefined : openWorkspace(r.filePath, true)));
        },
        openWorkspace: () => {
          if (!mainWindow) return;
          void dialog
            .showOpenDialog(mainWindow, {
              title: 'Open workspace',
              properties: ['openFile'],
              filters: WORKSPACE_FILTERS,
            })
            .then((r) => (r.canceled || !r.filePaths[0] ? undefined : openWorkspace(r.filePaths[0], false)));
        },
      }),
    );
    try {
      await startBackend();
    } catch (err) {
      dialog.showErrorBox('Leadbench could not start', err instanceof Error ? err.message : String(err));
      app.quit();
      return;
    }
    createWindow();
  });

  app.on('window-all-closed', () => {
    void backend?.terminate();
    app.quit();
  });
}
