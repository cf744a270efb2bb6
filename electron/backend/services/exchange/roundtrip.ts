/**
 * The round trip: a sheet Leadbench exported comes back edited by a rep. We recognize it by
 * its "Leadbench ID" and "Leadbench export" columns, compare every editable cell with the
 * value recorded at export time and with the lead as it is now, and plan the changes:
 *
 * - cell == exported                 -> the rep did not touch it: nothing;
 * - cell != exported, lead == cell   -> already so in Leadbench (e.g. a second apply): nothing;
 * - cell != exported, lead == export -> the rep's edit: apply;
 * - cell != exported, lead changed   -> conflict: shown field by field, the user picks.
 *
 * Rep columns become an attempt (date, channel, outcome, notes + next step), a disposition,
 * or a note. Rows without a lead id are new leads and go through the normal import (its
 * rules, journal and undo). Rows deleted from the sheet change nothing. Attempts, notes,
 * dispositions, new leads and conflict decisions are recorded by a fingerprint of their
 * content, so the same sheet applied twice changes nothing the second time.
 *
 * Inspect and apply run the same planning; apply refuses a file whose bytes changed since
 * the preview, backs the workspace up first, and applies each lead's changes through the
 * services the app itself uses (lead edit, attempts, dispositions, stage changes, notes).
 */
import type Database from 'better-sqlite3';
import { leadLabel, type LabelledLead } from '../../../../shared/lead-label';
import { valueText, type CustomValue } from '../../../../shared/custom-fields';
import { customFieldTypes } from '../leads/custom-fields';
import { customSlots, decodeCustom, type CustomSlots } from '../leads/custom-store';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { leadFieldChangesSchema } from '../../../../shared/contract/leads';
import type { TextEncoding } from '../../../../shared/contract';
import type {
  RoundtripApplyResult,
  RoundtripChange,
  RoundtripChangeKind,
  RoundtripConflict,
  RoundtripIssue,
  RoundtripPreview,
} from '../../../../shared/contract/exchange';
import { importOptionsSchema } from '../../../../shared/contract/import';
import { LEAD_FIELDS, normalizeEmail } from '../../../../shared/domain';
import {
  CUSTOM_COLUMN_PREFIX,
  EXPORT_ID_COLUMN,
  EXPORT_ID_LABEL,
  LEAD_ID_COLUMN,
  LEAD_ID_LABEL,
  exportColumn,
  isCustomColumnKey,
  isLeadFieldKey,
} from '../../../../shared/exchange/columns';
import {
  choiceKey,
  normalizeSheetText,
  parseSheetDateText,
  parseSheetNumber,
} from '../../../../shared/exchange/sheet-values';
import {
  ATTEMPT_CHANNEL_LABELS,
  ATTEMPT_CHANNELS,
  ATTEMPT_OUTCOME_LABELS,
  ATTEMPT_OUTCOMES,
  type AttemptChannel,
  type AttemptOutcome,
} from '../../../../shared/followup/defaults';
import type { BackendContext } from '../../context';
import { AppError } from '../../errors';
import { logAttempt, setDisposition } from '../followup/attempts';
import { changeStage } from '../followup/stages';
import { unconfirmedEncodingMessage } from '../import/encoding';
import { runImport } from '../import/run';
import { addNote, updateLead } from '../leads/lead-page';
import { autoBackup } from './backup';
import { isSerial, readSheets, type SheetValue } from './sheet-reader';
import { stageLabels } from './lead-rows';
import { allLeadColumnsSelectList, uidMatchSql } from '../leads/lead-uid-sql';
import { zonedClock, type ZonedClock } from './zoned-time';
import { isDateColumn, sheetDates, type SheetRows } from './roundtrip-dates';
import { bothReadings, type DayMonthOrder } from '../../../../shared/mapping';

type Payload =
  | Readonly<{ t: 'field'; key: string; value: string | number | null }>
  | Readonly<{ t: 'stage'; stage: string }>
  | Readonly<{ t: 'attempt'; channel: AttemptChannel; outcome: AttemptOutcome; at: number; note: string | null }>
  | Readonly<{ t: 'disposition'; reasonId: number }>
  | Readonly<{ t: 'note'; body: string }>
  | Readonly<{ t: 'new-lead'; values: Readonly<Record<string, string | number | null>> }>
  | Readonly<{ t: 'none' }>;

export type PlannedChange = RoundtripChange &
  Readonly<{ item: string; fingerprint: string; payload: Payload; actor: string; ownerId: number | null }>;

export type RoundtripPlan = Readonly<{
  preview: RoundtripPreview;
  changes: readonly PlannedChange[];
  exportId: number;
  fileName: string;
}>;

type ExportRow = {
  id: number;
  export_uid: string;
  kind: string;
  columns: string;
  options: string;
  round_trip: number;
  created_at: number;
  status: string;
};

type Snapshot = {
  leadId: number;
  ownerId: number | null;
  updatedAt: number;
  values: Record<string, string | number | null>;
};

type Reason = { id: number; key: string; label: string; full: string };

const REP_KEYS = new Set(['attempt_date', 'channel', 'outcome', 'disposition', 'notes', 'next_step']);
const NEW_LEAD_ACTOR = 'Returned sheet';

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function fingerprint(parts: readonly unknown[]): string {
  return sha256(JSON.stringify(parts)).slice(0, 32);
}

function display(v: string | number | null): string | null {
  return v === null ? null : String(v);
}

function sameValue(a: string | number | null, b: string | number | null): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = typeof a === 'number' ? a : Number(a);
    const y = typeof b === 'number' ? b : Number(b);
    return Number.isFinite(x) && Number.isFinite(y) ? Math.abs(x - y) < 1e-9 : String(a) === String(b);
  }
  const x = normalizeSheetText(a);
  const y = normalizeSheetText(b);
  if (x === y) return true;
  // Spreadsheets opening a CSV turn digit strings into numbers ("0301234" -> 301234): the
  // same number is not an edit.
  return x !== null && y !== null && PLAIN_NUMBER.test(x) && PLAIN_NUMBER.test(y) && Number(x) === Number(y);
}

const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

function matchChoice<T extends string>(
  text: string,
  keys: readonly T[],
  labels: Readonly<Record<T, string>>,
  synonyms: Readonly<Record<string, T>>,
): T | null {
  const k = choiceKey(text);
  for (const key of keys) if (choiceKey(key) === k || choiceKey(labels[key]) === k) return key;
  return synonyms[k] ?? null;
}

const CHANNEL_SYNONYMS: Readonly<Record<string, AttemptChannel>> = {
  phone: 'call',
  'phone call': 'call',
  telephone: 'call',
  'e mail': 'email',
  mail: 'email',
  visit: 'meeting',
  video: 'meeting',
  'video call': 'meeting',
};
const OUTCOME_SYNONYMS: Readonly<Record<string, AttemptOutcome>> = {
  voicemail: 'left_voicemail',
  vm: 'left_voicemail',
  'no reply': 'no_answer',
  'not reached': 'no_answer',
  reached: 'connected',
  talked: 'connected',
  spoke: 'connected',
  meeting: 'meeting_booked',
  'demo booked': 'meeting_booked',
  'wrong number': 'bad_number',
  bounced: 'bad_number',
  'bad email': 'bad_number',
  sent: 'email_sent',
  emailed: 'email_sent',
};

function loadReasons(db: Database.Database): Reason[] {
  return (
    db
      .prepare(
        `SELECT r.id, r.key, r.label, p.label AS parent FROM disposition_reasons r
         LEFT JOIN disposition_reasons p ON p.id = r.parent_id WHERE r.active = 1`,
      )
      .all() as { id: number; key: string; label: string; parent: string | null }[]
  ).map((r) => ({ id: r.id, key: r.key, label: r.label, full: r.parent ? `${r.parent}: ${r.label}` : r.label }));
}

function matchReason(text: string, reasons: readonly Reason[]): Reason | null {
  const k = choiceKey(text);
  return (
    reasons.find((r) => choiceKey(r.full) === k || choiceKey(r.key) === k) ??
    reasons.find((r) => choiceKey(r.label) === k) ??
    null
  );
}

function findHeaderRow(rows: readonly (readonly SheetValue[])[]): number {
  for (let i = 0; i < Math.min(rows.length, 20); i++) {
    const texts = (rows[i] ?? []).map((v) =>
      typeof v === 'string' ? (normalizeSheetText(v) ?? '').toLowerCase() : '',
    );
    if (texts.includes(LEAD_ID_LABEL.toLowerCase()) && texts.includes(EXPORT_ID_LABEL.toLowerCase())) return i;
  }
  return -1;
}

function cellText(v: SheetValue | undefined, clock: ZonedClock): string | null {
  if (v === undefined || v === null) return null;
  if (isSerial(v)) return clock.format(clock.fromSerial(v.serial), true).replace(/ 00:00$/, '');
  return normalizeSheetText(v);
}

function leadName(row: Record<string, unknown> | undefined, uid: string | null): string {
  if (!row) return uid ?? 'New lead';
  return leadLabel(row as LabelledLead);
}

/** What planning a returned sheet reads once: the export it came from and the workspace's lists. */
type PlanSetup = Readonly<{
  now: number;
  exportUid: string;
  exp: ExportRow;
  clock: ZonedClock;
  /** A CSV exported with ';' writes numbers with a decimal comma and dates day first. */
  decimalComma: boolean;
  dayOrder: 'dmy' | 'mdy';
  /** Sheet header (lower case) -> export column key. */
  keyOfHeader: ReadonlyMap<string, string>;
  /** Each exported lead's values as exported, by uid. */
  snapshots: ReadonlyMap<string, Snapshot>;
  /** `uid|item|fingerprint` -> outcome, of the changes earlier applies decided. */
  applied: ReadonlyMap<string, string>;
  ownerNames: ReadonlyMap<number, string>;
  stages: ReadonlyMap<string, string>;
  /** A stage's key or label as typed (choiceKey) -> its key. */
  stageByChoice: ReadonlyMap<string, string>;
  reasons: readonly Reason[];
  customTypes: ReturnType<typeof customFieldTypes>;
  customSlots: CustomSlots;
  currentByUid: Database.Statement;
  emailOwner: Database.Statement;
  lastDisposition: Database.Statement;
}>;

/** What planning collects, sheet by sheet and row by row. */
type PlanState = {
  changes: PlannedChange[];
  issues: RoundtripIssue[];
  ignoredColumns: Set<string>;
  /** Lead uids met so far (a second row of one lead is reported). */
  seen: Set<string>;
  ownersSeen: Set<number | null>;
  counts: { rows: number; matched: number; unchanged: number; newRows: number; missingLeads: number };
};

/** A change of one lead's row, before the row's common fields are added. */
type RowChange = Omit<PlannedChange, 'leadUid' | 'leadId' | 'leadName' | 'sheet' | 'row' | 'actor' | 'ownerId'>;

/**
 * Reads the sheet (a CSV in `encoding` when named) and plans every change; changes nothing.
 * Typed dates are read in `dateOrder` when the user chose one, else as roundtrip-dates.ts detects.
 */
export function planRoundtrip(
  ctx: BackendContext,
  path: string,
  encoding?: TextEncoding,
  dateOrder?: DayMonthOrder,
): RoundtripPlan {
  const db = ctx.db();
  const read = readSheets(path, encoding);
  const fileName = basename(path);
  const state: PlanState = {
    changes: [],
    issues: [],
    ignoredColumns: new Set(),
    seen: new Set(),
    ownersSeen: new Set(),
    counts: { rows: 0, matched: 0, unchanged: 0, newRows: 0, missingLeads: 0 },
  };
  const recognized = recognizedTables(read.tables, fileName, state.issues);
  const conventional = planSetup(db, ctx.now(), exportOfSheets(db, recognized, fileName));
  const dates = datesOfSheets(db, conventional, recognized, dateOrder);
  const setup: PlanSetup = { ...conventional, dayOrder: dates.order };
  for (const { table, header } of recognized) planSheet(setup, state, table, header);
  return {
    preview: {
      ...previewOf(setup, state, { fileName, fileSha256: sha256(read.bytes), sheets: recognized }),
      encoding: read.encoding,
      encodingSample: read.encodingSample,
      dates: {
        ...dates,
        examples: dates.examples.map((e) => ({ ...e, column: exportColumn(e.column)?.label ?? e.column })),
      },
    },
    changes: state.changes,
    exportId: setup.exp.id,
    fileName,
  };
}

type SheetTable = ReturnType<typeof readSheets>['tables'][number];
type Recognized = { table: SheetTable; header: number };

/** The sheets with Leadbench's ID columns (others are reported when the file has several). */
function recognizedTables(tables: readonly SheetTable[], fileName: string, issues: RoundtripIssue[]): Recognized[] {
  const recognized = tables
    .map((t) => ({ table: t, header: findHeaderRow(t.rows) }))
    .filter((t) => {
      if (t.header >= 0) return true;
      if (tables.length > 1) {
        issues.push({
          sheet: t.table.name,
          row: null,
          column: null,
          message: 'No Leadbench ID column: sheet ignored.',
        });
      }
      return false;
    });
  if (recognized.length === 0) {
    throw new AppError(
      'VALIDATION',
      `${fileName} is not a sheet Leadbench exported for a round trip: it has no "${LEAD_ID_LABEL}" and "${EXPORT_ID_LABEL}" columns.`,
    );
  }
  return recognized;
}

/** The export the sheets came from: the export id most rows carry (rows copied from another export are reported). */
function exportOfSheets(
  db: Database.Database,
  recognized: readonly Recognized[],
  fileName: string,
): { exportUid: string; exp: ExportRow } {
  const uidCounts = new Map<string, number>();
  for (const { table, header } of recognized) {
    const col = (table.rows[header] ?? []).findIndex(
      (v) => typeof v === 'string' && (normalizeSheetText(v) ?? '').toLowerCase() === EXPORT_ID_LABEL.toLowerCase(),
    );
    for (const row of table.rows.slice(header + 1)) {
      const v = normalizeSheetText(typeof row[col] === 'string' ? (row[col] as string) : null);
      if (v) uidCounts.set(v, (uidCounts.get(v) ?? 0) + 1);
    }
  }
  const exportUid = [...uidCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!exportUid) throw new AppError('VALIDATION', `${fileName} has no export id in its "${EXPORT_ID_LABEL}" column.`);
  const exp = db.prepare('SELECT * FROM exports WHERE export_uid = ?').get(exportUid) as ExportRow | undefined;
  if (!exp) {
    throw new AppError('NOT_FOUND', `${fileName} comes from export ${exportUid}, which this workspace did not make.`);
  }
  if (exp.round_trip !== 1 || exp.status !== 'done') {
    throw new AppError(
      'VALIDATION',
      `Export ${exportUid} was not recorded for a round trip, so its edits cannot be compared.`,
    );
  }
  return { exportUid, exp };
}

/** Reads what every row's plan compares against: the export's snapshot, earlier applies, the workspace's lists. */
function planSetup(
  db: Database.Database,
  now: number,
  { exportUid, exp }: { exportUid: string; exp: ExportRow },
): PlanSetup {
  const options = JSON.parse(exp.options) as { timeZone?: string; csv?: { delimiter?: string } | null };
  const decimalComma = options.csv?.delimiter === ';';
  const headerKeys = JSON.parse(exp.columns) as { header: string; key: string }[];
  const snapshots = new Map<string, Snapshot>();
  for (const r of db
    .prepare(
      'SELECT lead_uid, lead_id, owner_id, lead_updated_at, exported_values FROM export_rows WHERE export_id = ?',
    )
    .all(exp.id) as {
    lead_uid: string;
    lead_id: number;
    owner_id: number | null;
    lead_updated_at: number;
    exported_values: string;
  }[]) {
    snapshots.set(r.lead_uid, {
      leadId: r.lead_id,
      ownerId: r.owner_id,
      updatedAt: r.lead_updated_at,
      values: JSON.parse(r.exported_values) as Record<string, string | number | null>,
    });
  }
  const applied = new Map<string, string>();
  for (const r of db
    .prepare('SELECT lead_uid, item, fingerprint, outcome FROM roundtrip_applied WHERE export_id = ?')
    .all(exp.id) as { lead_uid: string; item: string; fingerprint: string; outcome: string }[]) {
    applied.set(`${r.lead_uid}|${r.item}|${r.fingerprint}`, r.outcome);
  }
  const stages = stageLabels(db);
  const stageByChoice = new Map<string, string>();
  for (const [key, label] of stages) {
    stageByChoice.set(choiceKey(key), key);
    stageByChoice.set(choiceKey(label), key);
  }
  return {
    now,
    exportUid,
    exp,
    clock: zonedClock(options.timeZone ?? 'UTC'),
    decimalComma,
    dayOrder: decimalComma ? 'dmy' : 'mdy',
    keyOfHeader: new Map(headerKeys.map((h) => [h.header.trim().toLowerCase(), h.key])),
    snapshots,
    applied,
    ownerNames: new Map(
      (db.prepare('SELECT id, name FROM owners').all() as { id: number; name: string }[]).map((o) => [o.id, o.name]),
    ),
    stages,
    stageByChoice,
    reasons: loadReasons(db),
    customTypes: customFieldTypes(db),
    customSlots: customSlots(db),
    currentByUid: db.prepare(`SELECT ${allLeadColumnsSelectList(db)} FROM leads WHERE ${uidMatchSql('?')}`),
    emailOwner: db.prepare('SELECT id FROM leads WHERE email_norm = ?').pluck(),
    lastDisposition: db.prepare(
      'SELECT reason_id FROM dispositions WHERE lead_id = ? ORDER BY decided_at DESC, id DESC LIMIT 1',
    ),
  };
}

/** Column key -> index in a sheet's header row; headers the export did not write are noted as ignored. */
function sheetColumns(setup: PlanSetup, headerRow: readonly SheetValue[], ignored: Set<string>): Map<string, number> {
  const headers = headerRow.map((v) => (typeof v === 'string' ? (normalizeSheetText(v) ?? '') : ''));
  const colOf = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!h) return;
    const key =
      setup.keyOfHeader.get(h.toLowerCase()) ??
      (h.toLowerCase() === LEAD_ID_LABEL.toLowerCase()
        ? LEAD_ID_COLUMN
        : h.toLowerCase() === EXPORT_ID_LABEL.toLowerCase()
          ? EXPORT_ID_COLUMN
          : undefined);
    if (key && !colOf.has(key)) colOf.set(key, i);
    else if (!key) ignored.add(h);
  });
  return colOf;
}

/** The sheets' date columns read once for the date order and the dates that read both ways. */
function datesOfSheets(
  db: Database.Database,
  setup: PlanSetup,
  recognized: readonly Recognized[],
  chosen: DayMonthOrder | undefined,
) {
  const dateKeys = new Set<string>();
  const sheets: SheetRows[] = recognized.map(({ table, header }) => {
    const colOf = sheetColumns(setup, table.rows[header] ?? [], new Set());
    for (const key of colOf.keys()) if (isDateColumn(key, setup.customTypes)) dateKeys.add(key);
    return {
      sheet: table.name,
      rows: table.rows.slice(header + 1).map((row, i) => ({
        row: header + i + 2,
        get: (key: string) => {
          const c = colOf.get(key);
          return c === undefined ? undefined : row[c];
        },
      })),
    };
  });
  return sheetDates(db, sheets, [...dateKeys], chosen, setup.dayOrder);
}

/** "05/12/2026 reads both ways: read day first as 2026-12-05 (month first: 2026-05-12)."; null for other text. */
function bothWaysNote(text: string | null, order: DayMonthOrder): string | null {
  const both = text === null ? null : bothReadings(text);
  if (!both) return null;
  const other: DayMonthOrder = order === 'dmy' ? 'mdy' : 'dmy';
  const words = (o: DayMonthOrder) => (o === 'dmy' ? 'day first' : 'month first');
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `${text} reads both ways: read ${words(order)} as ${day(both[order])} (${words(other)}: ${day(both[other])}).`;
}

/** A custom date field's typed text as stored (YYYY-MM-DD), read in the apply's date order; other text as is. */
function customDateText(setup: PlanSetup, cell: SheetValue | undefined): string | null {
  const text = cellText(cell, setup.clock);
  if (text === null || isSerial(cell)) return text;
  const wall = parseSheetDateText(text, setup.dayOrder);
  return wall === null ? text : valueText(wall, 'date');
}

/** Plans every row of one sheet. */
function planSheet(setup: PlanSetup, state: PlanState, table: SheetTable, header: number): void {
  const colOf = sheetColumns(setup, table.rows[header] ?? [], state.ignoredColumns);
  table.rows.slice(header + 1).forEach((row, i) => {
    if (row.every((v) => v === null || (typeof v === 'string' && v.trim() === ''))) return;
    state.counts.rows++;
    planRow(setup, state, colOf, row, { sheet: table.name, row: header + i + 2 });
  });
}

/** Plans one non-blank row: a new lead, or the changes to the exported lead it names. */
function planRow(
  setup: PlanSetup,
  state: PlanState,
  colOf: ReadonlyMap<string, number>,
  row: readonly SheetValue[],
  base: { sheet: string; row: number },
): void {
  const { sheet, row: rowNo } = base;
  const { issues, counts } = state;
  const get = (key: string): SheetValue | undefined => {
    const c = colOf.get(key);
    return c === undefined ? undefined : row[c];
  };
  const exportCell = cellText(get(EXPORT_ID_COLUMN), setup.clock);
  if (exportCell && exportCell !== setup.exportUid) {
    issues.push({
      sheet,
      row: rowNo,
      column: EXPORT_ID_LABEL,
      message: `This row comes from another export (${exportCell}); it was ignored.`,
    });
    return;
  }
  const uid = cellText(get(LEAD_ID_COLUMN), setup.clock);
  if (!uid) {
    planNewLead(setup, state, row, colOf, base);
    return;
  }
  const snap = setup.snapshots.get(uid);
  if (!snap) {
    issues.push({
      sheet,
      row: rowNo,
      column: LEAD_ID_LABEL,
      message: `Lead ${uid} was not in export ${setup.exportUid}; row ignored.`,
    });
    return;
  }
  if (state.seen.has(uid)) {
    issues.push({
      sheet,
      row: rowNo,
      column: LEAD_ID_LABEL,
      message: `Lead ${uid} appears twice; only its first row is used.`,
    });
    return;
  }
  state.seen.add(uid);
  state.ownersSeen.add(snap.ownerId);
  const lead = setup.currentByUid.get(uid) as Record<string, unknown> | undefined;
  if (!lead) {
    counts.missingLeads++;
    issues.push({
      sheet,
      row: rowNo,
      column: null,
      message: `Lead ${uid} was deleted in Leadbench after the export; row ignored.`,
    });
    return;
  }
  counts.matched++;
  const leadId = lead.id as number;
  const name = leadName(lead, uid);
  const ownerId = snap.ownerId;
  const actor = (ownerId !== null ? setup.ownerNames.get(ownerId) : undefined) ?? NEW_LEAD_ACTOR;
  const before = state.changes.length;
  const push = (c: RowChange) =>
    state.changes.push({ ...c, leadUid: uid, leadId, leadName: name, sheet, row: rowNo, actor, ownerId });
  planFieldChanges(setup, lead, snap, uid, get, push);
  planRepColumns(setup, leadId, uid, get, push);
  if (state.changes.length === before) counts.unchanged++;
}

/** The exported fields (and the stage) the row changed, each to apply, a conflict, invalid or applied before. */
function planFieldChanges(
  setup: PlanSetup,
  lead: Record<string, unknown>,
  snap: Snapshot,
  uid: string,
  get: (key: string) => SheetValue | undefined,
  push: (c: RowChange) => void,
): void {
  const leadId = lead.id as number;
  const custom = decodeCustom(setup.customSlots, lead.custom as string | null);
  // Field edits and the stage.
  for (const [key, exported] of Object.entries(snap.values)) {
    const cell = get(key);
    if (cell === undefined) continue; // the column was deleted from the sheet
    const def = exportColumn(key);
    const label = def?.label ?? key;
    const item = `field:${key}`;
    let sheetValue: string | number | null;
    let invalid: string | null = null;
    let dateNote: string | null = null;
    if (key === 'stage') {
      const text = cellText(cell, setup.clock);
      const k = text ? setup.stageByChoice.get(choiceKey(text)) : undefined;
      if (!text) invalid = 'The stage cannot be blank.';
      else if (!k) invalid = `"${text}" is not a stage of this workspace.`;
      sheetValue = k ?? text;
    } else if (key === 'company_size') {
      if (typeof cell === 'number') sheetValue = cell;
      else {
        const text = cellText(cell, setup.clock);
        sheetValue = text === null ? null : parseSheetNumber(text, setup.decimalComma);
        if (text !== null && sheetValue === null) {
          invalid = `"${text}" is not a number.`;
          sheetValue = text;
        }
      }
    } else if (isDateColumn(key, setup.customTypes)) {
      dateNote = bothWaysNote(cellText(cell, setup.clock), setup.dayOrder);
      sheetValue = customDateText(setup, cell);
    } else {
      sheetValue = cellText(cell, setup.clock);
    }
    if (sameValue(sheetValue, exported)) continue;
    const current =
      key === 'stage'
        ? String(lead.stage)
        : isCustomColumnKey(key)
          ? valueText(
              custom[key.slice(CUSTOM_COLUMN_PREFIX.length)] as CustomValue | undefined,
              setup.customTypes.get(key.slice(CUSTOM_COLUMN_PREFIX.length)),
            ) || null
          : ((lead[key] as string | number | null | undefined) ?? null);
    const shown = (v: string | number | null) =>
      key === 'stage' && typeof v === 'string' ? (setup.stages.get(v) ?? v) : display(v);
    const fp = fingerprint([sheetValue]);
    const summary = `${label}: ${shown(exported) ?? '(blank)'} → ${shown(sheetValue) ?? '(blank)'}`;
    const common = {
      id: `${uid}:${item}`,
      kind: (key === 'stage' ? 'stage' : 'field') as RoundtripChangeKind,
      field: key,
      fieldLabel: label,
      from: shown(current),
      to: shown(sheetValue),
      summary,
      item,
      fingerprint: fp,
      payload: (key === 'stage'
        ? { t: 'stage', stage: String(sheetValue) }
        : { t: 'field', key, value: sheetValue }) as Payload,
    };
    if (!invalid && isLeadFieldKey(key)) {
      const schema = leadFieldChangesSchema.shape[key];
      const parsed = schema.safeParse(sheetValue);
      if (!parsed.success) invalid = parsed.error.issues[0]?.message ?? 'Not a valid value.';
      else if (key === 'email' && typeof sheetValue === 'string') {
        const other = setup.emailOwner.get(normalizeEmail(sheetValue)) as number | undefined;
        if (other !== undefined && other !== leadId) invalid = `Another lead already has the email ${sheetValue}.`;
      }
    }
    if (sameValue(current, sheetValue)) {
      push({ ...common, status: 'applied', message: 'Already so in Leadbench.' });
    } else if (invalid) {
      push({ ...common, status: 'invalid', message: invalid });
    } else if (sameValue(current, exported)) {
      push({ ...common, status: 'apply', message: dateNote });
    } else {
      const decided = setup.applied.get(`${uid}|${item}|${fp}`);
      push({
        ...common,
        status: decided ? 'applied' : 'conflict',
        message: decided
          ? 'Decided in an earlier apply: Leadbench’s value was kept.'
          : `Changed in Leadbench since the export (now ${shown(current) ?? '(blank)'}).`,
      });
    }
  }
}

/** The rep columns: an attempt (or a note without one) and a disposition. */
function planRepColumns(
  setup: PlanSetup,
  leadId: number,
  uid: string,
  get: (key: string) => SheetValue | undefined,
  push: (c: RowChange) => void,
): void {
  // Rep columns: an attempt (or a note), a disposition.
  const dateCell = get('attempt_date');
  const channelText = cellText(get('channel'), setup.clock);
  const outcomeText = cellText(get('outcome'), setup.clock);
  const notes = cellText(get('notes'), setup.clock);
  const nextStep = cellText(get('next_step'), setup.clock);
  const noteBody = [notes, nextStep ? `Next step: ${nextStep}` : null].filter(Boolean).join('\n') || null;
  const dateText = dateCell === undefined ? null : cellText(dateCell, setup.clock);
  if (dateText || channelText || outcomeText) {
    let problem: string | null = null;
    const outcome = outcomeText
      ? matchChoice(outcomeText, ATTEMPT_OUTCOMES, ATTEMPT_OUTCOME_LABELS, OUTCOME_SYNONYMS)
      : null;
    if (!outcomeText) problem = 'An attempt needs an outcome.';
    else if (!outcome)
      problem = `"${outcomeText}" is not an outcome (${ATTEMPT_OUTCOMES.map((o) => ATTEMPT_OUTCOME_LABELS[o]).join(', ')}).`;
    let channel: AttemptChannel | null = channelText
      ? matchChoice(channelText, ATTEMPT_CHANNELS, ATTEMPT_CHANNEL_LABELS, CHANNEL_SYNONYMS)
      : outcome === 'email_sent'
        ? 'email'
        : 'call';
    if (!channel) {
      problem ??= `"${channelText}" is not a channel (${ATTEMPT_CHANNELS.map((c) => ATTEMPT_CHANNEL_LABELS[c]).join(', ')}).`;
      channel = 'other';
    }
    let at: number | null = null;
    if (dateCell !== undefined && dateCell !== null) {
      if (isSerial(dateCell)) at = setup.clock.fromSerial(dateCell.serial);
      else if (typeof dateCell === 'number' && dateCell > 20_000 && dateCell < 80_000)
        at = setup.clock.fromSerial(dateCell);
      else if (dateText) {
        const wall = parseSheetDateText(dateText, setup.dayOrder);
        if (wall === null) problem ??= `"${dateText}" is not a date.`;
        else at = setup.clock.fromWall(wall);
      }
    }
    if (at !== null && at > setup.now + 60_000) problem ??= 'The attempt date is in the future.';
    const fp = fingerprint([dateText ?? '', channel, outcome, dateText ? null : noteBody]);
    const when = at !== null ? setup.clock.format(at, true) : 'the time of applying';
    const summary = `Attempt: ${ATTEMPT_CHANNEL_LABELS[channel]}, ${outcome ? ATTEMPT_OUTCOME_LABELS[outcome] : (outcomeText ?? '?')} on ${when}${noteBody ? ` — ${noteBody.replace(/\n/g, ' / ')}` : ''}`;
    const done = setup.applied.has(`${uid}|attempt|${fp}`);
    push({
      id: `${uid}:attempt`,
      kind: 'attempt',
      status: problem ? 'invalid' : done ? 'applied' : 'apply',
      field: null,
      fieldLabel: null,
      from: null,
      to: summary.slice('Attempt: '.length),
      summary,
      message: problem ?? (done ? 'Already logged by an earlier apply.' : bothWaysNote(dateText, setup.dayOrder)),
      item: 'attempt',
      fingerprint: fp,
      payload:
        outcome && !problem ? { t: 'attempt', channel, outcome, at: at ?? setup.now, note: noteBody } : { t: 'none' },
    });
  } else if (noteBody) {
    const fp = fingerprint([noteBody]);
    const done = setup.applied.has(`${uid}|note|${fp}`);
    push({
      id: `${uid}:note`,
      kind: 'note',
      status: done ? 'applied' : 'apply',
      field: null,
      fieldLabel: null,
      from: null,
      to: noteBody,
      summary: `Note: ${noteBody.replace(/\n/g, ' / ')}`,
      message: done ? 'Already added by an earlier apply.' : null,
      item: 'note',
      fingerprint: fp,
      payload: { t: 'note', body: noteBody },
    });
  }
  const dispositionText = cellText(get('disposition'), setup.clock);
  if (dispositionText) {
    const reason = matchReason(dispositionText, setup.reasons);
    const fp = fingerprint([reason?.key ?? dispositionText]);
    const last = setup.lastDisposition.get(leadId) as { reason_id: number } | undefined;
    const done = setup.applied.has(`${uid}|disposition|${fp}`) || (reason !== null && last?.reason_id === reason.id);
    push({
      id: `${uid}:disposition`,
      kind: 'disposition',
      status: !reason ? 'invalid' : done ? 'applied' : 'apply',
      field: null,
      fieldLabel: null,
      from: null,
      to: reason?.full ?? dispositionText,
      summary: `Disposition: ${reason?.full ?? dispositionText}`,
      message: !reason
        ? `"${dispositionText}" is not a disposition reason of this workspace.`
        : done
          ? 'Already dispositioned with this reason.'
          : null,
      item: 'disposition',
      fingerprint: fp,
      payload: reason ? { t: 'disposition', reasonId: reason.id } : { t: 'none' },
    });
  }
}

/** A row without a Leadbench ID: a new lead, when it names one. */
function planNewLead(
  setup: PlanSetup,
  state: PlanState,
  row: readonly SheetValue[],
  colOf: ReadonlyMap<string, number>,
  base: { sheet: string; row: number },
): void {
  const values: Record<string, string | number | null> = {};
  for (const [key, c] of colOf) {
    if (key === LEAD_ID_COLUMN || key === EXPORT_ID_COLUMN || REP_KEYS.has(key)) continue;
    const def = exportColumn(key);
    if (!def?.editable || key === 'stage') continue;
    const v = row[c];
    if (key === 'company_size') {
      const text = cellText(v, setup.clock);
      values[key] =
        typeof v === 'number' ? v : text === null ? null : (parseSheetNumber(text, setup.decimalComma) ?? null);
    } else {
      values[key] = cellText(v, setup.clock);
    }
  }
  // "Name" is computed on export; on a new row it is the only name a rep may have typed.
  const nameCol = colOf.get('name');
  const typedName = nameCol === undefined ? null : cellText(row[nameCol], setup.clock);
  if (typedName && values.first_name == null && values.last_name == null) {
    const parts = typedName.split(/\s+/);
    values.last_name = parts.length > 1 ? parts.pop()! : null;
    values.first_name = parts.join(' ');
  }
  const nonBlank = Object.entries(values).filter(([, v]) => v !== null);
  const identity = ['email', 'first_name', 'last_name', 'company'].some((k) => values[k] != null);
  if (nonBlank.length === 0 || !identity) {
    if (row.some((v) => v !== null && v !== '')) {
      state.issues.push({
        ...base,
        column: null,
        message: 'A row without a Leadbench ID has no name, company or email to create a lead from; ignored.',
      });
    }
    return;
  }
  state.counts.newRows++;
  const fp = fingerprint(nonBlank.sort(([a], [b]) => a.localeCompare(b)));
  const done = setup.applied.has(`#new|new-lead|${fp}`);
  // The import rules match people by email: a new row needs a valid one.
  const emailCheck = leadFieldChangesSchema.shape.email.safeParse(values.email ?? null);
  const problem =
    values.email == null
      ? 'A new lead needs an email: the import matches people by email.'
      : emailCheck.success
        ? null
        : `"${String(values.email)}" is not an email address.`;
  const email = typeof values.email === 'string' ? values.email : null;
  const existing = email ? (setup.emailOwner.get(normalizeEmail(email)) as number | undefined) : undefined;
  const who = [
    [values.first_name, values.last_name].filter(Boolean).join(' '),
    email ? `<${email}>` : null,
    values.company ? `(${String(values.company)})` : null,
  ]
    .filter(Boolean)
    .join(' ');
  state.changes.push({
    id: `new:${base.sheet}:${base.row}`,
    kind: 'new-lead',
    status: problem ? 'invalid' : done ? 'applied' : 'apply',
    leadUid: null,
    leadId: existing ?? null,
    leadName: who || 'New lead',
    ...base,
    field: null,
    fieldLabel: null,
    from: null,
    to: who,
    summary: `New lead: ${who}`,
    message: problem
      ? problem
      : done
        ? 'Already imported by an earlier apply.'
        : existing !== undefined
          ? 'A lead with this email exists: the import rules fill in its blank fields.'
          : null,
    item: 'new-lead',
    fingerprint: fp,
    payload: { t: 'new-lead', values },
    actor: NEW_LEAD_ACTOR,
    ownerId: null,
  });
}

/** The conflicts of the plan, each with the value exported, the sheet's and Leadbench's now. */
function conflictsOf(setup: PlanSetup, changes: readonly PlannedChange[]): RoundtripConflict[] {
  return changes
    .filter((c) => c.status === 'conflict' && c.leadUid !== null && c.leadId !== null && c.field !== null)
    .map((c) => {
      const snap = setup.snapshots.get(c.leadUid!)!;
      const exported = snap.values[c.field!] ?? null;
      return {
        id: c.id,
        leadUid: c.leadUid!,
        leadId: c.leadId!,
        leadName: c.leadName,
        field: c.field!,
        fieldLabel: c.fieldLabel ?? c.field!,
        exported:
          c.field === 'stage' && typeof exported === 'string'
            ? (setup.stages.get(exported) ?? exported)
            : display(exported),
        sheet: c.to,
        current: c.from,
      };
    });
}

/** What the user is shown before applying: counts, changes, conflicts, issues. */
function previewOf(
  setup: PlanSetup,
  state: PlanState,
  file: { fileName: string; fileSha256: string; sheets: readonly Recognized[] },
): Omit<RoundtripPreview, 'encoding' | 'encodingSample' | 'dates'> {
  const { exp, snapshots } = setup;
  const { changes, seen, ownersSeen } = state;
  const by = (s: RoundtripChange['status']) => changes.filter((c) => c.status === s).length;
  return {
    fileName: file.fileName,
    fileSha256: file.fileSha256,
    exportId: exp.id,
    exportUid: setup.exportUid,
    exportedAt: exp.created_at,
    sheets: file.sheets.map((r) => r.table.name),
    counts: {
      ...state.counts,
      // A pack file holds one owner's leads: count only the rows missing from the packs that came back.
      removedFromSheet: [...snapshots.entries()].filter(
        ([u, snap]) => !seen.has(u) && (exp.kind !== 'owner-packs' || ownersSeen.has(snap.ownerId)),
      ).length,
      toApply: by('apply'),
      conflicts: by('conflict'),
      alreadyApplied: by('applied'),
      invalid: by('invalid'),
    },
    changes: changes.map(({ item: _i, fingerprint: _f, payload: _p, actor: _a, ownerId: _o, ...c }) => c),
    conflicts: conflictsOf(setup, changes),
    issues: state.issues,
    ignoredColumns: [...state.ignoredColumns],
  };
}

/**
 * Writes the new rows as a CSV and runs the normal import on it (rules, journal, undo,
 * scoring). Returns the rows the import rejected: index into `rows` -> reason.
 */
async function importNewLeads(
  ctx: BackendContext,
  rows: readonly PlannedChange[],
  fileName: string,
): Promise<{ importId: number; rejected: Map<number, string> }> {
  const keys = new Set<string>();
  for (const r of rows) if (r.payload.t === 'new-lead') for (const k of Object.keys(r.payload.values)) keys.add(k);
  const cols = [...keys];
  const headerOf = (k: string) => (isCustomColumnKey(k) ? k.slice(CUSTOM_COLUMN_PREFIX.length) : k);
  const quote = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [cols.map((k) => quote(headerOf(k))).join(',')];
  for (const r of rows) {
    if (r.payload.t !== 'new-lead') continue;
    const values = r.payload.values;
    lines.push(cols.map((k) => quote(values[k] ?? null)).join(','));
  }
  const dir = mkdtempSync(join(tmpdir(), 'leadbench-roundtrip-'));
  const file = join(dir, `New leads from ${fileName.replace(/[\\/:*?"<>|]/g, ' ')}.csv`);
  try {
    writeFileSync(file, `${lines.join('\r\n')}\r\n`, 'utf8');
    const mapping: Record<string, string> = {};
    for (const k of cols) mapping[headerOf(k)] = LEAD_FIELDS.some((f) => f.key === k) ? k : 'custom';
    const options = importOptionsSchema.parse({
      encoding: 'utf-8',
      delimiter: ',',
      headerRow: 1,
      kind: 'leads',
      mapping,
      update: 'fill',
    });
    const summary = await runImport(ctx, file, options, undefined, { landAs: 'staged' });
    const rejected = new Map<number, string>();
    for (const e of ctx
      .db()
      .prepare('SELECT row_number, column_name, reason FROM import_errors WHERE import_id = ? ORDER BY row_number')
      .all(summary.importId) as { row_number: number; column_name: string | null; reason: string }[]) {
      // Row 1 of the file is the header: data row n is rows[n - 2].
      rejected.set(e.row_number - 2, e.column_name ? `${e.column_name}: ${e.reason}` : e.reason);
    }
    return { importId: summary.importId, rejected };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type ApplyArgs = Readonly<{
  path: string;
  /** The CSV's encoding as the user confirmed it (required when it is not UTF-8). */
  encoding?: TextEncoding | undefined;
  dateOrder?: DayMonthOrder | undefined;
  fileSha256: string;
  choices: Readonly<Record<string, 'sheet' | 'leadbench'>>;
  backup: boolean;
}>;

/** Refuses to apply a sheet whose encoding is not confirmed, or that changed since it was inspected. */
function checkApplicable(plan: RoundtripPlan, args: ApplyArgs): void {
  const { encoding, encodingSample } = plan.preview;
  if (encoding !== null && encodingSample !== null) {
    throw new AppError(
      'VALIDATION',
      unconfirmedEncodingMessage(
        plan.fileName,
        encoding,
        encodingSample,
        'the confirmation in Apply an edited sheet',
        'Nothing was applied.',
      ),
    );
  }
  if (plan.preview.fileSha256 !== args.fileSha256) {
    throw new AppError(
      'VALIDATION',
      `${plan.fileName} changed since it was inspected. Inspect it again before applying.`,
    );
  }
}

/** The changes to existing leads, by lead (new leads are imported apart). */
function changesByLead(todo: readonly PlannedChange[]): Map<number, PlannedChange[]> {
  const byLead = new Map<number, PlannedChange[]>();
  for (const c of todo) {
    if (c.kind === 'new-lead' || c.leadId === null) continue;
    const list = byLead.get(c.leadId) ?? [];
    list.push(c);
    byLead.set(c.leadId, list);
  }
  return byLead;
}

/**
 * One apply's bookkeeping inside its transaction: a change that goes through is counted and
 * recorded as applied (so the same sheet applied again skips it); one the workspace refuses
 * is listed with its reason and the rest goes on.
 */
type ApplyRun = Readonly<{
  db: Database.Database;
  now: number;
  /** The stage change's reason in the lead's history. */
  reason: string;
  /** Runs one change (or one lead's field edits, as `c`); false when refused. */
  attempt: (c: PlannedChange, fn: () => void) => boolean;
  /** Counts `c` as applied under `kind` and records it. */
  applied: (c: PlannedChange, kind: RoundtripChangeKind) => void;
}>;

/** A lead's field changes as one edit (standard fields and custom fields), all or none. */
function applyFieldChanges(run: ApplyRun, leadId: number, fields: readonly PlannedChange[]): void {
  if (fields.length === 0) return;
  const edit: { fields: Record<string, unknown>; custom: Record<string, string | null> } = { fields: {}, custom: {} };
  for (const c of fields) {
    if (c.payload.t !== 'field') continue;
    const { key, value } = c.payload;
    if (isCustomColumnKey(key))
      edit.custom[key.slice(CUSTOM_COLUMN_PREFIX.length)] = value === null ? null : String(value);
    else edit.fields[key] = value;
  }
  const ok = run.attempt(fields[0]!, () => {
    updateLead(run.db, leadId, { fields: leadFieldChangesSchema.parse(edit.fields), custom: edit.custom }, run.now);
  });
  if (ok) for (const c of fields) run.applied(c, 'field');
}

/** A lead's attempts, notes and disposition, each on its own. */
function applyActivityChanges(run: ApplyRun, leadId: number, list: readonly PlannedChange[]): void {
  const { db, now } = run;
  for (const c of list) {
    const p = c.payload;
    const actor = { name: c.actor, ownerId: c.ownerId };
    let ok: boolean;
    if (p.t === 'attempt') {
      ok = run.attempt(c, () => {
        logAttempt(db, { leadId, channel: p.channel, outcome: p.outcome, note: p.note, at: p.at }, actor, now);
      });
    } else if (p.t === 'note') {
      ok = run.attempt(c, () => {
        addNote(db, leadId, p.body, now);
      });
    } else if (p.t === 'disposition') {
      ok = run.attempt(c, () => {
        const r = setDisposition(db, [leadId], p.reasonId, null, actor, now);
        if (r.refused.length) throw new AppError('VALIDATION', r.refused[0]!.reason);
      });
    } else {
      continue;
    }
    if (ok) run.applied(c, c.kind);
  }
}

/** One lead's changes: fields, then attempts, notes and disposition, the stage last. */
function applyLeadChanges(run: ApplyRun, leadId: number, list: readonly PlannedChange[]): void {
  applyFieldChanges(
    run,
    leadId,
    list.filter((c) => c.payload.t === 'field'),
  );
  applyActivityChanges(run, leadId, list);
  // The stage last: an attempt or a disposition above may have moved it already.
  for (const c of list) {
    const p = c.payload;
    if (p.t !== 'stage') continue;
    if (run.attempt(c, () => changeStage(run.db, [leadId], p.stage, c.actor, run.reason, run.now)))
      run.applied(c, 'stage');
  }
}

/** Applies a returned sheet: the planned changes, and each conflict as the user chose. */
export async function applyRoundtrip(ctx: BackendContext, args: ApplyArgs): Promise<RoundtripApplyResult> {
  const db = ctx.db();
  const plan = planRoundtrip(ctx, args.path, args.encoding, args.dateOrder);
  checkApplicable(plan, args);
  const fromSheet = (c: PlannedChange) => c.status === 'conflict' && args.choices[c.id] === 'sheet';
  const todo = plan.changes.filter((c) => c.status === 'apply' || fromSheet(c));
  const keep = plan.changes.filter((c) => c.status === 'conflict' && args.choices[c.id] === 'leadbench');
  const applied: Record<RoundtripChangeKind, number> = {
    field: 0,
    stage: 0,
    attempt: 0,
    disposition: 0,
    note: 0,
    'new-lead': 0,
  };
  const refused: { changeId: string; leadName: string; message: string }[] = [];
  const result = (applyId: number | null, backup: RoundtripApplyResult['backup']): RoundtripApplyResult => ({
    applyId,
    applied,
    conflictsTakenFromSheet: plan.changes.filter(fromSheet).length,
    conflictsKeptLeadbench: plan.changes.filter((c) => c.status === 'conflict' && args.choices[c.id] !== 'sheet')
      .length,
    alreadyApplied: plan.preview.counts.alreadyApplied,
    refused,
    backup,
  });
  if (todo.length === 0 && keep.length === 0) return result(null, null);

  const backup = args.backup ? await autoBackup(ctx, 'round-trip apply') : null;
  // New leads first, as an import that commits 'staged': the edits, the records and the
  // import's 'done' then land in ONE transaction below. Killed before it, the workspace is
  // healed on open (the staged import rolled back): the sheet is applied whole or not at all.
  const newRows = todo.filter((c) => c.kind === 'new-lead');
  let newLeads: { importId: number; rejected: Map<number, string> } | null = null;
  let newLeadsError: unknown = null;
  if (newRows.length) {
    try {
      newLeads = await importNewLeads(ctx, newRows, plan.fileName);
    } catch (err) {
      newLeadsError = err;
    }
  }
  const refuse = (c: PlannedChange, err: unknown) =>
    refused.push({ changeId: c.id, leadName: c.leadName, message: err instanceof Error ? err.message : String(err) });

  const now = ctx.now();
  const applyId = db.transaction(() => {
    const id = Number(
      db
        .prepare(
          `INSERT INTO roundtrip_applies (export_id, file_name, file_sha256, summary, backup_path, applied_at)
           VALUES (?, ?, ?, '{}', ?, ?)`,
        )
        .run(plan.exportId, plan.fileName, plan.preview.fileSha256, backup?.path ?? null, now).lastInsertRowid,
    );
    const record = db.prepare(
      `INSERT OR IGNORE INTO roundtrip_applied (export_id, lead_uid, item, fingerprint, apply_id, outcome)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const run: ApplyRun = {
      db,
      now,
      reason: `Returned sheet ${plan.fileName}`,
      attempt: (c, fn) => {
        try {
          fn();
          return true;
        } catch (err) {
          refuse(c, err);
          return false;
        }
      },
      applied: (c, kind) => {
        applied[kind]++;
        record.run(plan.exportId, c.leadUid, c.item, c.fingerprint, id, 'applied');
      },
    };
    for (const [leadId, list] of changesByLead(todo)) applyLeadChanges(run, leadId, list);
    for (const c of keep) record.run(plan.exportId, c.leadUid, c.item, c.fingerprint, id, 'kept-leadbench');
    newRows.forEach((c, i) => {
      const why = newLeadsError ?? newLeads?.rejected.get(i);
      if (why !== undefined) {
        refuse(c, why);
        return;
      }
      record.run(plan.exportId, '#new', c.item, c.fingerprint, id, 'imported');
      applied['new-lead']++;
    });
    if (newLeads) db.prepare("UPDATE imports SET status = 'done' WHERE id = ?").run(newLeads.importId);
    const summary = result(id, backup);
    db.prepare('UPDATE roundtrip_applies SET summary = ? WHERE id = ?').run(
      JSON.stringify({
        applied: summary.applied,
        refused: summary.refused.length,
        kept: summary.conflictsKeptLeadbench,
      }),
      id,
    );
    return id;
  })();
  const out = result(applyId, backup);
  ctx.emit('data-changed', { tables: ['leads', 'activities', 'scores', 'followup'] });
  return out;
}
