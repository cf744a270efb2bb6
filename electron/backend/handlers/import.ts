/** Handlers for the import domain. */
import type { importArgs } from '../../../shared/contract/import';
import type { HandlerGroup } from './types';

export const importHandlers: HandlerGroup<keyof typeof importArgs> = {};
