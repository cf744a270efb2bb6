/**
 * From a path and the user's options to an import plan: how to read the file, which row
 * holds the headers, the mapping and settings with defaults resolved. import-inspect,
 * import-preview and import-run all go through here, so the preview shows exactly what the
 * run stores. Only the head of the file is read (a few hundred records).
 */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { HeaderCandidate, InspectResult, ReadOptions } from '../../../../shared/contract';
import type { importOptionsSchema } from '../../../../shared/contract/import';
import type { ActivityTypeKey } from '../../../../shared/domain';
import {
  compileRowMapper,
  detectDateOrder,
  headerKey,
  headerSignature,
  mappingProblems,
  normalizeHeaders,
  suggestMapping,
  type ColumnMapping,
  type ImportKind,
  type RowMapper,
  type RowSettings,
} from '../../../../shared/mapping';
import { AppError } from '../../errors';
import { bestCandidate, findHeaderCandidates, reportTopic, sectionReader } from './header-rows';
import { findSavedMapping } from './mappings';
import { unreadableReason } from './csv-records';
import { unconfirmedEncodingMessage } from './encoding';
import { readBatches, sniffFile, type Sniffed } from './source';

const HEAD_ROWS = 400;

export type ResolvedOptions = z.output<typeof importOptionsSchema>;

export type Plan = Readonly<{
  sniffed: Sniffed;
  headerRow: number;
  headers: readonly string[];
  mapping: ColumnMapping;
  settings: RowSettings;
  options: ResolvedOptions;
  update: 'fill' | 'overwrite';
  unknownLeads: 'create' | 'reject';
  mapper: RowMapper;
  problems: readonly string[];
  /** Records after the header in the head sample, up to the end of its section (raw cells, with their row numbers). */
  head: readonly (readonly [number, readonly string[]])[];
  /** A fresh filter for one pass over the records below the header: false from the next section's title on. */
  newSectionReader: () => (row: readonly string[]) => boolean;
  /** The header candidates the section reader goes by (the read thread builds its own from them). */
  candidates: readonly HeaderCandidate[];
  /** Why records of the head sample that cannot be split into cells cannot, by row number. */
  unreadable: ReadonlyMap<number, string>;
  /** Whether the user chose the date order (else the head sample's dates decided it). */
  dateOrderChosen: boolean;
}>;

/**
 * The first records of a file (blank records included, as ['']), and why those that cannot
 * be split into cells cannot (by 1-based record number).
 */
export async function readHead(
  s: Sniffed,
  max = HEAD_ROWS,
): Promise<{ rows: string[][]; unreadable: Map<number, string> }> {
  const rows: string[][] = [];
  const unreadable = new Map<number, string>();
  for await (const b of readBatches(s)) {
    for (let i = 0; i < b.rows.length; i++) {
      const bad = b.bad?.get(i);
      if (bad) unreadable.set(rows.length + 1, unreadableReason(bad));
      rows.push(b.rows[i] as string[]);
      if (rows.length >= max) return { rows, unreadable };
    }
  }
  return { rows, unreadable };
}

export const isBlank = (r: readonly string[]) => r.every((c) => c.trim() === '');

function describeRow(row: readonly string[]): string {
  return row
    .filter((c) => c.trim() !== '')
    .slice(0, 3)
    .map((c) => `"${c.trim().slice(0, 40)}"`)
    .join(', ');
}

export type HeadInfo = Readonly<{
  sniffed: Sniffed;
  head: string[][];
  unreadable: ReadonlyMap<number, string>;
  candidates: ReturnType<typeof findHeaderCandidates>;
  headerRow: number;
  headers: string[];
  /** A fresh filter for one pass over the records below the header: false from the next section's title on. */
  newSectionReader: () => (row: readonly string[]) => boolean;
}>;

export async function loadHeadInfo(path: string, read: ReadOptions): Promise<HeadInfo> {
  const sniffed = await sniffFile(path, read);
  const { rows: head, unreadable } = await readHead(sniffed);
  const name = sniffed.fileName;
  if (head.every(isBlank)) throw new AppError('IMPORT_EMPTY', `"${name}" is empty: it holds no rows to import.`);
  // A row that cannot be split into cells (kept as its raw text) names no columns.
  const candidates = findHeaderCandidates(head).filter((c) => !unreadable.has(c.row));
  let headerRow = read.headerRow;
  if (headerRow === undefined) {
    const best = bestCandidate(candidates);
    if (!best) {
      const at = head.findIndex((r) => !isBlank(r));
      // A first row that cannot be split into cells is no proof of values: say what it is.
      const why = unreadable.get(at + 1);
      if (why) {
        throw new AppError('IMPORT_BAD_HEADER', `"${name}" has no header row it can read: row ${at + 1}. ${why}`);
      }
      const first = head[at] ?? [];
      throw new AppError(
        'IMPORT_BAD_HEADER',
        `"${name}" has no header row: its first row holds values (${describeRow(first)}) instead of column names. ` +
          'Add a row naming the columns (e.g. Email, First name, Company) and import again.',
      );
    }
    headerRow = best.row;
  }
  const raw = head[headerRow - 1];
  const headerWhy = unreadable.get(headerRow);
  if (headerWhy)
    throw new AppError('IMPORT_BAD_HEADER', `Row ${headerRow} of "${name}" is no header row. ${headerWhy}`);
  if (!raw || isBlank(raw)) {
    throw new AppError(
      'IMPORT_BAD_HEADER',
      `Row ${headerRow} of "${name}" is blank or beyond the file: choose another header row.`,
    );
  }
  if (head.slice(headerRow).every(isBlank)) {
    throw new AppError('IMPORT_EMPTY', `"${name}" has a header row but no data rows below it.`);
  }
  const row = headerRow;
  return {
    sniffed,
    head,
    unreadable,
    candidates,
    headerRow,
    headers: normalizeHeaders(raw),
    newSectionReader: () => sectionReader(candidates, row),
  };
}

function guessKind(headers: readonly string[]): ImportKind {
  const keys = headers.map(headerKey);
  if (keys.some((k) => k === 'attended' || k === 'join time' || k === 'registration time')) return 'event';
  if (keys.some((k) => /^(activity|activity type|event type|type|action)$/.test(k))) return 'activities';
  return 'leads';
}

/** The columns whose numeric dates in the head sample decide the date order when the user chose none. */
function dateColumnIndexes(headers: readonly string[], mapping: ColumnMapping): number[] {
  return headers
    .map((h, i) => [h, i] as const)
    .filter(
      ([h]) =>
        /date|time|\bat$/.test(headerKey(h)) ||
        mapping[h] === 'activity.time' ||
        mapping[h] === 'event.join_time' ||
        mapping[h] === 'created_date',
    )
    .map(([, i]) => i);
}

function dateOrderOf(
  head: readonly (readonly string[])[],
  headerRow: number,
  headers: readonly string[],
  mapping: ColumnMapping,
) {
  const cols = dateColumnIndexes(headers, mapping);
  const samples: string[] = [];
  for (const r of head.slice(headerRow)) for (const i of cols) samples.push(r[i] ?? '');
  return detectDateOrder(samples);
}

export async function inspectImport(
  db: Database.Database,
  path: string,
  read: ReadOptions,
  kind: ImportKind | undefined,
): Promise<InspectResult> {
  const info = await loadHeadInfo(path, read);
  const k = kind ?? guessKind(info.headers);
  const suggestion = suggestMapping(info.headers, k);
  const signature = headerSignature(info.headers);
  const s = info.sniffed;
  return {
    path,
    fileName: s.fileName,
    sizeBytes: s.sizeBytes,
    format: s.format,
    encoding: s.encoding,
    encodingSample: s.encodingSample,
    delimiter: s.delimiter,
    sheets: s.sheets,
    sheet: s.sheet,
    headerCandidates: info.candidates.slice(0, 20),
    headerRow: info.headerRow,
    headers: info.headers,
    headerSignature: signature,
    kind: k,
    mapping: suggestion.mapping,
    keyCandidates: suggestion.keyCandidates,
    dateOrder: dateOrderOf(info.head, info.headerRow, info.headers, suggestion.mapping),
    reportTopic: reportTopic(info.head, info.headerRow),
    savedMapping: findSavedMapping(db, signature),
    sampleRows: info.head
      .slice(info.headerRow)
      .filter(info.newSectionReader())
      .filter((r) => !isBlank(r))
      .slice(0, 20),
  };
}

/** Why the outcome settings cannot work with these headers (each column must exist; leads imports only). */
function outcomeProblems(headers: readonly string[], options: ResolvedOptions): string[] {
  const o = options.outcome;
  if (!o) return [];
  if (options.kind !== 'leads') return ['An outcome column can only be mapped in a leads import.'];
  const named: [string, string | undefined][] = [
    ['outcome', o.column],
    ['outcome date', o.dateColumn],
    ['deal value', o.valueColumn],
  ];
  return named.flatMap(([what, column]) =>
    column !== undefined && !headers.includes(column)
      ? [`The ${what} column "${column}" is not in the file. Columns: ${headers.join(', ')}.`]
      : [],
  );
}

/** A file that is not UTF-8 is imported only once the user has named (confirmed) its encoding. */
function unconfirmedEncoding(s: Sniffed): AppError {
  return new AppError(
    'IMPORT_UNREADABLE',
    unconfirmedEncodingMessage(
      s.fileName,
      s.encoding!,
      s.encodingSample!,
      `leadbench import --encoding ${s.encoding}, or the confirmation in the import wizard`,
      'Nothing was imported.',
    ),
  );
}

/**
 * The name an event import gives its activities: the user's, else the report's own (Zoom's
 * "Topic" line above the attendee table), so a webinar report imported without typing a
 * name is still told apart from the next webinar's.
 */
function eventName(options: ResolvedOptions, head: readonly (readonly string[])[], headerRow: number) {
  if (options.asset?.trim() || options.kind !== 'event') return options.asset;
  return reportTopic(head, headerRow) ?? options.asset;
}

/**
 * Resolves everything an import needs; throws IMPORT_BAD_MAPPING when the mapping cannot work.
 * `activityTypeAliases`: the workspace's renamed and merged types (activityTypeAliases).
 */
export async function planImport(
  path: string,
  options: ResolvedOptions,
  strict = true,
  activityTypeAliases: Readonly<Record<string, ActivityTypeKey>> = {},
): Promise<Plan> {
  const info = await loadHeadInfo(path, {
    encoding: options.encoding,
    delimiter: options.delimiter,
    sheet: options.sheet,
    headerRow: options.headerRow,
  });
  const mapping = options.mapping ?? suggestMapping(info.headers, options.kind).mapping;
  const dateOrderChosen = options.dateOrder !== undefined && options.dateOrder !== 'auto';
  const dateOrder =
    options.dateOrder && options.dateOrder !== 'auto'
      ? options.dateOrder
      : (dateOrderOf(info.head, info.headerRow, info.headers, mapping) ?? 'auto');
  const settings: RowSettings = {
    kind: options.kind,
    // On unless asked otherwise: the wizard's default too, so a CLI import of an export full of
    // "Select" reads what the app reads (and a learned model never scores "City is Select").
    blankPlaceholders: options.blankPlaceholders ?? true,
    placeholders: options.placeholders,
    dateOrder,
    activityType: options.activityType,
    activityTypeMap: options.activityTypeMap,
    activityTypeAliases,
    asset: eventName(options, info.head, info.headerRow),
    eventList: options.eventList,
    eventTime: options.eventTime,
    rowKeyName: options.rowKey ? `Row of ${info.sniffed.fileName}` : undefined,
  };
  const problems = [...mappingProblems(info.headers, mapping, settings), ...outcomeProblems(info.headers, options)];
  if (strict && problems.length) throw new AppError('IMPORT_BAD_MAPPING', problems.join(' '), { problems });
  if (strict && info.sniffed.encodingSample !== null) throw unconfirmedEncoding(info.sniffed);
  return {
    sniffed: info.sniffed,
    headerRow: info.headerRow,
    headers: info.headers,
    mapping,
    settings,
    options,
    update: options.update ?? 'fill',
    unknownLeads: options.unknownLeads ?? 'create',
    mapper: compileRowMapper(info.headers, mapping, settings),
    problems,
    head: info.head
      .slice(info.headerRow)
      .filter(info.newSectionReader())
      .map((r, i) => [info.headerRow + i + 1, r] as const),
    newSectionReader: info.newSectionReader,
    candidates: info.candidates,
    dateOrderChosen,
    unreadable: info.unreadable,
  };
}
