/**
 * The columns an export can carry, by stable key. Keys are the lead grid's column keys
 * (shared/lead-columns.ts: `name`, `owner_name`, `score_total`, `sla_due_at`,
 * `custom.<field>`, ...) so a grid view exports with exactly the columns it shows; the
 * export adds the round-trip ids, the owner's email, the score ledger as text and the
 * columns a rep fills in.
 *
 * The writers type cells by `kind`. `editable` columns are the ones a returned sheet is read
 * back from: lead fields become field edits, `stage` a stage change, the rep columns
 * (attempt date ... next step) an attempt and a disposition. Everything else is information
 * and ignored on re-import.
 */
import { LEAD_FIELDS, type LeadFieldKey } from '../domain';

export type ExportColumnKind = 'text' | 'number' | 'date' | 'datetime';
export type ExportColumnGroup = 'id' | 'lead' | 'score' | 'followup' | 'rep';

export type ExportColumnDef = Readonly<{
  key: string;
  label: string;
  kind: ExportColumnKind;
  group: ExportColumnGroup;
  /** Read back from a returned sheet. */
  editable: boolean;
  /** Width in characters in XLSX (Excel's column width unit). */
  width: number;
}>;

/** The stable lead id column and the export id column a round trip recognizes a sheet by. */
export const LEAD_ID_COLUMN = 'lead_id';
export const EXPORT_ID_COLUMN = 'export_id';
export const LEAD_ID_LABEL = 'Leadbench ID';
export const EXPORT_ID_LABEL = 'Leadbench export';

/** The columns a rep fills in, in the order they appear in an owner pack. */
export const REP_COLUMN_KEYS = ['attempt_date', 'channel', 'outcome', 'disposition', 'notes', 'next_step'] as const;
export type RepColumnKey = (typeof REP_COLUMN_KEYS)[number];

/** Prefix of a custom-field column key, as in the grid: `custom.<original header>`. */
export const CUSTOM_COLUMN_PREFIX = 'custom.';

const leadFieldColumns: ExportColumnDef[] = LEAD_FIELDS.map((f) => ({
  key: f.key,
  label: f.label,
  kind: f.kind,
  group: 'lead',
  editable: true,
  width: f.key === 'email' || f.key === 'website' ? 30 : f.kind === 'number' ? 12 : 18,
}));

export const BASE_EXPORT_COLUMNS: readonly ExportColumnDef[] = [
  { key: LEAD_ID_COLUMN, label: LEAD_ID_LABEL, kind: 'text', group: 'id', editable: false, width: 24 },
  { key: EXPORT_ID_COLUMN, label: EXPORT_ID_LABEL, kind: 'text', group: 'id', editable: false, width: 22 },
  { key: 'name', label: 'Name', kind: 'text', group: 'lead', editable: false, width: 24 },
  // Headed by the workspace's key name ("Prospect ID") when it has one (export-columns.ts).
  { key: 'lead_key', label: 'Key', kind: 'text', group: 'lead', editable: false, width: 38 },
  ...leadFieldColumns,
  { key: 'stage', label: 'Stage', kind: 'text', group: 'followup', editable: true, width: 18 },
  { key: 'owner_name', label: 'Owner', kind: 'text', group: 'followup', editable: false, width: 20 },
  { key: 'owner_email', label: 'Owner email', kind: 'text', group: 'followup', editable: false, width: 26 },
  { key: 'tags', label: 'Tags', kind: 'text', group: 'lead', editable: false, width: 20 },
  { key: 'created_at', label: 'Created', kind: 'datetime', group: 'lead', editable: false, width: 17 },
  { key: 'updated_at', label: 'Updated', kind: 'datetime', group: 'lead', editable: false, width: 17 },
  { key: 'last_activity_at', label: 'Last activity', kind: 'datetime', group: 'followup', editable: false, width: 17 },
  { key: 'sla_due_at', label: 'SLA due', kind: 'datetime', group: 'followup', editable: false, width: 17 },
  { key: 'score_total', label: 'Score', kind: 'number', group: 'score', editable: false, width: 8 },
  { key: 'score_fit', label: 'Fit', kind: 'number', group: 'score', editable: false, width: 8 },
  { key: 'score_engagement', label: 'Engagement', kind: 'number', group: 'score', editable: false, width: 11 },
  { key: 'grade', label: 'Grade', kind: 'text', group: 'score', editable: false, width: 7 },
  { key: 'segment', label: 'Segment', kind: 'text', group: 'score', editable: false, width: 12 },
  { key: 'is_mql', label: 'MQL', kind: 'text', group: 'score', editable: false, width: 6 },
  { key: 'suppressed_reason', label: 'Suppressed', kind: 'text', group: 'score', editable: false, width: 16 },
  { key: 'scored_at', label: 'Scored', kind: 'datetime', group: 'score', editable: false, width: 17 },
  { key: 'ledger', label: 'Score breakdown', kind: 'text', group: 'score', editable: false, width: 60 },
  { key: 'attempt_date', label: 'Attempt date', kind: 'datetime', group: 'rep', editable: true, width: 17 },
  { key: 'channel', label: 'Channel', kind: 'text', group: 'rep', editable: true, width: 12 },
  { key: 'outcome', label: 'Outcome', kind: 'text', group: 'rep', editable: true, width: 18 },
  { key: 'disposition', label: 'Disposition', kind: 'text', group: 'rep', editable: true, width: 24 },
  { key: 'notes', label: 'Notes', kind: 'text', group: 'rep', editable: true, width: 40 },
  { key: 'next_step', label: 'Next step', kind: 'text', group: 'rep', editable: true, width: 28 },
];

const BY_KEY = new Map(BASE_EXPORT_COLUMNS.map((c) => [c.key, c]));

export function isCustomColumnKey(key: string): boolean {
  return key.startsWith(CUSTOM_COLUMN_PREFIX) && key.length > CUSTOM_COLUMN_PREFIX.length;
}

/** The definition of a column key, including custom fields; undefined for unknown keys. */
export function exportColumn(key: string): ExportColumnDef | undefined {
  const base = BY_KEY.get(key);
  if (base) return base;
  if (isCustomColumnKey(key)) {
    const name = key.slice(CUSTOM_COLUMN_PREFIX.length);
    const width = Math.min(40, Math.max(12, name.length + 2));
    return { key, label: name, kind: 'text', group: 'lead', editable: true, width };
  }
  return undefined;
}

export function isLeadFieldKey(key: string): key is LeadFieldKey {
  return LEAD_FIELDS.some((f) => f.key === key);
}

/** A sensible default column set for a general lead export. */
export const DEFAULT_EXPORT_COLUMNS: readonly string[] = [
  'name',
  'lead_key',
  'email',
  'company',
  'title',
  'phone',
  'country',
  'stage',
  'owner_name',
  'score_total',
  'grade',
  'segment',
  'last_activity_at',
  'sla_due_at',
];

/** Columns of an owner pack: who to call, why they matter, and the columns the rep fills. */
export const OWNER_PACK_COLUMNS: readonly string[] = [
  'name',
  'lead_key',
  'email',
  'phone',
  'company',
  'title',
  'country',
  'stage',
  'score_total',
  'grade',
  'segment',
  'sla_due_at',
  'last_activity_at',
  'ledger',
  ...REP_COLUMN_KEYS,
];
