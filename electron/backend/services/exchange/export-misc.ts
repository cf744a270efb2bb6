/**
 * The smaller exchange services: what the export dialog offers, the exports history, and a
 * report's table (the same table the report screen shows under its chart) to CSV or XLSX
 * through the same streamed, injection-safe writers as lead exports.
 */
import type Database from 'better-sqlite3';
import { dirname, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { z } from 'zod';
import type { exchangeArgs, ExportOptions, ExportResult, ExportSummary } from '../../../../shared/contract/exchange';
import {
  BASE_EXPORT_COLUMNS,
  CUSTOM_COLUMN_PREFIX,
  DEFAULT_EXPORT_COLUMNS,
  OWNER_PACK_COLUMNS,
} from '../../../../shared/exchange/columns';
import { EXPORT_PRESETS } from '../../../../shared/exchange/presets';
import { REPORT_LABELS, reportTable, type ReportData, type ReportKind } from '../../../../shared/followup/reports';
import type { BackendContext } from '../../context';
import { AppError } from '../../errors';
import { checkWritableFolder, writeFailure } from '../../write-failure';
import { closeJournal, journalOutput, journalTarget, openJournal } from '../recovery/journal';
import { readSettings } from '../followup/config';
import { dispositionsReport, funnelReport, gradesReport, outcomesReport, slaReport } from '../followup/reports';
import { createCsvWriter } from './csv-writer';
import { newExportUid } from './export-leads';
import { createXlsxWriter } from './xlsx-writer';
import { systemZone, zonedClock } from './zoned-time';
import { customEntriesSql } from '../leads/custom-store';

/** Custom field names found in the workspace (sampled: the newest 20,000 leads). */
export function customFields(db: Database.Database): string[] {
  return db
    .prepare(
      `SELECT DISTINCT f.name FROM (SELECT custom FROM leads WHERE custom <> '{}' ORDER BY id DESC LIMIT 20000) l,
       ${customEntriesSql('l')} ORDER BY f.name COLLATE NOCASE LIMIT 500`,
    )
    .pluck()
    .all() as string[];
}

export function exportOptions(db: Database.Database): ExportOptions {
  const columns = [
    ...BASE_EXPORT_COLUMNS.map(({ key, label, kind, group, editable }) => ({ key, label, kind, group, editable })),
    ...customFields(db).map((name) => ({
      key: `${CUSTOM_COLUMN_PREFIX}${name}`,
      label: name,
      kind: 'text' as const,
      group: 'lead' as const,
      editable: true,
    })),
  ];
  const owners = db
    .prepare(
      `SELECT o.id, o.name, o.email, (SELECT count(*) FROM leads WHERE owner_id = o.id) AS leads
       FROM owners o ORDER BY o.name COLLATE NOCASE`,
    )
    .all() as { id: number; name: string; email: string; leads: number }[];
  const segments = db
    .prepare('SELECT DISTINCT segment FROM leads WHERE segment IS NOT NULL ORDER BY segment')
    .pluck()
    .all() as string[];
  let views: { id: number; name: string }[] = [];
  try {
    views = db.prepare('SELECT id, name FROM saved_views ORDER BY name COLLATE NOCASE').all() as typeof views;
  } catch {
    views = [];
  }
  return {
    columns,
    presets: EXPORT_PRESETS.map((p) => ({
      id: p.id,
      label: p.label,
      description: p.description,
      headers: p.columns.map((c) => c.header),
    })),
    defaults: { leads: DEFAULT_EXPORT_COLUMNS, ownerPack: OWNER_PACK_COLUMNS },
    owners,
    segments,
    views,
    timeZone: systemZone(),
  };
}

export function listExports(db: Database.Database, limit: number): ExportSummary[] {
  const rows = db.prepare('SELECT * FROM exports ORDER BY created_at DESC, id DESC LIMIT ?').all(limit) as {
    id: number;
    export_uid: string;
    kind: ExportSummary['kind'];
    format: ExportSummary['format'];
    row_count: number;
    round_trip: number;
    status: ExportSummary['status'];
    files: string;
    created_at: number;
  }[];
  return rows.map((r) => ({
    exportId: r.id,
    exportUid: r.export_uid,
    kind: r.kind,
    format: r.format,
    rows: r.row_count,
    roundTrip: r.round_trip === 1,
    status: r.status,
    files: JSON.parse(r.files) as string[],
    createdAt: r.created_at,
  }));
}

export type ExportReportArgs = z.output<(typeof exchangeArgs)['export-report']>;

function reportData(
  db: Database.Database,
  kind: ReportKind,
  args: ExportReportArgs,
  now: number,
): ReportData[ReportKind] {
  switch (kind) {
    case 'funnel':
      return funnelReport(db, args.filter);
    case 'grades':
      return gradesReport(db, args.filter);
    case 'sla':
      return slaReport(db, args.filter, now, readSettings(db).dueSoonFraction);
    case 'outcomes':
      return outcomesReport(db, args.filter);
    case 'dispositions':
      return dispositionsReport(db, args.filter);
  }
}

/** A report's table to CSV or XLSX (numbers stay numbers, text is injection-safe). */
export async function exportReport(ctx: BackendContext, args: ExportReportArgs): Promise<ExportResult> {
  const db = ctx.db();
  const started = Date.now();
  const out = resolve(args.out);
  if (!out.toLowerCase().endsWith(`.${args.format}`)) {
    throw new AppError(
      'BAD_ARGUMENT',
      `The file name must end in .${args.format} for a ${args.format.toUpperCase()} export.`,
    );
  }
  checkWritableFolder('EXPORT_FAILED', 'The report', out, dirname(out));
  const clock = zonedClock(args.timeZone ?? systemZone());
  const table = reportTable(args.report, reportData(db, args.report, args, ctx.now()));
  const kinds = table.numeric.map((isNumber) => (isNumber ? ('number' as const) : ('text' as const)));
  mkdirSync(dirname(out), { recursive: true });
  // Journaled, so a crash's temporary copy is found and removed (services/recovery/heal.ts).
  const journal = db.transaction(() => {
    const id = openJournal(db, 'export', ctx.now());
    journalTarget(db, id, out);
    return id;
  })();
  const writer =
    args.format === 'csv'
      ? createCsvWriter(out, { bom: args.csv?.bom ?? true, delimiter: args.csv?.delimiter ?? ',' }, clock)
      : createXlsxWriter(out, clock);
  // The file under its own name before the report is recorded: taken back if recording fails.
  let placed = false;
  try {
    await writer.startSheet(
      REPORT_LABELS[args.report],
      table.columns.map((header, i) => ({ header, kind: kinds[i]!, width: Math.max(10, header.length + 2) })),
    );
    for (const row of table.rows) writer.writeRow(row);
    const bytes = await writer.close(() => journalOutput(db, journal, out));
    placed = true;
    const now = ctx.now();
    const uid = `RP-${newExportUid(now).slice(3)}`;
    const id = db.transaction(() => {
      closeJournal(db, journal);
      return Number(
        db
          .prepare(
            `INSERT INTO exports (export_uid, kind, format, source, columns, options, round_trip, files, row_count, status, created_at, finished_at)
             VALUES (?, 'report', ?, ?, ?, '{}', 0, ?, ?, 'done', ?, ?)`,
          )
          .run(
            uid,
            args.format,
            JSON.stringify({ report: args.report, filter: args.filter }),
            JSON.stringify(table.columns),
            JSON.stringify([out]),
            table.rows.length,
            now,
            now,
          ).lastInsertRowid,
      );
    })();
    return {
      exportId: id,
      exportUid: uid,
      format: args.format,
      rows: table.rows.length,
      headers: table.columns,
      files: [{ path: out, rows: table.rows.length, bytes }],
      roundTrip: false,
      tookMs: Date.now() - started,
    };
  } catch (err) {
    await writer.abort();
    if (placed) await rm(out, { force: true });
    closeJournal(db, journal);
    if (err instanceof AppError) throw err;
    throw writeFailure('EXPORT_FAILED', 'The report', out, err);
  }
}
