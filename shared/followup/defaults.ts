/**
 * Follow-up defaults from common sales practice, seeded into every new workspace and
 * editable there: SLA policies per grade, routing rules, disposition reasons, the attempt
 * vocabulary. Keys are stable (stored in the database); labels are for people.
 */
import { DEFAULT_SCHEDULE } from './sla';
import type { SlaPolicy } from './types';

export const ATTEMPT_CHANNELS = ['call', 'email', 'meeting', 'other'] as const;
export type AttemptChannel = (typeof ATTEMPT_CHANNELS)[number];
export const ATTEMPT_CHANNEL_LABELS: Readonly<Record<AttemptChannel, string>> = {
  call: 'Call',
  email: 'Email',
  meeting: 'Meeting',
  other: 'Other',
};

export const ATTEMPT_OUTCOMES = [
  'no_answer',
  'left_voicemail',
  'connected',
  'meeting_booked',
  'bad_number',
  'email_sent',
] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];
export const ATTEMPT_OUTCOME_LABELS: Readonly<Record<AttemptOutcome, string>> = {
  no_answer: 'No answer',
  left_voicemail: 'Left voicemail',
  connected: 'Connected',
  meeting_booked: 'Meeting booked',
  bad_number: 'Bad number / email',
  email_sent: 'Email sent',
};
/** Outcomes that reached the person: follow-up no longer needs more attempts. */
export const REACHED_OUTCOMES: readonly AttemptOutcome[] = ['connected', 'meeting_booked'];

/**
 * The stage rule for attempts: when logging one moves an MQL to "Accepted by sales".
 * Every attempt counts for the SLA ("No answer" included); only this rule moves stages.
 */
export const ACCEPT_RULES = ['reached', 'any_attempt', 'manual'] as const;
export type AcceptRule = (typeof ACCEPT_RULES)[number];
export const ACCEPT_RULE_LABELS: Readonly<Record<AcceptRule, string>> = {
  reached: 'when the lead is reached (connected or meeting booked)',
  any_attempt: 'on any attempt, "No answer" included',
  manual: 'only by hand',
};
export const DEFAULT_ACCEPT_RULE: AcceptRule = 'reached';

/** Whether an attempt with this outcome moves an MQL to "Accepted by sales" under the rule. */
export function attemptAccepts(rule: AcceptRule, outcome: AttemptOutcome): boolean {
  if (rule === 'any_attempt') return true;
  if (rule === 'reached') return REACHED_OUTCOMES.includes(outcome);
  return false;
}

export const OWNER_ROLES = ['field_rep', 'inside_sales', 'sdr', 'manager'] as const;
export const OWNER_ROLE_LABELS: Readonly<Record<string, string>> = {
  field_rep: 'Field rep',
  inside_sales: 'Inside sales',
  sdr: 'SDR',
  manager: 'Manager',
};

/** A seeded policy: a policy without its identity, place and switch (shared/followup/types.ts). */
export type SlaPolicySeed = Omit<SlaPolicy, 'id' | 'position' | 'enabled'>;

/** Attempts before a lead may be closed as "could not reach". */
export const DEFAULT_ATTEMPTS_REQUIRED = 3;

/** Time zone of the seeded policies; each workspace sets its own in the SLA settings. */
export const DEFAULT_TIME_ZONE = 'UTC';

/** First match wins, in this order; the last one catches every other lead. */
export const DEFAULT_SLA_POLICIES: readonly SlaPolicySeed[] = [
  {
    name: 'A1 — hot, best fit',
    grades: ['A1'],
    segments: [],
    hours: 4,
    businessHours: true,
    schedule: DEFAULT_SCHEDULE,
    timeZone: DEFAULT_TIME_ZONE,
    attemptsRequired: DEFAULT_ATTEMPTS_REQUIRED,
    attemptSpacingHours: 24,
    channel: 'call',
    recommendedAction: 'Call now and offer a product demo',
  },
  {
    name: 'A2 — best fit, engaged',
    grades: ['A2'],
    segments: [],
    hours: 48,
    businessHours: false,
    schedule: DEFAULT_SCHEDULE,
    timeZone: DEFAULT_TIME_ZONE,
    attemptsRequired: DEFAULT_ATTEMPTS_REQUIRED,
    attemptSpacingHours: 24,
    channel: 'call',
    recommendedAction: 'Call and offer a product demo',
  },
  {
    name: 'B1 — inside sales',
    grades: ['B1'],
    segments: [],
    hours: 24,
    businessHours: false,
    schedule: DEFAULT_SCHEDULE,
    timeZone: DEFAULT_TIME_ZONE,
    attemptsRequired: DEFAULT_ATTEMPTS_REQUIRED,
    attemptSpacingHours: 24,
    channel: 'call',
    recommendedAction: 'Call to qualify needs and timeline',
  },
  {
    name: 'C3 — by email',
    grades: ['C3'],
    segments: [],
    hours: 48,
    businessHours: false,
    schedule: DEFAULT_SCHEDULE,
    timeZone: DEFAULT_TIME_ZONE,
    attemptsRequired: DEFAULT_ATTEMPTS_REQUIRED,
    attemptSpacingHours: 48,
    channel: 'email',
    recommendedAction: 'Send the webinar recording by email',
  },
  {
    name: 'Everyone else',
    grades: [],
    segments: [],
    hours: 72,
    businessHours: false,
    schedule: DEFAULT_SCHEDULE,
    timeZone: DEFAULT_TIME_ZONE,
    attemptsRequired: DEFAULT_ATTEMPTS_REQUIRED,
    attemptSpacingHours: 48,
    channel: 'email',
    recommendedAction: 'Send a personal email with relevant content',
  },
];

export type RoutingRuleSeed = Readonly<{
  name: string;
  grades: readonly string[];
  segments: readonly string[];
  targetKind: 'owner' | 'role' | 'team';
  targetValue: string;
}>;

export const DEFAULT_ROUTING_RULES: readonly RoutingRuleSeed[] = [
  { name: 'A1–A2 to field reps', grades: ['A1', 'A2'], segments: [], targetKind: 'role', targetValue: 'field_rep' },
  { name: 'B1 to inside sales', grades: ['B1'], segments: [], targetKind: 'role', targetValue: 'inside_sales' },
  { name: 'Everyone else to inside sales', grades: [], segments: [], targetKind: 'role', targetValue: 'inside_sales' },
];

export type DispositionSeed = Readonly<{
  key: string;
  label: string;
  toStage: string;
  children?: readonly Readonly<{ key: string; label: string }>[];
  /** Needs the policy's required number of attempts first. */
  requiresAttempts?: boolean;
}>;

export const DEFAULT_DISPOSITIONS: readonly DispositionSeed[] = [
  {
    key: 'unqualified',
    label: 'Unqualified',
    toStage: 'disqualified',
    children: [
      { key: 'no_budget', label: 'No budget' },
      { key: 'no_authority', label: 'No authority' },
      { key: 'student_journalist', label: 'Student / journalist' },
      { key: 'competitor', label: 'Competitor' },
    ],
  },
  { key: 'could_not_reach', label: 'Could not reach', toStage: 'recycled', requiresAttempts: true },
  { key: 'converted', label: 'Converted to opportunity', toStage: 'opportunity' },
  { key: 'qualified', label: 'Qualified (SQL), sales keeps working it', toStage: 'sql' },
  { key: 'not_now', label: 'Not now — back to nurture', toStage: 'recycled' },
];
