/** Handlers for the followup domain. */
import type { followupArgs } from '../../../shared/contract/followup';
import type { HandlerGroup } from './types';

export const followupHandlers: HandlerGroup<keyof typeof followupArgs> = {};
