/**
 * The renderer's only door to the backend: window.api, typed by shared/contract.ts.
 * `call` unwraps results and throws ApiFailure (code + message) so components can use
 * try/catch or the useApi hook; `useApiEvent` subscribes to backend events.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  ApiError,
  EventName,
  Events,
  HandlerArgs,
  HandlerName,
  HandlerResult,
  LeadbenchApi,
} from '../../shared/contract';

declare global {
  interface Window {
    api: LeadbenchApi;
  }
}

export class ApiFailure extends Error {
  readonly code: ApiError['code'];
  readonly details: unknown;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiFailure';
    this.code = error.code;
    this.details = error.details;
  }
}

export async function call<K extends HandlerName>(name: K, args: HandlerArgs<K>): Promise<HandlerResult<K>> {
  const result = await window.api.invoke(name, args);
  if (!result.ok) throw new ApiFailure(result.error);
  return result.value;
}

/** What to show for anything a call threw (an ApiFailure carries the backend's own words). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** How a screen tells the user what happened: a notice, or an error. */
export type Notify = (text: string, kind?: 'ok' | 'error') => void;

/** Runs a call, reports its failure (or `ok`, when given) through `onMessage`; true when it worked. */
export async function attempt(fn: () => Promise<unknown>, onMessage: Notify, ok?: string): Promise<boolean> {
  try {
    await fn();
    if (ok) onMessage(ok);
    return true;
  } catch (e) {
    onMessage(errorMessage(e), 'error');
    return false;
  }
}

export const shell = (): LeadbenchApi['shell'] => window.api.shell;

/** Subscribes to a backend event for the component's lifetime. */
export function useApiEvent<E extends EventName>(name: E, fn: (payload: Events[E]) => void): void {
  const ref = useRef(fn);
  useEffect(() => {
    ref.current = fn;
  });
  useEffect(() => window.api.on(name, (p) => ref.current(p)), [name]);
}

export type ApiState<T> = Readonly<{
  data: T | undefined;
  error: ApiFailure | null;
  loading: boolean;
  reload: () => void;
}>;

/**
 * Calls a handler and keeps its result; reloads when `key` changes and, when
 * `refreshOn` names tables, whenever the backend reports those tables changed.
 */
export function useApi<K extends HandlerName>(
  name: K,
  args: HandlerArgs<K>,
  options: Readonly<{ key?: string; refreshOn?: readonly Events['data-changed']['tables'][number][] }> = {},
): ApiState<HandlerResult<K>> {
  const [state, setState] = useState<{ key: string; data?: HandlerResult<K>; error: ApiFailure | null }>({
    key: '',
    error: null,
  });
  const [tick, setTick] = useState(0);
  const requestKey = `${name}\u0000${options.key ?? JSON.stringify(args)}\u0000${tick}`;
  const argsRef = useRef(args);
  useEffect(() => {
    argsRef.current = args;
  });

  useEffect(() => {
    let live = true;
    call(name, argsRef.current).then(
      (value) => {
        if (live) setState({ key: requestKey, data: value, error: null });
      },
      (err: unknown) => {
        if (!live) return;
        const error = err instanceof ApiFailure ? err : new ApiFailure({ code: 'INTERNAL', message: String(err) });
        setState((prev) => ({ key: requestKey, data: prev.data, error }));
      },
    );
    return () => {
      live = false;
    };
  }, [name, requestKey]);

  const refreshOn = options.refreshOn;
  useApiEvent('data-changed', (p) => {
    if (refreshOn && p.tables.some((t) => refreshOn.includes(t))) setTick((t) => t + 1);
  });
  useApiEvent('workspace-changed', () => setTick((t) => t + 1));

  const reload = useCallback(() => setTick((t) => t + 1), []);
  // While a reload runs the previous data stays on screen (no flicker); `loading` says so.
  return { data: state.data, error: state.error, loading: state.key !== requestKey, reload };
}
