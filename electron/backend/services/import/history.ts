/** Import history, rejected rows (paged) and their CSV export, and the wizard's preview. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type Database from 'better-sqlite3';
import Papa from 'papaparse';
import type { ImportErrorRow, ImportRecord, PreviewResult, PreviewRow } from '../../../../shared/contract';
import type { ColumnMapping, ImportKind } from '../../../../shared/mapping';
import { AppError } from '../../errors';
import { planImport, type ResolvedOptions } from './plan';
import { activityTypeAliases } from '../leads/activity-types';

type ImportRow = {
  id: number;
  file_name: string;
  file_path: string;
  kind: string;
  status: string;
  options: string;
  mapping: string;
  rows_total: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: number;
  activities_inserted: number;
  started_at: number;
  finished_at: number | null;
  message: string | null;
};

export function listImports(db: Database.Database, limit = 200): ImportRecord[] {
  const rows = db.prepare('SELECT * FROM imports ORDER BY id DESC LIMIT ?').all(limit) as ImportRow[];
  return rows.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    filePath: r.file_path,
    kind: r.kind as ImportKind,
    status: r.status,
    options: JSON.parse(r.options) as Record<string, unknown>,
    mapping: JSON.parse(r.mapping) as ColumnMapping,
    rowsTotal: r.rows_total,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    skipped: r.skipped,
    errors: r.errors,
    activitiesInserted: r.activities_inserted,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    message: r.message,
  }));
}

function requireImport(db: Database.Database, importId: number): ImportRow {
  const r = db.prepare('SELECT * FROM imports WHERE id = ?').get(importId) as ImportRow | undefined;
  if (!r) throw new AppError('NOT_FOUND', `Import ${importId} does not exist.`);
  return r;
}

export function listImportErrors(
  db: Database.Database,
  importId: number,
  offset = 0,
  limit = 100,
): { total: number; rows: ImportErrorRow[] } {
  requireImport(db, importId);
  const total = db.prepare('SELECT count(*) FROM import_errors WHERE import_id = ?').pluck().get(importId) as number;
  const rows = db
    .prepare(
      `SELECT row_number AS row, column_name AS "column", reason, raw FROM import_errors
       WHERE import_id = ? ORDER BY row_number LIMIT ? OFFSET ?`,
    )
    .all(importId, limit, offset) as ImportErrorRow[];
  return { total, rows };
}

/**
 * Writes the rejected rows as CSV: row number, column, reason, then the row's original cells
 * under the file's own headers, so the user can fix them and import the file again.
 */
export async function exportImportErrors(db: Database.Database, importId: number, path: string) {
  const imp = requireImport(db, importId);
  const headers = ((JSON.parse(imp.options) as { headers?: string[] }).headers ?? []).slice();
  const out = createWriteStream(path, { encoding: 'utf8' });
  const write = async (cells: readonly unknown[]) => {
    if (!out.write(`${Papa.unparse([cells as unknown[]], { newline: '\r\n' })}\r\n`)) await once(out, 'drain');
  };
  let rows = 0;
  try {
    out.write('\uFEFF');
    await write(['Row', 'Column', 'Reason', ...headers]);
    const it = db
      .prepare('SELECT row_number, column_name, reason, raw FROM import_errors WHERE import_id = ? ORDER BY row_number')
      .iterate(importId) as IterableIterator<{
      row_number: number;
      column_name: string | null;
      reason: string;
      raw: string | null;
    }>;
    for (const e of it) {
      const cells = e.raw ? (JSON.parse(e.raw) as string[]) : [];
      await write([e.row_number, e.column_name ?? '', e.reason, ...cells]);
      rows++;
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { path, rows };
}

/** The first rows of the file as they will be stored (same plan and mapper as the run). */
export async function previewImport(
  db: Database.Database,
  path: string,
  options: ResolvedOptions,
  limit = 20,
): Promise<PreviewResult> {
  const plan = await planImport(path, options, false, activityTypeAliases(db));
  const rows: PreviewRow[] = [];
  for (const [row, cells] of plan.head) {
    if (rows.length >= limit) break;
    if (cells.every((c) => c.trim() === '')) continue;
    const unreadable = plan.unreadable.get(row);
    const r = plan.problems.length || unreadable ? null : plan.mapper(cells, row);
    if (r === null || !r.ok) {
      rows.push({
        row,
        ok: false,
        error:
          r === null
            ? { column: null, reason: unreadable ?? plan.problems.join(' ') }
            : { column: r.column, reason: r.reason },
        email: null,
        fields: {},
        custom: {},
        keys: [],
        activities: [],
      });
      continue;
    }
    rows.push({
      row,
      ok: true,
      error: null,
      email: r.lead.email,
      fields: r.lead.fields,
      custom: {
        ...r.lead.custom,
        ...Object.fromEntries(
          r.activities.flatMap((a) => (a.detail ? Object.entries(JSON.parse(a.detail) as object) : [])),
        ),
      },
      keys: r.lead.keys,
      activities: r.activities.map((a) => ({
        type: a.type,
        asset: a.asset,
        occurredAt: a.occurredAt,
        durationSec: a.durationSec,
      })),
    });
  }
  return { headers: plan.headers, headerRow: plan.headerRow, problems: plan.problems, rows };
}
