/** The application menu. Commands that belong to a screen are forwarded to the renderer. */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/contract';
import { MENU_LABELS } from '../../shared/menu';

export type MenuActions = Readonly<{
  newWorkspace: () => void;
  openWorkspace: () => void;
  send: (command: MenuCommand) => void;
  isDev: boolean;
}>;

export function buildMenu(actions: MenuActions): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Workspace…', accelerator: 'CmdOrCtrl+Shift+N', click: actions.newWorkspace },
        { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: actions.openWorkspace },
        { type: 'separator' },
        { label: MENU_LABELS.import, accelerator: 'CmdOrCtrl+I', click: () => actions.send('import') },
        { label: MENU_LABELS.export, accelerator: 'CmdOrCtrl+E', click: () => actions.send('export') },
        { label: MENU_LABELS.roundtrip, click: () => actions.send('roundtrip') },
        { label: MENU_LABELS.backup, click: () => actions.send('backup') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit', label: 'Quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(actions.isDev
          ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }]
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { label: 'Help', submenu: [{ label: MENU_LABELS.about, click: () => actions.send('about') }] },
  ];
  return Menu.buildFromTemplate(template);
}
