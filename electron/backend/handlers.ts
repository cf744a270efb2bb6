/**
 * THE handler table: one implementation per contract name (TypeScript checks that it is
 * complete), assembled from the domain groups in ./handlers/.
 */
import type { HandlerName } from '../../shared/contract';
import type { HandlerImpl } from './handlers/types';
import { workspaceHandlers } from './handlers/workspace';

export type HandlerTable = { [K in HandlerName]: HandlerImpl<K> };

export const handlers: HandlerTable = {
  ...workspaceHandlers,
};
