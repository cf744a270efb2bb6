/**
 * The File menu's commands that belong to a screen, with their labels: the desktop app's
 * native menu and the browser's sidebar (which has no native menu) show the same words.
 */
import type { MenuCommand } from './contract';

export const MENU_LABELS: Readonly<Record<MenuCommand, string>> = {
  import: 'Import…',
  export: 'Export…',
  roundtrip: 'Apply an Edited Sheet…',
  backup: 'Back Up Workspace…',
  about: 'About Leadbench',
};

/** In menu order. */
export const MENU_COMMANDS: readonly MenuCommand[] = ['import', 'export', 'roundtrip', 'backup', 'about'];
