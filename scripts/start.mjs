// `npm start`: the desktop app where Electron can run; anywhere else (no display, no Electron
// binary and no network to fetch it, no toolchain for its native module) one line says why
// and Leadbench opens in the browser instead (`leadbench serve` on the workspace the app
// would open), so `npm install && npm start` shows Leadbench on any machine.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { defaultWorkspacePath } from './app-paths.mjs';
import { ensureElectronNative } from './ensure-electron-native.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Null when the desktop app can start here, else why not. */
function whyNoDesktop() {
  if (process.env.LEADBENCH_BROWSER) return 'LEADBENCH_BROWSER is set.';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set).';
  }
  return ensureElectronNative({ toolOutput: 'pipe' });
}

/** Runs a child with our terminal; Ctrl+C reaches it (same process group) and it shuts down itself. */
function runAttached(cmd, args) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const why = whyNoDesktop();
if (
  spawnSync(npm, ['run', '-s', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
    .status !== 0
) {
  process.exit(1);
}
if (why === null) {
  const electron = createRequire(import.meta.url)('electron');
  runAttached(electron, ['.']);
} else {
  console.log(`leadbench: the desktop app cannot start here: ${why} Opening Leadbench in your browser instead.`);
  runAttached(process.execPath, [join(root, 'bin', 'leadbench.mjs'), 'serve', '--db', defaultWorkspacePath()]);
}
