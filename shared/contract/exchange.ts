/** Exchange handlers: argument schemas (validated in the backend) and result types. */

export const exchangeArgs = {} as const;

export type ExchangeResults = Record<never, never>;

export type ExchangeEvents = Record<never, never>;
