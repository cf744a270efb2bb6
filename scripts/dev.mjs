// `npm run dev`: the renderer with hot reload against the real backend, through the same web
// host as `leadbench serve` (electron/web-host/dev.ts), on the workspace the app would open.
// Extra arguments pass through (e.g. `npm run dev -- --db other.leadbench --port 5173`).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultWorkspacePath } from './app-paths.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const db = args.includes('--db') ? [] : ['--db', defaultWorkspacePath()];
const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(root, 'electron', 'web-host', 'dev.ts'), ...db, ...args],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.on('SIGINT', () => undefined); // the child gets Ctrl+C itself and stops cleanly
child.on('exit', (code) => process.exit(code ?? 0));
