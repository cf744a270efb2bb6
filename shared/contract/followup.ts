/** Followup handlers: argument schemas (validated in the backend) and result types. */

export const followupArgs = {} as const;

export type FollowupResults = Record<never, never>;

export type FollowupEvents = Record<never, never>;
