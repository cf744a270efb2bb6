/**
 * Leads handlers: the grid query (filters, sort, quick search, paging), counts for the
 * segment chips and grade grid, saved views, selection and bulk actions with undo, and the
 * lead page (get, validated edit, notes). Argument schemas are validated in the backend.
 *
 * `leadQuerySchema` (filters + sort + quick search) is THE description of a grid view:
 * saved views store it, bulk actions select by it, the export reuses it.
 */
import { z } from 'zod';
import type { AccessOf } from './core';
import type { CustomFieldType } from '../custom-fields';
import { WORKSPACE_TYPE_NAME_MAX, type ActivityTypeKey, type Lead } from '../domain';
import type { RetargetedRule } from '../scoring/retarget';
import { activityTypeKeySchema } from './import';

/** A column key: a catalog key (shared/lead-columns.ts) or `custom.<field name>`. */
export const leadColumnKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^([a-z_]+|custom\.[^"\p{Cc}]+)$/u, 'Unknown column');

const finite = z.number().finite();

export const leadFilterSchema = z.discriminatedUnion('op', [
  z.object({ column: leadColumnKeySchema, op: z.literal('contains'), value: z.string().min(1).max(200) }).strict(),
  z
    .object({
      column: leadColumnKeySchema,
      op: z.literal('in'),
      values: z
        .array(z.union([z.string().max(500), finite]))
        .min(1)
        .max(1000),
    })
    .strict(),
  z
    .object({
      column: leadColumnKeySchema,
      op: z.literal('range'),
      min: finite.nullable().optional(),
      max: finite.nullable().optional(),
    })
    .strict(),
  z
    .object({
      column: leadColumnKeySchema,
      op: z.literal('date-range'),
      /** Inclusive lower bound, epoch ms. */
      from: z.number().int().nullable().optional(),
      /** Exclusive upper bound, epoch ms. */
      to: z.number().int().nullable().optional(),
    })
    .strict(),
  z.object({ column: leadColumnKeySchema, op: z.literal('blank') }).strict(),
  z.object({ column: leadColumnKeySchema, op: z.literal('not-blank') }).strict(),
]);
export type LeadFilter = z.infer<typeof leadFilterSchema>;

export const leadSortSchema = z.object({ column: leadColumnKeySchema, dir: z.enum(['asc', 'desc']) }).strict();
export type LeadSort = z.infer<typeof leadSortSchema>;

/** A grid view's rows: every filter must match (AND), plus the quick search. */
export const leadQuerySchema = z
  .object({
    filters: z.array(leadFilterSchema).max(50).default([]),
    /** Quick search over name, email and company (substring, case-insensitive). */
    search: z.string().max(200).default(''),
    /** Null = newest first (by id). Blanks sort last in both directions. */
    sort: leadSortSchema.nullable().default(null),
  })
  .strict();
export type LeadQuery = z.output<typeof leadQuerySchema>;
export type LeadQueryInput = z.input<typeof leadQuerySchema>;

export const leadPageArgsSchema = leadQuerySchema
  .extend({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
    /** Count all matching rows (skip on follow-up pages when the count is known). */
    withTotal: z.boolean().default(true),
  })
  .strict();

/** Which leads a bulk action applies to: explicit ids, or every lead matching a view. */
export const leadSelectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ids'), ids: z.array(z.number().int().positive()).min(1).max(100_000) }).strict(),
  z
    .object({
      kind: z.literal('query'),
      query: leadQuerySchema,
      /** Rows the user unticked after "select all matching". */
      exceptIds: z.array(z.number().int().positive()).max(100_000).default([]),
    })
    .strict(),
]);
export type LeadSelection = z.output<typeof leadSelectionSchema>;
export type LeadSelectionInput = z.input<typeof leadSelectionSchema>;

export const bulkActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('assign-owner'), ownerId: z.number().int().positive().nullable() }).strict(),
  z.object({ kind: z.literal('set-stage'), stage: z.string().min(1).max(60) }).strict(),
  z.object({ kind: z.literal('add-tag'), tag: z.string().trim().min(1).max(60) }).strict(),
  z.object({ kind: z.literal('remove-tag'), tag: z.string().trim().min(1).max(60) }).strict(),
  z.object({ kind: z.literal('suppress'), reason: z.string().trim().min(1).max(200) }).strict(),
  z.object({ kind: z.literal('unsuppress') }).strict(),
  z.object({ kind: z.literal('delete') }).strict(),
]);
export type BulkAction = z.infer<typeof bulkActionSchema>;

/** Editable standard fields and their value shapes (null clears). */
const text = (max: number) => z.string().trim().max(max).nullable();
export const leadFieldChangesSchema = z
  .object({
    email: z
      .string()
      .trim()
      .max(320)
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Not a valid email address')
      .nullable(),
    first_name: text(200),
    last_name: text(200),
    company: text(300),
    title: text(300),
    phone: z
      .string()
      .trim()
      .max(60)
      .regex(/^[+()\d\s.\-/x]*$/, 'A phone number may only hold digits, spaces and + ( ) - . / x')
      .nullable(),
    industry: text(200),
    company_size: z.number().int('Company size is a whole number').min(0).max(10_000_000).nullable(),
    country: text(100),
    city: text(100),
    website: text(500),
    source: text(200),
    campaign: text(300),
    stage: z.string().min(1).max(60),
    owner_id: z.number().int().positive().nullable(),
  })
  .partial()
  .strict();
export type LeadFieldChanges = z.infer<typeof leadFieldChangesSchema>;

export const viewColumnsSchema = z
  .array(z.object({ key: leadColumnKeySchema, width: z.number().int().min(30).max(2000).optional() }).strict())
  .max(200);

/** The Leads grid as the user last left it in this workspace: columns in order, their widths, the sort. */
export const gridLayoutSchema = z.object({ columns: viewColumnsSchema, sort: leadSortSchema.nullable() }).strict();
export type GridLayout = z.infer<typeof gridLayoutSchema>;

export const leadsArgs = {
  'leads-query': leadPageArgsSchema,
  'leads-counts': z.object({}).strict(),
  'leads-columns': z.object({}).strict(),
  /** Show leads without a name or email by this key or custom column from now on. */
  'leads-show-by': z.object({ name: z.string().trim().min(1).max(1000) }).strict(),
  'leads-distinct': z
    .object({
      column: leadColumnKeySchema,
      search: z.string().max(200).default(''),
      limit: z.number().int().min(1).max(500).default(50),
    })
    .strict(),
  'leads-select': z.object({ selection: leadSelectionSchema }).strict(),
  'leads-bulk': z
    .object({
      selection: leadSelectionSchema,
      action: bulkActionSchema,
      /** The count the user confirmed; refused when the selection now resolves to another. */
      confirmCount: z.number().int().min(0).optional(),
    })
    .strict(),
  'leads-bulk-undo': z.object({ batchId: z.number().int().positive() }).strict(),
  'lead-get': z.object({ id: z.number().int().positive() }).strict(),
  /** Older activities of a lead's timeline: the page after `before` (its last item), newest first. */
  'lead-activities': z
    .object({
      id: z.number().int().positive(),
      before: z.object({ occurredAt: z.number().int(), id: z.number().int().positive() }).strict(),
      limit: z.number().int().min(1).max(2000).default(500),
    })
    .strict(),
  'lead-update': z
    .object({
      id: z.number().int().positive(),
      fields: leadFieldChangesSchema.default({}),
      /** Custom field edits; null removes the field. */
      custom: z.record(z.string().min(1).max(200), z.string().max(10_000).nullable()).default({}),
      tags: z.array(z.string().trim().min(1).max(60)).max(100).optional(),
    })
    .strict(),
  'lead-note-add': z
    .object({ leadId: z.number().int().positive(), body: z.string().trim().min(1).max(20_000) })
    .strict(),
  'lead-note-delete': z.object({ id: z.number().int().positive() }).strict(),
  'views-list': z.object({}).strict(),
  'view-save': z
    .object({
      id: z.number().int().positive().optional(),
      name: z.string().trim().min(1).max(100),
      query: leadQuerySchema,
      columns: viewColumnsSchema.default([]),
    })
    .strict(),
  'view-delete': z.object({ id: z.number().int().positive() }).strict(),
  'grid-layout-get': z.object({}).strict(),
  'grid-layout-save': gridLayoutSchema,
  /** The built-in activity types and the workspace's own ("ws:SMS Sent"), with their activity counts. */
  'activity-types': z.object({}).strict(),
  /** Renames a workspace type: its key (on activities and in rules) stays, so rules keep working. */
  'activity-type-rename': z
    .object({ type: activityTypeKeySchema, label: z.string().trim().min(1).max(WORKSPACE_TYPE_NAME_MAX) })
    .strict(),
  /** Merges workspace type `from` into `into`: activities move, rules on `from` are pointed at `into`. */
  'activity-type-merge': z.object({ from: activityTypeKeySchema, into: activityTypeKeySchema }).strict(),
} as const;

/** Whether each handler reads or writes the workspace (core.ts: HandlerAccess). */
export const leadsAccess = {
  'leads-query': 'read',
  'leads-counts': 'read',
  'leads-columns': 'read',
  'leads-show-by': 'write',
  'leads-distinct': 'read',
  'leads-select': 'read',
  'leads-bulk': 'write',
  'leads-bulk-undo': 'write',
  'lead-get': 'read',
  'lead-activities': 'read',
  'lead-update': 'write',
  'lead-note-add': 'write',
  'lead-note-delete': 'write',
  'views-list': 'read',
  'view-save': 'write',
  'view-delete': 'write',
  'grid-layout-get': 'read',
  'grid-layout-save': 'write',
  'activity-types': 'read',
  'activity-type-rename': 'write',
  'activity-type-merge': 'write',
} as const satisfies AccessOf<typeof leadsArgs>;

/** One grid row: the lead (shared/domain.ts) and its primary-model score columns. */
export type LeadRow = Omit<Lead, 'lead_key'> &
  Readonly<{
    name: string;
    /** What the lead is called on every screen (shared/lead-label.ts): name, email, key or "Lead <id>". */
    label: string;
    /** The lead's key (e.g. its Prospect ID), see electron/backend/services/leads/lead-key.ts. */
    lead_key: string | null;
    owner_name: string | null;
    last_activity_at: number | null;
    score_total: number | null;
    score_fit: number | null;
    score_engagement: number | null;
    grade: string | null;
    segment: string | null;
    is_mql: boolean;
    suppressed_reason: string | null;
    scored_at: number | null;
    /** When follow-up is due (null when the follow-up feature has not set one). */
    sla_due_at: number | null;
  }>;

export type LeadPage = Readonly<{
  rows: readonly LeadRow[];
  /** All rows matching the filters; null when withTotal was false. */
  total: number | null;
  offset: number;
  tookMs: number;
}>;

export type LeadCounts = Readonly<{
  total: number;
  segments: readonly Readonly<{ segment: string | null; count: number }>[];
  /** "MQL now" (shared/followup/definitions.ts MQL_NOW): open leads MQL by score. */
  mql: number;
  /** The grid filters that list exactly the leads `mql` counts (the chip's filters). */
  mqlFilters: readonly LeadFilter[];
  suppressed: number;
  /** Grade -> count, e.g. { A1: 12, ... }; ungraded leads are not in it. */
  grades: Readonly<Record<string, number>>;
  /** Segment key -> label in the primary model ("hot" -> "Hot"). */
  segmentLabels?: Readonly<Record<string, string>>;
}>;

export type LeadColumnInfo = Readonly<{
  key: string;
  label: string;
  kind: 'text' | 'number' | 'date' | 'enum' | 'bool';
  custom: boolean;
  defaultVisible: boolean;
  width: number;
  sortable: boolean;
}>;

export type LeadGridMeta = Readonly<{
  columns: readonly LeadColumnInfo[];
  /** The columns a fresh grid shows, in order (a saved layout wins): services/leads/default-columns.ts. */
  defaultColumns: readonly string[];
  /** The name of the column leads were imported by ("Prospect ID"), null when none was. */
  keyName: string | null;
  owners: readonly Readonly<{ id: number; name: string; active: boolean }>[];
  stages: readonly Readonly<{ key: string; label: string }>[];
}>;

export type DistinctValue = Readonly<{ value: string | number | null; count: number }>;

export type BulkResult = Readonly<{
  batchId: number | null;
  affected: number;
  /** What was done, for the undo toast ("Stage set to SQL on 1,204 leads"). */
  label: string;
  undoable: boolean;
}>;

export type ActivityItem = Readonly<{
  id: number;
  type: string;
  label: string;
  asset: string;
  occurred_at: number;
  duration_sec: number | null;
  import_id: number | null;
  import_name: string | null;
}>;

export type StageChangeItem = Readonly<{
  id: number;
  from_stage: string | null;
  to_stage: string;
  changed_at: number;
  actor: string;
  reason: string | null;
}>;

export type ScoreHistoryItem = Readonly<{
  at: number;
  total: number;
  fit: number | null;
  engagement: number | null;
  grade: string | null;
  segment: string | null;
}>;

export type LedgerLine = Readonly<{ points: number; text: string; kind: string }>;

export type LeadNote = Readonly<{ id: number; lead_id: number; body: string; created_at: number; author: string }>;

export type LeadDetail = Readonly<{
  lead: LeadRow;
  /** The type of each of the lead's custom fields (how to show and edit its value). */
  customTypes: Readonly<Record<string, CustomFieldType>>;
  activities: readonly ActivityItem[];
  activityCount: number;
  stageHistory: readonly StageChangeItem[];
  scoreHistory: readonly ScoreHistoryItem[];
  /** The primary score's contributions in plain words; empty when not scored yet. */
  ledger: readonly LedgerLine[];
  ledgerSummary: string | null;
  notes: readonly LeadNote[];
}>;

export type SavedView = Readonly<{
  id: number;
  name: string;
  query: LeadQuery;
  columns: readonly Readonly<{ key: string; width?: number | undefined }>[];
  updated_at: number;
}>;

/** An activity type engagement rules and the import wizard offer: built-in, or one a file brought. */
export type ActivityTypeInfo = Readonly<{
  type: ActivityTypeKey;
  label: string;
  builtIn: boolean;
  /** Activities of this type stored in the workspace. */
  activities: number;
  /** Type keys a file's words land on this type by: types merged into it, and its names before a rename. */
  aliases: readonly ActivityTypeKey[];
}>;

/** What merging one activity type into another did. */
export type ActivityTypeMerge = Readonly<{
  from: ActivityTypeInfo;
  into: ActivityTypeInfo;
  /** Activities that now have the type `into`. */
  moved: number;
  /** Activities dropped because the lead already had the same one of type `into` (same asset and time). */
  duplicates: number;
  /** Per model, the rules pointed from `from` to `into`: in its draft, and in the version published for it. */
  models: readonly Readonly<{
    modelId: number;
    name: string;
    draftRules: readonly RetargetedRule[];
    publishedRules: readonly RetargetedRule[];
    /** The version published with the rules pointed at `into`; null when its published rules had none on `from`. */
    publishedVersion: number | null;
  }>[];
  /** The rescore that follows (the moved activities count for `into` now); null when nothing changed. */
  jobId: string | null;
}>;

export type LeadsResults = {
  'leads-query': LeadPage;
  'leads-counts': LeadCounts;
  'leads-columns': LeadGridMeta;
  'leads-show-by': Readonly<{ changed: number }>;
  'leads-distinct': readonly DistinctValue[];
  'leads-select': Readonly<{ count: number }>;
  'leads-bulk': BulkResult;
  'leads-bulk-undo': Readonly<{ restored: number; label: string }>;
  'lead-get': LeadDetail;
  'lead-activities': readonly ActivityItem[];
  'lead-update': LeadDetail;
  'lead-note-add': LeadNote;
  'lead-note-delete': Readonly<{ deleted: boolean }>;
  'views-list': readonly SavedView[];
  'view-save': SavedView;
  'view-delete': Readonly<{ deleted: boolean }>;
  /** Null until the user first changes the grid's columns or sort. */
  'grid-layout-get': GridLayout | null;
  'grid-layout-save': GridLayout;
  'activity-types': readonly ActivityTypeInfo[];
  'activity-type-rename': ActivityTypeInfo;
  'activity-type-merge': ActivityTypeMerge;
};

export type LeadsEvents = Record<never, never>;
