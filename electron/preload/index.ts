/**
 * Preload (sandboxed, context-isolated): exposes window.api and nothing else.
 * invoke() only forwards names the contract declares (the list comes from the main
 * process once, at load); the main process and the backend validate again.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { LeadbenchApi } from '../../shared/contract';
import { createEventHub } from '../../shared/contract/event-hub';

const handlerNames = new Set<string>(ipcRenderer.sendSync('lb:handler-names') as string[]);
const events = createEventHub();

ipcRenderer.on('lb:event', (_event, name: string, payload: unknown) => events.dispatch(name, payload));

const api: LeadbenchApi = {
  invoke: ((name: string, args: unknown) => {
    if (!handlerNames.has(name)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_HANDLER', message: `Unknown request "${name}".` } });
    }
    return ipcRenderer.invoke('lb:invoke', name, args);
  }) as LeadbenchApi['invoke'],
  on: events.on,
  shell: {
    nativeMenu: true,
    openFileDialog: (o) => ipcRenderer.invoke('lb:open-file-dialog', o) as Promise<string | null>,
    saveFileDialog: (o) => ipcRenderer.invoke('lb:save-file-dialog', o) as Promise<string | null>,
    pathForFile: (file) => webUtils.getPathForFile(file as File),
  },
};

contextBridge.exposeInMainWorld('api', api);
