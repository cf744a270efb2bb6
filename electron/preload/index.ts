/**
 * Preload (sandboxed, context-isolated): exposes window.api and nothing else.
 * invoke() only forwards names the contract declares (the list comes from the main
 * process once, at load); the main process and the backend validate again.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { LeadbenchApi } from '../../shared/contract';

const handlerNames = new Set<string>(ipcRenderer.sendSync('lb:handler-names') as string[]);
type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on('lb:event', (_event, name: string, payload: unknown) => {
  for (const fn of listeners.get(name) ?? []) fn(payload);
});

const api: LeadbenchApi = {
  invoke: ((name: string, args: unknown) => {
    if (!handlerNames.has(name)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_HANDLER', message: `Unknown request "${name}".` } });
    }
    return ipcRenderer.invoke('lb:invoke', name, args);
  }) as LeadbenchApi['invoke'],
  on: (name, fn) => {
    const set = listeners.get(name) ?? new Set<Listener>();
    set.add(fn as Listener);
    listeners.set(name, set);
    return () => {
      set.delete(fn as Listener);
    };
  },
  shell: {
    nativeMenu: true,
    openFileDialog: (o) => ipcRenderer.invoke('lb:open-file-dialog', o) as Promise<string | null>,
    saveFileDialog: (o) => ipcRenderer.invoke('lb:save-file-dialog', o) as Promise<string | null>,
    pathForFile: (file) => webUtils.getPathForFile(file as File),
  },
};

contextBridge.exposeInMainWorld('api', api);
