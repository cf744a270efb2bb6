/**
 * Which handler arguments are filesystem paths, and the rule the web host applies to them:
 * through the browser, a handler may only reach files inside the workspace folder or the
 * host's private transfer folder (uploads and downloads). The desktop app passes paths the
 * user picked in native dialogs; a web page could send any string, so the host checks
 * before relaying. Symbolic links are resolved, so a link cannot lead out of an allowed folder.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { HandlerName } from '../../shared/contract';

/** Every handler argument that names a file or folder (a test checks the contract for more). */
export const PATH_ARGS: Readonly<Partial<Record<HandlerName, readonly string[]>>> = {
  'workspace-open': ['path'],
  'import-inspect': ['path'],
  'import-profile': ['path'],
  'import-preview': ['path'],
  'import-run': ['path'],
  'import-errors-export': ['path'],
  'model-import-json': ['path'],
  'model-export-json': ['path'],
  'report-export': ['path'],
  'export-leads': ['out'],
  'export-owner-packs': ['out'],
  'export-report': ['out'],
  'roundtrip-inspect': ['path'],
  'roundtrip-apply': ['path'],
  'workspace-backup': ['out'],
};

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (files about to be written). */
function realpathOrAncestor(p: string): string {
  const tail: string[] = [];
  let current = resolve(p);
  for (;;) {
    try {
      return join(realpathSync.native(current), ...tail.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return resolve(p);
      tail.push(basename(current));
      current = parent;
    }
  }
}

export function isInside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** True when `p` (absolute) lies inside one of `roots` once links are resolved. */
export function isAllowedPath(roots: readonly string[], p: string): boolean {
  if (!isAbsolute(p) || p.includes('\0')) return false;
  const real = realpathOrAncestor(p);
  return roots.some((root) => isInside(realpathOrAncestor(root), real));
}

/** The first path argument of a call that lies outside `roots`, or null when every one is allowed. */
export function refusedPathArg(name: string, args: unknown, roots: readonly string[]): string | null {
  const keys = PATH_ARGS[name as HandlerName];
  if (!keys || typeof args !== 'object' || args === null) return null;
  for (const key of keys) {
    const value = (args as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !isAllowedPath(roots, value)) return String(value);
  }
  return null;
}
