/**
 * THE handler table: one implementation per contract name (TypeScript checks that it is
 * complete), assembled from the domain groups in ./handlers/.
 */
import type { HandlerName } from '../../shared/contract';
import type { HandlerImpl } from './handlers/types';
import { workspaceHandlers } from './handlers/workspace';
import { importHandlers } from './handlers/import';
import { scoringHandlers } from './handlers/scoring';
import { leadsHandlers } from './handlers/leads';
import { followupHandlers } from './handlers/followup';
import { exchangeHandlers } from './handlers/exchange';
import { outcomesHandlers } from './handlers/outcomes';

export type HandlerTable = { [K in HandlerName]: HandlerImpl<K> };

export const handlers: HandlerTable = {
  ...workspaceHandlers,
  ...importHandlers,
  ...scoringHandlers,
  ...leadsHandlers,
  ...followupHandlers,
  ...exchangeHandlers,
  ...outcomesHandlers,
};
