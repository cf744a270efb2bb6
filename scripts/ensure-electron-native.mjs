// Why: better-sqlite3 is a native module and Node and Electron have different ABIs. `npm
// install` builds it for Node (tests, CLI, bench). The desktop app loads a SECOND copy built
// for Electron from .native/electron-<version>/ (passed to better-sqlite3 as nativeBinding),
// so `npm test` and `npm start` both work in any order without rebuilding back and forth.
// This makes sure the Electron binary and that second copy exist, and does nothing when both
// are there. `npm run dist` runs it as a script (failing loudly); `npm start`
// (scripts/start.mjs) calls ensureElectronNative() and, given a reason instead of null, opens
// Leadbench in the browser.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/**
 * Builds better-sqlite3 for a runtime (electron or node) and ABI into `outFile`, from a copy of
 * its sources in a temp folder: node_modules/better-sqlite3, the Node build the tests and the
 * CLI load, is only read. Throws when the build fails.
 */
export function buildBetterSqlite3({ runtime, target, distUrl, outFile, stdio = 'inherit' }) {
  const source = join(root, 'node_modules', 'better-sqlite3');
  const work = mkdtempSync(join(tmpdir(), 'leadbench-native-'));
  try {
    cpSync(source, join(work, 'better-sqlite3'), {
      recursive: true,
      filter: (p) => !p.includes(`${join('better-sqlite3', 'build')}`),
    });
    const nodeGyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    const args = [nodeGyp, 'rebuild', '--release', `--runtime=${runtime}`, `--target=${target}`];
    if (distUrl) args.push(`--dist-url=${distUrl}`);
    execFileSync(process.execPath, args, { cwd: join(work, 'better-sqlite3'), stdio });
    mkdirSync(dirname(outFile), { recursive: true });
    cpSync(join(work, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), outFile);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Fetches the Electron binary and builds better-sqlite3 for it when missing. Returns null when
 * the desktop app can start, else why not (one sentence). toolOutput 'pipe' keeps the
 * download's and the compiler's own output off the terminal.
 */
export function ensureElectronNative({ toolOutput = 'inherit' } = {}) {
  const electronDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(electronDir, 'package.json'))) return 'Electron is not installed (run `npm install`).';
  const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;

  // 1. The Electron binary. `npm install` never downloads it (package.json's allowScripts keeps
  //    electron's install script from running, so installing works offline): it is fetched here.
  function electronBinaryPresent() {
    try {
      return existsSync(require('electron'));
    } catch {
      return false;
    }
  }
  if (!electronBinaryPresent()) {
    console.log(`leadbench: downloading the Electron ${electronVersion} binary (once)…`);
    try {
      execFileSync(process.execPath, [join(electronDir, 'install.js')], { stdio: toolOutput, cwd: electronDir });
    } catch {
      return `the Electron ${electronVersion} binary could not be downloaded (no network?).`;
    }
  }

  // 2. better-sqlite3 built for Electron's ABI, beside (not instead of) the Node build.
  const target = join(root, '.native', `electron-${electronVersion}`, 'better_sqlite3.node');
  if (existsSync(target)) return null;
  console.log(`leadbench: building better-sqlite3 for Electron ${electronVersion} (once, ~1 minute)…`);
  try {
    buildBetterSqlite3({
      runtime: 'electron',
      target: electronVersion,
      distUrl: 'https://electronjs.org/headers',
      outFile: target,
      stdio: toolOutput,
    });
    console.log(`leadbench: built ${target}`);
    return null;
  } catch {
    return (
      'building better-sqlite3 for Electron failed (it needs the Electron headers from the network, once, and a C++ ' +
      'toolchain: Xcode command line tools, Visual Studio Build Tools or build-essential).'
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const why = ensureElectronNative();
  if (why) {
    console.error(`\nleadbench: ${why} The tests do not need Electron (they run in Chromium); the desktop app does.\n`);
    process.exit(1);
  }
}
