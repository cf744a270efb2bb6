/**
 * Follow-up handlers: owners, routing rules, SLA policies, stages and disposition reasons
 * (configuration); the queue, attempts, dispositions, stage changes and assignment (work);
 * the reports and their CSV export. Argument schemas are validated in the backend.
 */
import { z } from 'zod';
import type { AccessOf } from './core';
import { ACCEPT_RULES, ATTEMPT_CHANNELS, ATTEMPT_OUTCOMES } from '../followup/defaults';
import { REPORT_KINDS, type ReportData, type ReportKind, type ReportTable } from '../followup/reports';
import { SLA_STATUSES, WEEKDAYS } from '../followup/sla';
import { DATE_BASES } from '../followup/definitions';
import {
  CONDITION_OPS,
  type Attempt,
  type DispositionReason,
  type FollowupSettings,
  type Owner,
  type QueueItem,
  type RoutingRule,
  type SlaPolicy,
  type StageChange,
  type StageConfig,
} from '../followup/types';

export type * from '../followup/types';
export type * from '../followup/reports';
export type { SlaStatus, WeeklySchedule, TimeRange, Weekday } from '../followup/sla';
export type { AttemptChannel, AttemptOutcome } from '../followup/defaults';

const id = z.number().int().positive();
const leadIds = z.array(id).min(1).max(100_000);
const gradeList = z.array(z.string().trim().min(1).max(20)).max(50).readonly();
const segmentList = z.array(z.string().trim().min(1).max(100)).max(50).readonly();

const timeRange = z
  .object({
    start: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'HH:mm'),
    end: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'HH:mm'),
  })
  .strict();
const dayRanges = z.array(timeRange).max(6).readonly();
const weeklySchedule = z
  .object(
    Object.fromEntries(WEEKDAYS.map((d) => [d, dayRanges])) as Record<(typeof WEEKDAYS)[number], typeof dayRanges>,
  )
  .strict();

const fieldCondition = z
  .object({ field: z.string().trim().min(1).max(200), op: z.enum(CONDITION_OPS), value: z.string().max(1000) })
  .strict();

export const reportFilterSchema = z
  .object({
    from: z.number().int().optional(),
    to: z.number().int().optional(),
    source: z.string().max(500).optional(),
    campaign: z.string().max(500).optional(),
    importId: id.optional(),
    ownerId: id.optional(),
    modelId: id.optional(),
    dateBasis: z.enum(DATE_BASES).optional(),
  })
  .strict();

const reportArgs = z.object({ filter: reportFilterSchema.default({}) }).strict();

export const followupArgs = {
  'owners-list': z.object({}).strict(),
  'owner-save': z
    .object({
      id: id.optional(),
      name: z.string().trim().min(1).max(200),
      email: z.email().max(320),
      role: z.string().trim().min(1).max(60),
      team: z.string().trim().max(100).nullable().optional(),
      active: z.boolean().optional(),
    })
    .strict(),
  'owner-delete': z.object({ id }).strict(),

  'routing-rules-list': z.object({}).strict(),
  'routing-rule-save': z
    .object({
      id: id.optional(),
      name: z.string().trim().min(1).max(200),
      enabled: z.boolean().default(true),
      grades: gradeList.default([]),
      segments: segmentList.default([]),
      conditions: z.array(fieldCondition).max(20).readonly().default([]),
      targetKind: z.enum(['owner', 'role', 'team']),
      targetOwnerId: id.nullable().default(null),
      targetGroup: z.string().trim().max(100).nullable().default(null),
      /** Ignored (order changes go through routing-rules-reorder); accepted so a listed rule round-trips. */
      position: z.number().int().optional(),
    })
    .strict(),
  'routing-rule-delete': z.object({ id }).strict(),
  'routing-rules-reorder': z.object({ ids: z.array(id).max(1000) }).strict(),
  /** A workspace without owners gets the app's user as its first owner and "me". */
  'owner-me-ensure': z.object({}).strict(),
  'followup-waiting': z.object({}).strict(),
  'followup-route-waiting': z.object({}).strict(),

  'sla-policies-list': z.object({}).strict(),
  'sla-policy-save': z
    .object({
      id: id.optional(),
      name: z.string().trim().min(1).max(200),
      enabled: z.boolean().default(true),
      grades: gradeList.default([]),
      segments: segmentList.default([]),
      hours: z
        .number()
        .positive()
        .max(24 * 365),
      businessHours: z.boolean(),
      schedule: weeklySchedule,
      timeZone: z.string().trim().min(1).max(100),
      attemptsRequired: z.number().int().min(1).max(50),
      attemptSpacingHours: z
        .number()
        .min(0)
        .max(24 * 90),
      channel: z.enum(ATTEMPT_CHANNELS),
      recommendedAction: z.string().trim().min(1).max(500),
      /** Ignored (order changes go through sla-policies-reorder); accepted so a listed policy round-trips. */
      position: z.number().int().optional(),
    })
    .strict(),
  'sla-policy-delete': z.object({ id }).strict(),
  'sla-policies-reorder': z.object({ ids: z.array(id).max(1000) }).strict(),
  /** Moves every policy to one time zone (the seeded ones start in UTC). */
  'sla-policies-set-zone': z.object({ timeZone: z.string().trim().min(1).max(100) }).strict(),

  'stages-list': z.object({}).strict(),
  'stages-save': z
    .object({
      stages: z
        .array(z.object({ key: z.string().min(1).max(60), label: z.string().trim().min(1).max(100) }).strict())
        .min(1)
        .max(50),
    })
    .strict(),

  'disposition-reasons-list': z.object({}).strict(),
  'disposition-reason-save': z
    .object({
      id: id.optional(),
      label: z.string().trim().min(1).max(200),
      parentId: id.nullable().default(null),
      toStage: z.string().min(1).max(60),
      requiresAttempts: z.boolean().default(false),
      active: z.boolean().default(true),
    })
    .strict(),

  'followup-settings-get': z.object({}).strict(),
  'followup-settings-save': z
    .object({
      meOwnerId: id.nullable().optional(),
      notifyDueSoon: z.boolean().optional(),
      dueSoonFraction: z.number().gt(0).lt(1).optional(),
      acceptOn: z.enum(ACCEPT_RULES).optional(),
    })
    .strict(),

  'followup-queue': z
    .object({
      /** "mine" needs the "me" owner in the settings; "owner" takes ownerId. */
      scope: z.enum(['mine', 'all', 'owner']).default('mine'),
      ownerId: id.optional(),
      statuses: z.array(z.enum(SLA_STATUSES)).max(SLA_STATUSES.length).optional(),
      search: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(1000).default(200),
      offset: z.number().int().min(0).default(0),
    })
    .strict(),
  'followup-lead': z.object({ leadId: id }).strict(),
  /** Leads of "me" that turned due soon since the last call (each once per SLA clock). */
  'followup-due-soon': z.object({}).strict(),

  'attempt-log': z
    .object({
      leadId: id,
      channel: z.enum(ATTEMPT_CHANNELS),
      outcome: z.enum(ATTEMPT_OUTCOMES),
      note: z.string().max(5000).optional(),
      at: z.number().int().optional(),
    })
    .strict(),
  'disposition-set': z.object({ leadIds, reasonId: id, note: z.string().max(5000).optional() }).strict(),
  'stage-change': z
    .object({ leadIds, toStage: z.string().min(1).max(60), reason: z.string().max(500).optional() })
    .strict(),
  'lead-assign': z.object({ leadIds, ownerId: id.nullable() }).strict(),
  /** Backfills stage history from a date column (e.g. "won_date" of a closed-deals export). */
  'stage-from-field': z
    .object({
      field: z.string().trim().min(1).max(200),
      toStage: z.string().min(1).max(60),
      dateOrder: z.enum(['auto', 'dmy', 'mdy', 'ymd']).optional(),
    })
    .strict(),
  'lead-route': z.object({ leadIds }).strict(),

  'report-funnel': reportArgs,
  'report-grades': reportArgs,
  'report-sla': reportArgs,
  'report-outcomes': reportArgs,
  'report-dispositions': reportArgs,
  'report-filter-options': z.object({}).strict(),
  'report-export': z
    .object({ report: z.enum(REPORT_KINDS), filter: reportFilterSchema.default({}), path: z.string().min(1).max(4096) })
    .strict(),
} as const;

/** Whether each handler reads or writes the workspace (core.ts: HandlerAccess). */
export const followupAccess = {
  'owners-list': 'read',
  'owner-save': 'write',
  'owner-delete': 'write',
  'routing-rules-list': 'read',
  'routing-rule-save': 'write',
  'routing-rule-delete': 'write',
  'routing-rules-reorder': 'write',
  'owner-me-ensure': 'write',
  'followup-waiting': 'read',
  'followup-route-waiting': 'write',
  'sla-policies-list': 'read',
  'sla-policy-save': 'write',
  'sla-policy-delete': 'write',
  'sla-policies-reorder': 'write',
  'sla-policies-set-zone': 'write',
  'stages-list': 'read',
  'stages-save': 'write',
  'disposition-reasons-list': 'read',
  'disposition-reason-save': 'write',
  'followup-settings-get': 'read',
  'followup-settings-save': 'write',
  'followup-queue': 'read',
  'followup-lead': 'read',
  'followup-due-soon': 'write', // marks the leads it returns as notified
  'attempt-log': 'write',
  'disposition-set': 'write',
  'stage-change': 'write',
  'lead-assign': 'write',
  'stage-from-field': 'write',
  'lead-route': 'write',
  'report-funnel': 'read',
  'report-grades': 'read',
  'report-sla': 'read',
  'report-outcomes': 'read',
  'report-dispositions': 'read',
  'report-filter-options': 'read',
  'report-export': 'read', // writes a file, not the workspace
} as const satisfies AccessOf<typeof followupArgs>;

export type QueuePage = Readonly<{
  items: readonly QueueItem[];
  total: number;
  counts: Readonly<Record<(typeof SLA_STATUSES)[number], number>>;
  /** The instant the statuses were computed for. */
  now: number;
  /** The owner whose queue this is (null = all). */
  ownerId: number | null;
}>;

export type DispositionRecord = Readonly<{
  id: number;
  reasonId: number;
  label: string;
  note: string | null;
  decidedAt: number;
  actor: string;
}>;

export type FollowupLead = Readonly<{
  item: QueueItem | null;
  attempts: readonly Attempt[];
  stageChanges: readonly StageChange[];
  dispositions: readonly DispositionRecord[];
}>;

export type ReportFilterOptions = Readonly<{
  sources: readonly string[];
  campaigns: readonly string[];
  imports: readonly { id: number; label: string }[];
  models: readonly { id: number; name: string; primary: boolean }[];
  owners: readonly Owner[];
}>;

export type ReportResult<K extends ReportKind> = Readonly<{ data: ReportData[K]; table: ReportTable }>;

export type FollowupResults = {
  'owners-list': readonly Owner[];
  'owner-save': Owner;
  'owner-delete': Readonly<{ deleted: true }>;
  'routing-rules-list': readonly RoutingRule[];
  'routing-rule-save': RoutingRule;
  'routing-rule-delete': Readonly<{ deleted: true }>;
  'routing-rules-reorder': readonly RoutingRule[];
  'owner-me-ensure': Readonly<{ created: boolean }>;
  /** MQLs with an open follow-up and no active owner. */
  'followup-waiting': Readonly<{ unassigned: number }>;
  'followup-route-waiting': Readonly<{ routed: number; left: number }>;
  'sla-policies-list': readonly SlaPolicy[];
  'sla-policy-save': SlaPolicy;
  'sla-policy-delete': Readonly<{ deleted: true }>;
  'sla-policies-reorder': readonly SlaPolicy[];
  'sla-policies-set-zone': readonly SlaPolicy[];
  'stages-list': readonly StageConfig[];
  'stages-save': readonly StageConfig[];
  'disposition-reasons-list': readonly DispositionReason[];
  'disposition-reason-save': DispositionReason;
  'followup-settings-get': FollowupSettings;
  'followup-settings-save': FollowupSettings;
  'followup-queue': QueuePage;
  'followup-lead': FollowupLead;
  'followup-due-soon': readonly QueueItem[];
  'attempt-log': Readonly<{ attempt: Attempt; item: QueueItem | null }>;
  'disposition-set': Readonly<{ changed: number; refused: readonly { leadId: number; reason: string }[] }>;
  'stage-change': Readonly<{ changed: number; skipped: number }>;
  'lead-assign': Readonly<{ changed: number }>;
  'lead-route': Readonly<{ routed: number }>;
  'stage-from-field': Readonly<{ matched: number; changed: number; unparsable: number; skipped: number }>;
  'report-funnel': ReportResult<'funnel'>;
  'report-grades': ReportResult<'grades'>;
  'report-sla': ReportResult<'sla'>;
  'report-outcomes': ReportResult<'outcomes'>;
  'report-dispositions': ReportResult<'dispositions'>;
  'report-filter-options': ReportFilterOptions;
  'report-export': Readonly<{ path: string; rows: number }>;
};

export type FollowupEvents = Record<never, never>;
