/**
 * Turning the requested column keys (or a CRM preset) into writer columns with a value
 * function each, and, for round-trip exports, the raw values recorded per lead so a returned
 * sheet's edits can be compared with what was exported.
 */
import type Database from 'better-sqlite3';
import {
  ATTEMPT_CHANNEL_LABELS,
  ATTEMPT_CHANNELS,
  ATTEMPT_OUTCOME_LABELS,
  ATTEMPT_OUTCOMES,
} from '../../../../shared/followup/defaults';
import {
  CUSTOM_COLUMN_PREFIX,
  EXPORT_ID_COLUMN,
  LEAD_ID_COLUMN,
  exportColumn,
  isCustomColumnKey,
  isLeadFieldKey,
  type ExportColumnDef,
} from '../../../../shared/exchange/columns';
import { exportPreset, type PresetCellValue } from '../../../../shared/exchange/presets';
import { AppError } from '../../errors';
import { valueText, type CustomFieldType, type CustomValue } from '../../../../shared/custom-fields';
import { customFieldTypes } from '../leads/custom-fields';
import { leadKeyName } from '../leads/lead-key';
import type { LoadedLead, LeadLoader } from './lead-rows';
import type { SheetCell, SheetColumn } from './sheet-writer';

export type ResolvedColumn = Readonly<{
  key: string;
  sheet: SheetColumn;
  value: (lead: LoadedLead) => SheetCell;
}>;

export type ColumnPlan = Readonly<{
  columns: readonly ResolvedColumn[];
  /** Editable base keys whose raw values a round trip records. */
  editableKeys: readonly string[];
  /** Header -> column key, recorded with the export to read the sheet back. */
  headerKeys: readonly Readonly<{ header: string; key: string }>[];
  needsLedger: boolean;
}>;

const DATE_KEYS = new Set(['created_at', 'updated_at', 'last_activity_at', 'sla_due_at', 'scored_at']);
const NUMBER_KEYS = new Set(['score_total', 'score_fit', 'score_engagement', 'company_size']);

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = typeof v === 'string' ? v : String(v);
  return s === '' ? null : s;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * The value of a base column for a lead, as the sheet shows it (stage by label, dates as
 * epoch ms, the lead id, the export id). Rep columns are blank: the rep fills them in.
 */
export function baseValue(key: string, lead: LoadedLead, loader: LeadLoader, exportUid: string): SheetCell {
  const r = lead.row;
  if (key === LEAD_ID_COLUMN) return lead.uid;
  if (key === EXPORT_ID_COLUMN) return exportUid;
  if (isCustomColumnKey(key)) {
    // Typed values (shared/custom-fields.ts): numbers and dates (epoch ms) as number cells.
    const v = lead.custom[key.slice(CUSTOM_COLUMN_PREFIX.length)];
    if (typeof v === 'number') return num(v);
    if (typeof v === 'boolean') return valueText(v);
    return text(v);
  }
  if (DATE_KEYS.has(key) || NUMBER_KEYS.has(key)) return num(r[key]);
  switch (key) {
    case 'name':
      return text([r.first_name, r.last_name].filter((p) => typeof p === 'string' && p !== '').join(' '));
    case 'stage':
      return loader.stageLabel(String(r.stage));
    case 'owner_name':
      return lead.ownerName;
    case 'owner_email':
      return lead.ownerEmail;
    case 'tags':
      return lead.tags.length ? lead.tags.join(', ') : null;
    case 'grade':
    case 'segment':
    case 'lead_key':
      return text(r[key]);
    case 'is_mql':
      return r.is_mql === 1 ? 'Yes' : 'No';
    case 'suppressed_reason':
      return text(r.suppressed_reason) ?? text(r.manual_suppression);
    case 'ledger':
      return lead.ledger;
    case 'attempt_date':
    case 'channel':
    case 'outcome':
    case 'disposition':
    case 'notes':
    case 'next_step':
      return null;
    default:
      return isLeadFieldKey(key) ? text(r[key]) : null;
  }
}

/** The raw (stored) value of an editable column, recorded for the round trip. */
export function rawEditableValue(
  key: string,
  lead: LoadedLead,
  customTypes?: ReadonlyMap<string, CustomFieldType>,
): string | number | null {
  if (key === 'stage') return String(lead.row.stage);
  if (isCustomColumnKey(key)) {
    const field = key.slice(CUSTOM_COLUMN_PREFIX.length);
    return text(valueText(lead.custom[field] as CustomValue | undefined, customTypes?.get(field)));
  }
  if (key === 'company_size') return num(lead.row.company_size);
  return text(lead.row[key]);
}

/** Labels of the active disposition reasons ("Unqualified: No budget" for a sub-reason). */
export function dispositionChoices(db: Database.Database): string[] {
  try {
    const rows = db
      .prepare(
        `SELECT r.label, p.label AS parent FROM disposition_reasons r LEFT JOIN disposition_reasons p ON p.id = r.parent_id
         WHERE r.active = 1 ORDER BY coalesce(p.position, r.position), r.parent_id IS NOT NULL, r.position`,
      )
      .all() as { label: string; parent: string | null }[];
    return rows.map((r) => (r.parent ? `${r.parent}: ${r.label}` : r.label));
  } catch {
    return [];
  }
}

function choicesFor(key: string, db: Database.Database, stageLabels: readonly string[]): readonly string[] | undefined {
  switch (key) {
    case 'channel':
      return ATTEMPT_CHANNELS.map((c) => ATTEMPT_CHANNEL_LABELS[c]);
    case 'outcome':
      return ATTEMPT_OUTCOMES.map((o) => ATTEMPT_OUTCOME_LABELS[o]);
    case 'disposition':
      return dispositionChoices(db);
    case 'stage':
      return stageLabels;
    default:
      return undefined;
  }
}

function sheetColumn(def: ExportColumnDef, header: string, choices?: readonly string[]): SheetColumn {
  const textInput = def.editable && def.kind === 'text';
  return {
    header,
    kind: def.kind,
    width: def.width,
    ...(textInput ? { textInput: true } : {}),
    ...(choices && choices.length ? { choices } : {}),
  };
}

/**
 * Resolves the export's columns. With a preset, its columns come first and `keys` are
 * added after them; round trip puts the lead id and export id columns first.
 */
export function planColumns(
  db: Database.Database,
  loader: LeadLoader,
  exportUid: string,
  opts: Readonly<{ keys: readonly string[]; preset?: string | undefined; roundTrip: boolean }>,
): ColumnPlan {
  const columns: ResolvedColumn[] = [];
  const headerKeys: { header: string; key: string }[] = [];
  const editable: string[] = [];
  const usedHeaders = new Set<string>();
  const stageLabelList = [...stageLabelsOf(loader, db)];
  const keyName = leadKeyName(db);
  let needsLedger = false;

  const customTypes = customFieldTypes(db);
  const addBase = (key: string) => {
    const base = exportColumn(key);
    const type = isCustomColumnKey(key) ? customTypes.get(key.slice(CUSTOM_COLUMN_PREFIX.length)) : undefined;
    const def =
      base && (type === 'number' || type === 'date')
        ? { ...base, kind: type === 'number' ? ('number' as const) : ('datetime' as const) }
        : base;
    if (!def) throw new AppError('BAD_ARGUMENT', `Unknown export column "${key}".`);
    if (columns.some((c) => c.key === key)) return;
    const label = key === 'lead_key' && keyName !== null ? keyName : def.label;
    let header = label;
    for (let i = 2; usedHeaders.has(header.toLowerCase()); i++) header = `${label} (${i})`;
    usedHeaders.add(header.toLowerCase());
    if (key === 'ledger') needsLedger = true;
    columns.push({
      key,
      sheet: sheetColumn(def, header, choicesFor(key, db, stageLabelList)),
      value: (lead) => baseValue(key, lead, loader, exportUid),
    });
    headerKeys.push({ header, key });
    if (def.editable && def.group !== 'rep') editable.push(key);
  };

  if (opts.roundTrip) {
    addBase(LEAD_ID_COLUMN);
    addBase(EXPORT_ID_COLUMN);
  }
  if (opts.preset) {
    const preset = exportPreset(opts.preset);
    if (!preset) throw new AppError('BAD_ARGUMENT', `Unknown export preset "${opts.preset}".`);
    for (const pc of preset.columns) {
      usedHeaders.add(pc.header.toLowerCase());
      columns.push({
        key: `preset:${pc.header}`,
        sheet: { header: pc.header, kind: pc.kind, width: Math.max(12, pc.header.length + 2) },
        value: (lead) => {
          const get = (k: string): PresetCellValue => baseValue(k, lead, loader, exportUid) as PresetCellValue;
          // Presets read stage keys (their picklists are keyed by our stage keys), not labels.
          const getRaw = (k: string): PresetCellValue => (k === 'stage' ? String(lead.row.stage) : get(k));
          return pc.value(getRaw);
        },
      });
    }
  }
  for (const key of opts.keys) addBase(key);
  return { columns, editableKeys: editable, headerKeys, needsLedger };
}

function stageLabelsOf(loader: LeadLoader, db: Database.Database): string[] {
  try {
    return (db.prepare('SELECT key FROM stage_config ORDER BY position').pluck().all() as string[]).map(
      loader.stageLabel,
    );
  } catch {
    return [];
  }
}
