/** Leads handlers: argument schemas (validated in the backend) and result types. */

export const leadsArgs = {} as const;

export type LeadsResults = Record<never, never>;

export type LeadsEvents = Record<never, never>;
