/**
 * Where bundled resources live. The backend is bundled into out/main by electron-vite and
 * into out/cli by scripts/build-cli.mjs, and runs from source in tests, so we walk up from
 * this file to the folder that holds package.json.
 */
import { existsSync } from 'node:fs';
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

/** Bundled samples, then the real datasets beside a development checkout. */
export function defaultSampleDirs(): string[] {
  return [join(APP_ROOT, 'resources', 'samples'), resolve(APP_ROOT, '..', 'shared', 'data', 'real')];
}
