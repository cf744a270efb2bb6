/**
 * THE typed IPC contract: every handler's argument schema (validated in the backend,
 * because renderer input is untrusted) and result type, and every event's payload.
 * Adding a handler: add it to a domain file here, implement it in electron/backend/handlers,
 * call it from the renderer. Nothing else changes.
 */
import type { z } from 'zod';
import { workspaceArgs, type WorkspaceEvents, type WorkspaceResults } from './contract/workspace';
import type { Result, ShellApi } from './contract/core';

export type * from './contract/core';
export type * from './contract/workspace';

/** Argument schemas of every handler, by name. */
export const handlerArgs = {
  ...workspaceArgs,
} as const;

export type HandlerName = keyof typeof handlerArgs;
export type HandlerArgs<K extends HandlerName> = z.input<(typeof handlerArgs)[K]>;
export type HandlerResults = WorkspaceResults;
export type HandlerResult<K extends HandlerName> = HandlerResults[K];

/** Compile-time check that every schema has a result type and vice versa. */
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const contractIsComplete: Exact<HandlerName, keyof HandlerResults> = true;
type ShellEvents = { 'menu-command': Readonly<{ command: MenuCommand }> };

export type Events = WorkspaceEvents & ShellEvents;
export type EventName = keyof Events;

export const HANDLER_NAMES = Object.keys(handlerArgs) as HandlerName[];

/** What the preload exposes as window.api. */
export type LeadbenchApi = Readonly<{
  invoke: <K extends HandlerName>(name: K, args: HandlerArgs<K>) => Promise<Result<HandlerResult<K>>>;
  on: <E extends EventName>(event: E, fn: (payload: Events[E]) => void) => () => void;
  shell: ShellApi;
}>;

