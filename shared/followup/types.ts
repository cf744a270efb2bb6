/**
 * Plain-data shapes of follow-up configuration and state, shared by the backend services,
 * the IPC contract and the renderer.
 */
import type { AcceptRule, AttemptChannel, AttemptOutcome } from './defaults';
import type { SlaStatus, WeeklySchedule } from './sla';

export type Owner = Readonly<{
  id: number;
  name: string;
  email: string;
  role: string;
  team: string | null;
  active: boolean;
  /** Leads this owner holds whose follow-up is open. */
  openLeads: number;
}>;

export type StageConfig = Readonly<{ key: string; label: string; position: number; closed: boolean }>;

export const CONDITION_OPS = ['eq', 'neq', 'contains', 'in', 'gte', 'lte', 'empty', 'not_empty'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** A condition on a lead field (standard key or a custom column name). `in` takes a comma list. */
export type FieldCondition = Readonly<{ field: string; op: ConditionOp; value: string }>;

export type RoutingTargetKind = 'owner' | 'role' | 'team';

export type RoutingRule = Readonly<{
  id: number;
  name: string;
  position: number;
  enabled: boolean;
  /** Empty = any grade. */
  grades: readonly string[];
  /** Empty = any segment. */
  segments: readonly string[];
  /** All must hold. */
  conditions: readonly FieldCondition[];
  targetKind: RoutingTargetKind;
  targetOwnerId: number | null;
  /** Role or team name for round robin. */
  targetGroup: string | null;
}>;

export type SlaPolicy = Readonly<{
  id: number;
  name: string;
  position: number;
  enabled: boolean;
  grades: readonly string[];
  segments: readonly string[];
  hours: number;
  businessHours: boolean;
  schedule: WeeklySchedule;
  timeZone: string;
  attemptsRequired: number;
  attemptSpacingHours: number;
  channel: AttemptChannel;
  recommendedAction: string;
}>;

export type DispositionReason = Readonly<{
  id: number;
  key: string;
  label: string;
  parentId: number | null;
  toStage: string;
  requiresAttempts: boolean;
  position: number;
  active: boolean;
}>;

export type Attempt = Readonly<{
  id: number;
  leadId: number;
  ownerId: number | null;
  channel: AttemptChannel;
  outcome: AttemptOutcome;
  note: string | null;
  attemptedAt: number;
  actor: string;
}>;

export type StageChange = Readonly<{
  id: number;
  leadId: number;
  fromStage: string | null;
  toStage: string;
  changedAt: number;
  actor: string;
  reason: string | null;
}>;

export type QueueItem = Readonly<{
  leadId: number;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  grade: string | null;
  segment: string | null;
  score: number | null;
  stage: string;
  ownerId: number | null;
  ownerName: string | null;
  mqlAt: number;
  dueAt: number;
  /** When the next action is due: first contact, then the next attempt by the spacing. */
  nextAt: number;
  status: SlaStatus;
  firstContactAt: number | null;
  attempts: number;
  attemptsRequired: number;
  lastOutcome: AttemptOutcome | null;
  reached: boolean;
  recommendedAction: string;
  channel: AttemptChannel;
  policyName: string | null;
}>;

export type FollowupSettings = Readonly<{
  /** The owner this workspace's user is ("my leads"). */
  meOwnerId: number | null;
  notifyDueSoon: boolean;
  /** Share of the allowed time left when a lead turns due soon (0..1). */
  dueSoonFraction: number;
  /** When an attempt moves an MQL to "Accepted by sales". */
  acceptOn: AcceptRule;
}>;
