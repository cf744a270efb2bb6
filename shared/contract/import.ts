/** Import handlers: argument schemas (validated in the backend) and result types. */

export const importArgs = {} as const;

export type ImportResults = Record<never, never>;

export type ImportEvents = Record<never, never>;
