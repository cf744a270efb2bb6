/**
 * The listener registry behind window.api.on (shared/contract.ts: LeadbenchApi), the same
 * in the desktop app's preload (events over IPC) and the browser's web-api.ts (events over
 * the web host's stream): each hands what arrives to dispatch.
 */
import type { LeadbenchApi } from '../contract';

export type EventHub = Readonly<{
  on: LeadbenchApi['on'];
  /** Calls every listener of `name` with the payload. */
  dispatch: (name: string, payload: unknown) => void;
}>;

export function createEventHub(): EventHub {
  type Listener = (payload: unknown) => void;
  const listeners = new Map<string, Set<Listener>>();
  return {
    on: (name, fn) => {
      const set = listeners.get(name) ?? new Set<Listener>();
      set.add(fn as Listener);
      listeners.set(name, set);
      return () => {
        set.delete(fn as Listener);
      };
    },
    dispatch: (name, payload) => {
      for (const fn of listeners.get(name) ?? []) fn(payload);
    },
  };
}
