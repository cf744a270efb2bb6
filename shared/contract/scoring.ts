/** Scoring handlers: argument schemas (validated in the backend) and result types. */

export const scoringArgs = {} as const;

export type ScoringResults = Record<never, never>;

export type ScoringEvents = Record<never, never>;
