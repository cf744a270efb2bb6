/**
 * THE handler table: one implementation per contract name (TypeScript checks that it is
 * complete), assembled from the domain groups in ./handlers/. Each handler's access ('read'
 * or 'write', declared in shared/contract) decides how backend.ts runs it.
 */
import type { HandlerName } from '../../shared/contract';
import { mergeNamedGroups } from '../../shared/contract/merge';
import type { HandlerImpl } from './handlers/types';
import { workspaceHandlers } from './handlers/workspace';
import { importHandlers } from './handlers/import';
import { scoringHandlers } from './handlers/scoring';
import { leadsHandlers } from './handlers/leads';
import { followupHandlers } from './handlers/followup';
import { exchangeHandlers } from './handlers/exchange';
import { outcomesHandlers } from './handlers/outcomes';

export type HandlerTable = { [K in HandlerName]: HandlerImpl<K> };

/** A name implemented by two groups fails when this module loads, at start-up. */
export const handlers: HandlerTable = mergeNamedGroups(
  'Handlers',
  workspaceHandlers,
  importHandlers,
  scoringHandlers,
  leadsHandlers,
  followupHandlers,
  exchangeHandlers,
  outcomesHandlers,
);
