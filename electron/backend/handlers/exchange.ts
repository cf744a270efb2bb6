/** Handlers for the exchange domain. */
import type { exchangeArgs } from '../../../shared/contract/exchange';
import type { HandlerGroup } from './types';

export const exchangeHandlers: HandlerGroup<keyof typeof exchangeArgs> = {};
