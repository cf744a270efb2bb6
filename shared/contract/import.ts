/**
 * Import handlers: inspect a file, preview rows as they will be stored, run (a job with
 * progress and cancel), undo, history, rejected rows, saved mappings, sample datasets.
 * Files cross IPC as PATHS only; the backend streams them.
 */
import { z } from 'zod';
import { CUSTOM_FIELD_TYPES, type CustomFieldType } from '../custom-fields';
import type { DateFindings } from '../date-findings';
import type { AccessOf } from './core';
import { ACTIVITY_TYPES, isActivityTypeKey, type ActivityTypeKey, type LeadFieldKey } from '../domain';
import { COLUMN_TARGETS, DATE_ORDERS, IMPORT_KINDS, type ColumnMapping, type ImportKind } from '../mapping';
import { outcomeMappingSchema } from '../outcomes';

export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];
export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

const pathSchema = z.string().min(1).max(4096);
const mappingSchema = z.record(z.string().max(1000), z.enum(COLUMN_TARGETS));

/** A built-in activity type, or a workspace type "ws:Name". */
export const activityTypeKeySchema = z
  .string()
  .max(200)
  .refine(isActivityTypeKey, { error: 'must be a built-in activity type or a workspace type (ws:Name)' })
  .transform((v) => v as ActivityTypeKey);

/** How the file is read (detected by import-inspect; each can be overridden). */
export const readOptionsSchema = z
  .object({
    encoding: z.enum(TEXT_ENCODINGS).optional(),
    delimiter: z.enum(DELIMITERS).optional(),
    /** XLSX: the sheet's name (default: the first). */
    sheet: z.string().max(300).optional(),
    /** 1-based row of the header (default: the best detected candidate). */
    headerRow: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();

/** Mapping plus the settings that go with it; saved mappings store exactly this. */
export const mappingSettingsSchema = z
  .object({
    kind: z.enum(IMPORT_KINDS),
    /** header -> target; headers not listed are kept as custom fields. Default: suggested. */
    mapping: mappingSchema.optional(),
    /** Identity from the file row number (files without email or any id column). */
    rowKey: z.boolean().optional(),
    /** Existing leads: fill only their blank fields, or overwrite with non-blank values. */
    update: z.enum(['fill', 'overwrite']).optional(),
    /** Placeholder cells ("Select", "--", "N/A") read as blank. Default: yes, as the import wizard offers. */
    blankPlaceholders: z.boolean().optional(),
    placeholders: z.array(z.string().max(100)).max(100).readonly().optional(),
    dateOrder: z.enum(DATE_ORDERS).optional(),
    activityType: z.enum(ACTIVITY_TYPES).optional(),
    /** Type column values -> built-in or workspace ("ws:Name") types; others: see activityTypeOf. */
    activityTypeMap: z.record(z.string().max(1000), activityTypeKeySchema).optional(),
    asset: z.string().max(2000).optional(),
    eventList: z.enum(['column', 'registered', 'attended']).optional(),
    eventTime: z.number().int().optional(),
    /** Custom columns' types chosen in the mapping step (others: inferred from all their values). */
    customTypes: z.record(z.string().max(1000), z.enum(CUSTOM_FIELD_TYPES)).optional(),
    /** Leads without a name, email or key are shown by this column ("show leads by: ..."). */
    showLeadsBy: z.string().max(1000).optional(),
    /** Activities of unknown people: create the lead, or reject the row. */
    unknownLeads: z.enum(['create', 'reject']).optional(),
    /** A column mapped as the outcome (leads imports): its won values close leads as Won, the rest as Lost. */
    outcome: outcomeMappingSchema.optional(),
  })
  .strict();

export const importOptionsSchema = readOptionsSchema.extend(mappingSettingsSchema.shape).strict();

export type ReadOptions = z.input<typeof readOptionsSchema>;
export type MappingSettings = z.input<typeof mappingSettingsSchema>;
export type ImportOptions = z.input<typeof importOptionsSchema>;

export type HeaderCandidate = Readonly<{
  /** 1-based row number in the file (sheet). */
  row: number;
  /** The section title above it, when the file has sections ("Attendee Details"). */
  label: string | null;
  headers: readonly string[];
  /** Data rows that follow it in the sampled part of the file. */
  dataRows: number;
}>;

export type SavedMapping = Readonly<{
  id: number;
  name: string;
  kind: ImportKind;
  headerSignature: string;
  settings: MappingSettings;
  updatedAt: number;
}>;

export type InspectResult = Readonly<{
  path: string;
  fileName: string;
  sizeBytes: number;
  format: 'csv' | 'xlsx';
  encoding: TextEncoding | null;
  /**
   * The file is not valid UTF-8 and no encoding was named: `encoding` is a guess, this line
   * shows it decoded, and import-run refuses until the options name an encoding.
   */
  encodingSample: string | null;
  delimiter: Delimiter | null;
  sheets: readonly string[];
  sheet: string | null;
  headerCandidates: readonly HeaderCandidate[];
  headerRow: number;
  headers: readonly string[];
  headerSignature: string;
  /** Suggested mapping for the requested (or guessed) kind. */
  kind: ImportKind;
  mapping: ColumnMapping;
  keyCandidates: readonly string[];
  /** Detected day/month order of date columns, when the sample decides it. */
  dateOrder: 'dmy' | 'mdy' | null;
  /** The report's own name for its webinar or event (Zoom's "Topic" line): an event import's name when none is given. */
  reportTopic: string | null;
  /** A saved mapping for files with these headers, if any. */
  savedMapping: SavedMapping | null;
  /** First rows as raw cells (after the header row). */
  sampleRows: readonly (readonly string[])[];
}>;

export type PreviewRow = Readonly<{
  row: number;
  ok: boolean;
  error: Readonly<{ column: string | null; reason: string }> | null;
  email: string | null;
  fields: Readonly<Partial<Record<LeadFieldKey, string | number>>>;
  custom: Readonly<Record<string, string>>;
  keys: readonly (readonly [string, string])[];
  activities: readonly Readonly<{ type: string; asset: string; occurredAt: number; durationSec: number | null }>[];
}>;

export type PreviewResult = Readonly<{
  headers: readonly string[];
  headerRow: number;
  problems: readonly string[];
  rows: readonly PreviewRow[];
}>;

/** One distinct value of a column and how many rows hold it. */
export type ValueCount = Readonly<{ value: string; count: number }>;

export type ColumnProfile = Readonly<{
  header: string;
  /** Rows with a non-blank cell in this column. */
  filled: number;
  /** The most frequent values first (at most PROFILE_TOP_VALUES), for pickers with counts. */
  values: readonly ValueCount[];
  /** Distinct values counted; past PROFILE_DISTINCT_MAX new values are not counted and `capped` is set. */
  distinct: number;
  capped: boolean;
  /** The type the import would give it as a custom field (from all its values). */
  inferredType: CustomFieldType;
}>;

export type { AmbiguousDate } from '../date-findings';

/** The whole file read once after its header row: exact row count, values per column, date order. */
export type FileProfile = Readonly<{
  headerRow: number;
  /** Non-blank data rows below the header: exact, not a sample. */
  rows: number;
  columns: readonly ColumnProfile[];
  /** The date order the file's dates prove and the rows whose dates read both ways (shared/date-findings.ts). */
  dates: DateFindings;
}>;

/**
 * What an import did. Lead and event imports count people: inserted / updated / unchanged.
 * Activity imports count rows: inserted (a new activity) / unchanged (already stored).
 * skipped = blank rows; errors = rejected rows (see import-errors).
 */
export type ImportSummary = Readonly<{
  importId: number;
  jobId: string;
  fileName: string;
  kind: ImportKind;
  status: 'done' | 'failed' | 'cancelled';
  rowsTotal: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: number;
  activitiesInserted: number;
  /** Leads created (for activity imports: people not seen before). */
  leadsCreated: number;
  durationMs: number;
  rescored: number;
  /** Leads the outcome column closed as won / lost (absent without an outcome column). */
  outcomes?: Readonly<{ won: number; lost: number; open: number }>;
  dates: ImportDates;
}>;

/** How an import read numeric dates: the order, whether the user chose it, and the rows that read both ways. */
export type ImportDates = Readonly<{
  /** Null when no numeric date decided it and none was chosen ("/" month first, "-" and "." day first). */
  order: 'dmy' | 'mdy' | null;
  chosen: boolean;
  /**
   * Rows with a date that reads both ways, e.g. 05/12/2026: the same count as the wizard's
   * (import-profile), one definition (shared/date-findings.ts).
   */
  ambiguousRows: number;
  /** The earliest and latest date of the rows stored (their activities' times, the leads' created dates); null when none has one. */
  range: Readonly<{ first: number; last: number }> | null;
}>;

export type ImportRecord = Readonly<{
  id: number;
  fileName: string;
  filePath: string;
  kind: ImportKind;
  status: string;
  options: Readonly<Record<string, unknown>>;
  mapping: ColumnMapping;
  rowsTotal: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: number;
  activitiesInserted: number;
  startedAt: number;
  finishedAt: number | null;
  message: string | null;
}>;

export type ImportErrorRow = Readonly<{ row: number; column: string | null; reason: string; raw: string | null }>;

export type UndoSummary = Readonly<{
  importId: number;
  leadsDeleted: number;
  leadsRestored: number;
  activitiesDeleted: number;
}>;

export const importArgs = {
  'import-inspect': readOptionsSchema.extend({ path: pathSchema, kind: z.enum(IMPORT_KINDS).optional() }).strict(),
  'import-profile': readOptionsSchema.extend({ path: pathSchema }).strict(),
  'import-preview': z
    .object({ path: pathSchema, options: importOptionsSchema, limit: z.number().int().min(1).max(500).optional() })
    .strict(),
  'import-run': z
    .object({ path: pathSchema, options: importOptionsSchema, jobId: z.string().max(200).optional() })
    .strict(),
  'import-undo': z.object({ importId: z.number().int().positive() }).strict(),
  'imports-list': z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  'import-errors': z
    .object({
      importId: z.number().int().positive(),
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
  'import-errors-export': z.object({ importId: z.number().int().positive(), path: pathSchema }).strict(),
  'mappings-list': z.object({ headerSignature: z.string().max(100_000).optional() }).strict(),
  'mapping-save': z
    .object({
      name: z.string().trim().min(1).max(200),
      headers: z.array(z.string().max(1000)).min(1).max(5000).readonly(),
      settings: mappingSettingsSchema,
    })
    .strict(),
  'sample-load': z.object({ id: z.string().min(1).max(100) }).strict(),
} as const;

/** Whether each handler reads or writes the workspace (core.ts: HandlerAccess). */
export const importAccess = {
  'import-inspect': 'read',
  'import-preview': 'read',
  'import-profile': 'read',
  'import-run': 'write',
  'import-undo': 'write',
  'imports-list': 'read',
  'import-errors': 'read',
  'import-errors-export': 'read', // writes a file, not the workspace
  'mappings-list': 'read',
  'mapping-save': 'write',
  'sample-load': 'write',
} as const satisfies AccessOf<typeof importArgs>;

export type ImportResults = {
  'import-inspect': InspectResult;
  'import-profile': FileProfile;
  'import-preview': PreviewResult;
  'import-run': ImportSummary;
  'import-undo': UndoSummary;
  'imports-list': readonly ImportRecord[];
  'import-errors': Readonly<{ total: number; rows: readonly ImportErrorRow[] }>;
  'import-errors-export': Readonly<{ path: string; rows: number }>;
  'mappings-list': readonly SavedMapping[];
  'mapping-save': SavedMapping;
  'sample-load': Readonly<{ id: string; imports: readonly ImportSummary[] }>;
};

export type ImportEvents = {
  /** An import finished (done, failed or cancelled); the history and grid refetch. */
  'import-finished': ImportSummary;
};
