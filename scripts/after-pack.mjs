// electron-builder afterPack hook (see electron-builder.yml): puts better-sqlite3 built for the
// packaged Electron into resources/native/, where electron/main hands it to better-sqlite3 as
// nativeBinding. It is the build scripts/ensure-electron-native.mjs made in .native/ (the first
// step of `npm run dist`): packaging never rebuilds the copy in node_modules, which stays the
// Node build that the tests and the CLI load.
//
// LEADBENCH_NATIVE_MODULE names another file to ship instead (the packaging test uses it, as it
// builds against a stand-in Electron that has no native build of its own).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where ensure-electron-native.mjs builds better-sqlite3 for this Electron version. */
export function electronNativeModule(electronVersion) {
  return join(ROOT, '.native', `electron-${electronVersion}`, 'better_sqlite3.node');
}

export default async function afterPack(context) {
  const electronVersion = context.packager.config.electronVersion;
  const source = process.env.LEADBENCH_NATIVE_MODULE || electronNativeModule(electronVersion);
  if (!existsSync(source)) {
    throw new Error(
      `${source} is missing: better-sqlite3 is not built for Electron ${electronVersion}. ` +
        'Run `npm run dist`, whose first step (scripts/ensure-electron-native.mjs) builds it.',
    );
  }
  const target = join(context.packager.getResourcesDir(context.appOutDir), 'native');
  mkdirSync(target, { recursive: true });
  copyFileSync(source, join(target, 'better_sqlite3.node'));
}
