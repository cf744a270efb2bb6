/**
 * THE typed IPC contract: every handler's argument schema (validated in the backend,
 * because renderer input is untrusted) and result type, and every event's payload.
 * Adding a handler: add its schema and its access ('read' or 'write') to a domain file here,
 * implement it in electron/backend/handlers, call it from the renderer. Nothing else changes.
 */
import type { z } from 'zod';
import { workspaceArgs, workspaceAccess, type WorkspaceEvents, type WorkspaceResults } from './contract/workspace';
import { importArgs, importAccess, type ImportEvents, type ImportResults } from './contract/import';
import { scoringArgs, scoringAccess, type ScoringEvents, type ScoringResults } from './contract/scoring';
import { leadsArgs, leadsAccess, type LeadsEvents, type LeadsResults } from './contract/leads';
import { followupArgs, followupAccess, type FollowupEvents, type FollowupResults } from './contract/followup';
import { exchangeArgs, exchangeAccess, type ExchangeEvents, type ExchangeResults } from './contract/exchange';
import { outcomesArgs, outcomesAccess, type OutcomesResults } from './contract/outcomes';
import type { HandlerAccess, Result, ShellApi } from './contract/core';
import { mergeNamedGroups } from './contract/merge';

export type * from './contract/core';
export type * from './contract/merge';
export type * from './contract/workspace';
export type * from './contract/import';
export type * from './contract/scoring';
export type * from './contract/leads';
export type * from './contract/followup';
export type * from './contract/exchange';
export type * from './contract/outcomes';

/** Argument schemas of every handler, by name (a name declared twice fails at start-up). */
export const handlerArgs = mergeNamedGroups(
  'Handler arguments',
  workspaceArgs,
  importArgs,
  scoringArgs,
  leadsArgs,
  followupArgs,
  exchangeArgs,
  outcomesArgs,
);

export type HandlerName = keyof typeof handlerArgs;
export type HandlerArgs<K extends HandlerName> = z.input<(typeof handlerArgs)[K]>;
export type HandlerResults = WorkspaceResults &
  ImportResults &
  ScoringResults &
  LeadsResults &
  FollowupResults &
  ExchangeResults &
  OutcomesResults;
export type HandlerResult<K extends HandlerName> = HandlerResults[K];

/** Compile-time check that every schema has a result type and vice versa. */
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const contractIsComplete: Exact<HandlerName, keyof HandlerResults> = true;

/** Commands the native menu sends the renderer. */
export type MenuCommand = 'import' | 'export' | 'roundtrip' | 'about' | 'backup';
type ShellEvents = { 'menu-command': Readonly<{ command: MenuCommand }> };

export type Events = WorkspaceEvents &
  ShellEvents &
  ImportEvents &
  ScoringEvents &
  LeadsEvents &
  FollowupEvents &
  ExchangeEvents;
export type EventName = keyof Events;

export const HANDLER_NAMES = Object.keys(handlerArgs) as HandlerName[];

/** Whether each handler reads or writes; the backend routes by it (core.ts: HandlerAccess). */
export const handlerAccess: { readonly [K in HandlerName]: HandlerAccess } = mergeNamedGroups(
  'Handler access',
  workspaceAccess,
  importAccess,
  scoringAccess,
  leadsAccess,
  followupAccess,
  exchangeAccess,
  outcomesAccess,
);

/** What the preload exposes as window.api. */
export type LeadbenchApi = Readonly<{
  invoke: <K extends HandlerName>(name: K, args: HandlerArgs<K>) => Promise<Result<HandlerResult<K>>>;
  on: <E extends EventName>(event: E, fn: (payload: Events[E]) => void) => () => void;
  shell: ShellApi;
}>;
