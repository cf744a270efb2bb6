// The workspace the desktop app would open, computed without Electron: its user-data folder
// is Electron's appData folder joined with the app's name (package.json "name"), and the app
// reopens the workspace it had last (leadbench-shell.json, electron/main/settings.ts) or
// starts with workspaces/Default.leadbench there. `npm start` (browser fallback) and
// `npm run dev` open the same workspace, so all three show the same data.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const APP_NAME = 'leadbench';

export function userDataDir() {
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_NAME);
}

export function defaultWorkspacePath() {
  try {
    const settings = JSON.parse(readFileSync(join(userDataDir(), 'leadbench-shell.json'), 'utf8'));
    if (typeof settings.lastWorkspace === 'string' && existsSync(settings.lastWorkspace)) return settings.lastWorkspace;
  } catch {
    // No settings yet: the first run.
  }
  return join(userDataDir(), 'workspaces', 'Default.leadbench');
}
