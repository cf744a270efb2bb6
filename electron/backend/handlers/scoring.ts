/** Handlers for the scoring domain. */
import type { scoringArgs } from '../../../shared/contract/scoring';
import type { HandlerGroup } from './types';

export const scoringHandlers: HandlerGroup<keyof typeof scoringArgs> = {};
