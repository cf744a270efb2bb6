/**
 * Small JSON settings the shell keeps in the user-data folder: the window's last bounds
 * and the last workspace opened. Corrupt or missing files fall back to defaults.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type ShellSettings = {
  bounds?: { x: number; y: number; width: number; height: number };
  maximized?: boolean;
  lastWorkspace?: string;
};

export function loadSettings(file: string): ShellSettings {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as ShellSettings) : {};
  } catch {
    return {};
  }
}

export function saveSettings(file: string, settings: ShellSettings): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(settings, null, 2));
}
