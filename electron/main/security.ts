/**
 * The main process's checks on what the renderer may do, kept free of Electron imports so
 * the unit tests can run them (Electron cannot start in CI):
 *
 * - The renderer is served from app://leadbench/ (appFilePath), never file://, so a page has
 *   one origin of its own and cannot read other local files by URL.
 * - IPC is answered only for the main frame of our window showing our own origin
 *   (isTrustedFrameUrl): an iframe or a page navigated elsewhere gets nothing.
 * - Permissions: only notifications, only for our origin (permissionAllowed), for both the
 *   request and the check handler.
 * - A path the renderer passes for WRITING (exports, backups, save-as) must be one a save
 *   dialog of this process returned (SaveDialogPaths, each usable once) or lie inside the
 *   workspace's folder (writePathRefusal). Renderer code alone cannot write anywhere else.
 */
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import type { HandlerName } from '../../shared/contract';
import { isAllowedPath } from '../web-host/allowed-paths';

export const APP_SCHEME = 'app';
export const APP_HOST = 'leadbench';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * The file under `root` an app:// URL names, or null: another host, a path leaving the root
 * (`..`, encoded or not, backslashes), NUL bytes. "/" is index.html.
 */
export function appFilePath(url: string, root: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const file = normalize(join(root, ...(segments.length ? segments : ['index.html'])));
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return file;
}

/** Our page: app://leadbench/..., or in development the dev server's origin. */
export function isTrustedFrameUrl(url: string | undefined, devOrigin?: string): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true;
  if (!devOrigin) return false;
  try {
    return parsed.origin === new URL(devOrigin).origin;
  } catch {
    return false;
  }
}

/** The one permission the app uses (follow-up reminders), for our own page only. */
export function permissionAllowed(permission: string, url: string | undefined, devOrigin?: string): boolean {
  return permission === 'notifications' && isTrustedFrameUrl(url, devOrigin);
}

/** Handler arguments the backend WRITES to (other path arguments are only read). */
export const WRITE_PATH_ARGS: Readonly<Partial<Record<HandlerName, readonly string[]>>> = {
  'import-errors-export': ['path'],
  'model-export-json': ['path'],
  'report-export': ['path'],
  'export-leads': ['out'],
  'export-owner-packs': ['out'],
  'export-report': ['out'],
  'workspace-backup': ['out'],
};

/** Paths save dialogs returned, each good for one write within `ttlMs`. */
export class SaveDialogPaths {
  private readonly issued = new Map<string, number>();

  constructor(
    private readonly ttlMs = 30 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  issue(path: string): void {
    this.issued.set(normalize(path), this.now() + this.ttlMs);
  }

  /** True (and forgotten) when a dialog issued `path` and it has not expired. */
  consume(path: string): boolean {
    const key = normalize(path);
    const until = this.issued.get(key);
    if (until === undefined) return false;
    this.issued.delete(key);
    return until >= this.now();
  }
}

/**
 * Why a call may not write where it asks, or null when it may: each write-path argument
 * must come from a save dialog (consumed here) or lie inside the workspace's folder.
 */
export function writePathRefusal(
  name: string,
  args: unknown,
  dialogs: SaveDialogPaths,
  workspaceDir: string | null,
): string | null {
  const keys = WRITE_PATH_ARGS[name as HandlerName];
  if (!keys || typeof args !== 'object' || args === null) return null;
  for (const key of keys) {
    const value = (args as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !isAbsolute(value)) return `"${String(value)}" is not a full path.`;
    if (workspaceDir !== null && isAllowedPath([workspaceDir], value)) continue;
    if (dialogs.consume(value)) continue;
    return `Leadbench writes only where you chose in a save dialog or inside the workspace's folder, not to ${value}.`;
  }
  return null;
}
