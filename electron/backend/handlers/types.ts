/** The shape of a handler implementation, derived from the contract. */
import type { z } from 'zod';
import type { HandlerName, HandlerResult, handlerArgs } from '../../../shared/contract';
import type { BackendContext } from '../context';

export type HandlerImpl<K extends HandlerName> = (
  ctx: BackendContext,
  args: z.output<(typeof handlerArgs)[K]>,
) => HandlerResult<K> | Promise<HandlerResult<K>>;

export type HandlerGroup<K extends HandlerName> = { [P in K]: HandlerImpl<P> };
