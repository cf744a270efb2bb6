/**
 * Exchange handlers: exports (grid views, selections, segments, the follow-up queue, per-owner
 * packs, reports) to CSV/XLSX, the round trip of a rep's edited sheet (inspect, then apply with
 * per-field conflict choices), and workspace backups. Argument schemas are validated in the
 * backend; files are passed by path, never by content.
 */
import { z } from 'zod';
import type { AccessOf } from './core';
import { reportFilterSchema } from './followup';
import { leadQuerySchema, leadSelectionSchema } from './leads';
import { TEXT_ENCODINGS, type TextEncoding } from './import';

const path = z.string().min(1).max(4096);
const id = z.number().int().positive();
const columnKey = z.string().min(1).max(260);

export const exportFormatSchema = z.enum(['csv', 'xlsx']);
export type ExportFormat = z.infer<typeof exportFormatSchema>;

export const csvOptionsSchema = z
  .object({
    /** UTF-8 byte order mark, so Excel detects the encoding. */
    bom: z.boolean().default(true),
    /** ';' for Excel in locales with a decimal comma (numbers then use a decimal comma too). */
    delimiter: z.enum([',', ';']).default(','),
  })
  .strict();
export type CsvOptionsInput = z.input<typeof csvOptionsSchema>;

/** Which leads an export holds, in which order. */
export const exportSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  /** The grid's current filters, search and sort. */
  z.object({ kind: z.literal('query'), query: leadQuerySchema }).strict(),
  /** A saved view by id or name; its columns are the default columns. */
  z
    .object({ kind: z.literal('view'), viewId: id.optional(), name: z.string().trim().min(1).max(200).optional() })
    .strict(),
  /** The grid's selection (ids, or "all matching" minus unticked rows). */
  z.object({ kind: z.literal('selection'), selection: leadSelectionSchema }).strict(),
  z.object({ kind: z.literal('segment'), segment: z.string().trim().min(1).max(100) }).strict(),
  /** The follow-up queue (open follow-ups, by next action due); one owner's or everyone's. */
  z.object({ kind: z.literal('queue'), ownerId: id.nullable().default(null) }).strict(),
]);
export type ExportSource = z.output<typeof exportSourceSchema>;
export type ExportSourceInput = z.input<typeof exportSourceSchema>;

const presetId = z.enum(['hubspot', 'salesforce', 'pipedrive']);

const commonExport = {
  format: exportFormatSchema,
  csv: csvOptionsSchema.optional(),
  /** IANA zone dates are written in; default the machine's. Recorded for the round trip. */
  timeZone: z.string().min(1).max(100).optional(),
  /** Id for job-progress events and export-cancel; generated when absent. */
  jobId: z.string().min(1).max(100).optional(),
};

export const exchangeArgs = {
  /** What the export dialog offers: columns, presets, custom fields, defaults. */
  'export-options': z.object({}).strict(),
  'export-leads': z
    .object({
      source: exportSourceSchema,
      /** Column keys (see export-options); default the view's columns or a standard set. */
      columns: z.array(columnKey).min(1).max(300).optional(),
      /** Column names of a CRM's importer; `columns` are then added after the preset's. */
      preset: presetId.optional(),
      /** Adds the lead id and export id columns and records the exported values so the
       * edited sheet can come back. Default: true, false with a preset. */
      roundTrip: z.boolean().optional(),
      out: path,
      ...commonExport,
    })
    .strict(),
  'export-owner-packs': z
    .object({
      /** Default: the follow-up queue. */
      source: exportSourceSchema.optional(),
      /** Default: every owner holding leads in the source. */
      ownerIds: z.array(id).min(1).max(1000).optional(),
      /** Also a pack of the leads nobody owns. */
      includeUnassigned: z.boolean().default(false),
      /** One file per owner (out = folder), or one XLSX workbook with a sheet per owner (out = file). */
      layout: z.enum(['files', 'workbook']),
      columns: z.array(columnKey).min(1).max(300).optional(),
      out: path,
      ...commonExport,
    })
    .strict(),
  'export-report': z
    .object({
      report: z.enum(['funnel', 'grades', 'sla', 'outcomes', 'dispositions']),
      filter: reportFilterSchema.default({}),
      out: path,
      ...commonExport,
    })
    .strict(),
  'export-cancel': z.object({ jobId: z.string().min(1).max(100) }).strict(),
  'exports-list': z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
  /** Reads a returned sheet and previews every change and conflict; changes nothing. */
  'roundtrip-inspect': z
    .object({
      path,
      /** A CSV's encoding as the user confirmed it (a file that is not UTF-8). */
      encoding: z.enum(TEXT_ENCODINGS).optional(),
      /** How typed dates such as 05/12/2026 are read (default: as detected). */
      dateOrder: z.enum(['dmy', 'mdy']).optional(),
    })
    .strict(),
  'roundtrip-apply': z
    .object({
      path,
      /** Required for a CSV that is not UTF-8: the encoding the user confirmed. */
      encoding: z.enum(TEXT_ENCODINGS).optional(),
      /** From the preview: refuses a file that changed since it was inspected. */
      fileSha256: z.string().regex(/^[0-9a-f]{64}$/),
      /** Conflict id -> whose value wins. Conflicts without a choice keep Leadbench's value. */
      choices: z.record(z.string().max(400), z.enum(['sheet', 'leadbench'])).default({}),
      /** Back up the workspace first (default true). */
      backup: z.boolean().default(true),
      /** How typed dates such as 05/12/2026 are read, as chosen in the preview (default: as detected). */
      dateOrder: z.enum(['dmy', 'mdy']).optional(),
    })
    .strict(),
  'workspace-backup': z.object({ out: path.optional() }).strict(),
  'backups-list': z.object({}).strict(),
} as const;

/** Whether each handler reads or writes the workspace (core.ts: HandlerAccess). */
export const exchangeAccess = {
  'export-options': 'read',
  'export-leads': 'write', // records the export (and its round-trip snapshot) in the workspace
  'export-owner-packs': 'write', // records the export (and its round-trip snapshot) in the workspace
  'export-report': 'write', // records the export in the workspace
  'export-cancel': 'read', // touches no data: answered at once, even during a long job
  'exports-list': 'read',
  'roundtrip-inspect': 'read',
  'roundtrip-apply': 'write',
  'workspace-backup': 'write', // records the backup in the workspace
  'backups-list': 'read',
} as const satisfies AccessOf<typeof exchangeArgs>;

export type ExportColumnInfo = Readonly<{
  key: string;
  label: string;
  kind: 'text' | 'number' | 'date' | 'datetime';
  group: 'id' | 'lead' | 'score' | 'followup' | 'rep';
  /** Read back from a returned sheet. */
  editable: boolean;
}>;

export type ExportOptions = Readonly<{
  columns: readonly ExportColumnInfo[];
  presets: readonly Readonly<{ id: string; label: string; description: string; headers: readonly string[] }>[];
  defaults: Readonly<{ leads: readonly string[]; ownerPack: readonly string[] }>;
  owners: readonly Readonly<{ id: number; name: string; email: string; leads: number }>[];
  segments: readonly string[];
  views: readonly Readonly<{ id: number; name: string }>[];
  timeZone: string;
}>;

export type ExportFile = Readonly<{
  path: string;
  rows: number;
  bytes: number;
  /** Owner packs: whose pack this file (or sheet) is. */
  ownerId?: number | null;
  ownerName?: string;
  sheet?: string;
}>;

export type ExportResult = Readonly<{
  exportId: number;
  /** The id written into round-trip sheets ("Leadbench export" column). */
  exportUid: string;
  format: ExportFormat;
  rows: number;
  headers: readonly string[];
  files: readonly ExportFile[];
  roundTrip: boolean;
  tookMs: number;
}>;

export type ExportSummary = Readonly<{
  exportId: number;
  exportUid: string;
  kind: 'leads' | 'owner-packs' | 'report';
  format: ExportFormat;
  rows: number;
  roundTrip: boolean;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  files: readonly string[];
  createdAt: number;
}>;

export type RoundtripChangeKind = 'field' | 'stage' | 'attempt' | 'disposition' | 'note' | 'new-lead';

/**
 * One change the sheet asks for. `status`: apply = will be applied; conflict = the lead
 * changed in Leadbench since the export (see conflicts; the choice decides); applied = this
 * sheet's change is already in Leadbench (a second apply), nothing to do; invalid = cannot
 * be applied (message says why).
 */
export type RoundtripChange = Readonly<{
  id: string;
  kind: RoundtripChangeKind;
  status: 'apply' | 'conflict' | 'applied' | 'invalid';
  leadUid: string | null;
  leadId: number | null;
  leadName: string;
  sheet: string;
  /** 1-based row in the sheet (header = 1). */
  row: number;
  field: string | null;
  fieldLabel: string | null;
  from: string | null;
  to: string | null;
  /** Plain words: "Stage: New → Qualified (SQL)", "Call, Connected on 2026-11-23 10:00". */
  summary: string;
  message: string | null;
}>;

export type RoundtripConflict = Readonly<{
  /** Key for `choices` in roundtrip-apply. */
  id: string;
  leadUid: string;
  leadId: number;
  leadName: string;
  field: string;
  fieldLabel: string;
  /** The value as exported, as the rep changed it, and as it is in Leadbench now. */
  exported: string | null;
  sheet: string | null;
  current: string | null;
}>;

export type RoundtripIssue = Readonly<{ sheet: string; row: number | null; column: string | null; message: string }>;

export type RoundtripPreview = Readonly<{
  fileName: string;
  fileSha256: string;
  exportId: number;
  exportUid: string;
  exportedAt: number;
  sheets: readonly string[];
  counts: Readonly<{
    rows: number;
    matched: number;
    unchanged: number;
    newRows: number;
    /** Leads exported but no longer in the sheet: nothing changes for them. */
    removedFromSheet: number;
    /** Rows whose lead was deleted in Leadbench since the export. */
    missingLeads: number;
    toApply: number;
    conflicts: number;
    alreadyApplied: number;
    invalid: number;
  }>;
  changes: readonly RoundtripChange[];
  conflicts: readonly RoundtripConflict[];
  issues: readonly RoundtripIssue[];
  /** Unknown columns in the sheet, ignored. */
  ignoredColumns: readonly string[];
  /** The encoding a CSV was read in (null: a workbook). */
  encoding: TextEncoding | null;
  /**
   * The CSV is not valid UTF-8 and no encoding was named: a line as read in the guessed
   * `encoding`, for the user to confirm; roundtrip-apply refuses until the encoding is named.
   */
  encodingSample: string | null;
  dates: RoundtripDates;
}>;

/** How the sheet's typed dates (attempt date, custom date fields) are read. */
export type RoundtripDates = Readonly<{
  order: 'dmy' | 'mdy';
  /** The user's choice, the sheet's own unambiguous dates, the workspace's imports, or the export's convention. */
  source: 'chosen' | 'sheet' | 'imports' | 'export';
  /** The order without the user's choice. */
  detected: 'dmy' | 'mdy';
  /** Rows with a typed date that reads both ways (05/12/2026), and the first few. */
  ambiguousRows: number;
  examples: readonly Readonly<{ sheet: string; row: number; column: string; value: string }>[];
}>;

export type RoundtripApplyResult = Readonly<{
  applyId: number | null;
  applied: Readonly<Record<RoundtripChangeKind, number>>;
  conflictsTakenFromSheet: number;
  conflictsKeptLeadbench: number;
  alreadyApplied: number;
  /** Changes Leadbench refused (a disposition needing more attempts, an invalid value). */
  refused: readonly Readonly<{ changeId: string; leadName: string; message: string }>[];
  backup: BackupInfo | null;
}>;

export type BackupInfo = Readonly<{
  id: number;
  path: string;
  kind: 'manual' | 'auto';
  reason: string;
  sizeBytes: number;
  createdAt: number;
  /** The file is still there. */
  exists: boolean;
}>;

export type ExchangeResults = {
  'export-options': ExportOptions;
  'export-leads': ExportResult;
  'export-owner-packs': ExportResult;
  'export-report': ExportResult;
  'export-cancel': Readonly<{ cancelled: boolean }>;
  'exports-list': readonly ExportSummary[];
  'roundtrip-inspect': RoundtripPreview;
  'roundtrip-apply': RoundtripApplyResult;
  'workspace-backup': BackupInfo;
  'backups-list': readonly BackupInfo[];
};

export type ExchangeEvents = {
  /** A backup finished (manual or automatic before a destructive operation). */
  'backup-created': BackupInfo;
};
