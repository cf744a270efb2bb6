/** Handlers for the leads domain. */
import type { leadsArgs } from '../../../shared/contract/leads';
import type { HandlerGroup } from './types';

export const leadsHandlers: HandlerGroup<keyof typeof leadsArgs> = {};
