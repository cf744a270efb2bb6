/**
 * Where bundled resources live. The backend is bundled into out/main by electron-vite and
 * into out/cli by scripts/build-cli.mjs, and runs from source in tests, so we walk up from
 * this file to the folder that holds package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findAppRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export const APP_ROOT = findAppRoot();

/** The app's version, from the package.json it ships with (Help > About, `leadbench info`). */
export function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(APP_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Bundled samples, then the real datasets beside a development checkout. */
export function defaultSampleDirs(): string[] {
  return [join(APP_ROOT, 'resources', 'samples'), resolve(APP_ROOT, '..', 'shared', 'data', 'real')];
}
