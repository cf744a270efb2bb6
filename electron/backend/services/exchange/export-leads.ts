/**
 * Lead exports as a job: resolve the leads (ids only), then load, write and (for round-trip
 * exports) record them a batch at a time, yielding between batches so the app stays
 * responsive and a cancel is served. The file appears under its name only when complete;
 * a failed or cancelled export leaves no file and no recorded rows.
 *
 * Per-owner packs are the same loop run once per owner: one file each, or one workbook
 * with a sheet per owner, all under one export id.
 */
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import type { exchangeArgs, ExportFile, ExportResult, ExportSource } from '../../../../shared/contract/exchange';
import { DEFAULT_EXPORT_COLUMNS, OWNER_PACK_COLUMNS } from '../../../../shared/exchange/columns';
import { customFieldTypes } from '../leads/custom-fields';
import { leadKeyName } from '../leads/lead-key';
import { exportPreset } from '../../../../shared/exchange/presets';
import type { BackendContext } from '../../context';
import { AppError } from '../../errors';
import { checkWritableFolder, writeFailure } from '../../write-failure';
import { yieldToEventLoop, type Job } from '../../jobs';
import { closeJournal, journalOutput, journalTarget, openJournal } from '../recovery/journal';
import { createCsvWriter } from './csv-writer';
import { planColumns, rawEditableValue, type ColumnPlan } from './export-columns';
import { resolveSource } from './export-source';
import { createLeadLoader, leadFieldsFor, type LeadLoader } from './lead-rows';
import type { SheetWriter } from './sheet-writer';
import { createXlsxWriter } from './xlsx-writer';
import { systemZone, zonedClock, type ZonedClock } from './zoned-time';

/** A default column set, with the key column only where leads have keys (not when keyed by email). */
function withKeyColumn(db: Database.Database, keys: readonly string[]): readonly string[] {
  return leadKeyName(db) === null ? keys.filter((k) => k !== 'lead_key') : keys;
}

export type ExportLeadsArgs = z.output<(typeof exchangeArgs)['export-leads']>;
export type ExportOwnerPacksArgs = z.output<(typeof exchangeArgs)['export-owner-packs']>;

const BATCH = 1000;

/** "EX-20261122-k3j9x2": short enough to read on a phone call, unique per workspace. */
export function newExportUid(now: number): string {
  const d = new Date(now);
  const day = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return `EX-${day}-${randomBytes(4).readUInt32BE(0).toString(36).padStart(7, '0').slice(-7)}`;
}

/** An export's row and its journal (the files it writes: services/recovery/journal.ts). */
type ExportRecord = Readonly<{ id: number; uid: string; journal: number }>;

function createExportRecord(
  db: Database.Database,
  now: number,
  fields: Readonly<{ kind: string; format: string; source: unknown; options: unknown; roundTrip: boolean }>,
): ExportRecord {
  for (;;) {
    const uid = newExportUid(now);
    try {
      return db.transaction(() => {
        const info = db
          .prepare(
            `INSERT INTO exports (export_uid, kind, format, source, columns, options, round_trip, status, created_at)
           VALUES (?, ?, ?, ?, '[]', ?, ?, 'running', ?)`,
          )
          .run(
            uid,
            fields.kind,
            fields.format,
            JSON.stringify(fields.source),
            JSON.stringify(fields.options),
            fields.roundTrip ? 1 : 0,
            now,
          );
        return { id: Number(info.lastInsertRowid), uid, journal: openJournal(db, 'export', now) };
      })();
    } catch (err) {
      if (!(err instanceof Error && /UNIQUE/.test(err.message))) throw err;
    }
  }
}

function finishExportRecord(
  db: Database.Database,
  rec: ExportRecord,
  status: 'done' | 'failed' | 'cancelled',
  now: number,
  fields: Readonly<{ columns?: unknown; files?: readonly string[]; rows?: number; message?: string | null }>,
): void {
  db.transaction(() => {
    db.prepare(
      `UPDATE exports SET status = ?, finished_at = ?, columns = coalesce(?, columns), files = coalesce(?, files),
         row_count = coalesce(?, row_count), message = ? WHERE id = ?`,
    ).run(
      status,
      now,
      fields.columns === undefined ? null : JSON.stringify(fields.columns),
      fields.files === undefined ? null : JSON.stringify(fields.files),
      fields.rows ?? null,
      fields.message ?? null,
      rec.id,
    );
    if (status !== 'done') db.prepare('DELETE FROM export_rows WHERE export_id = ?').run(rec.id);
    closeJournal(db, rec.journal);
  })();
}

function openWriter(
  db: Database.Database,
  rec: ExportRecord,
  path: string,
  format: 'csv' | 'xlsx',
  csv: ExportLeadsArgs['csv'],
  clock: ZonedClock,
): SheetWriter {
  mkdirSync(dirname(path), { recursive: true });
  journalTarget(db, rec.journal, path);
  return format === 'csv'
    ? createCsvWriter(path, { bom: csv?.bom ?? true, delimiter: csv?.delimiter ?? ',' }, clock)
    : createXlsxWriter(path, clock);
}

type Progress = { done: number; total: number; started: number };

/** Writes the leads of `ids` (in order) as rows of the writer's current sheet. */
async function writeLeads(
  db: Database.Database,
  job: Job,
  writer: SheetWriter,
  plan: ColumnPlan,
  loader: LeadLoader,
  ids: readonly number[],
  rec: ExportRecord | null,
  progress: Progress,
): Promise<number> {
  const customTypes = customFieldTypes(db);
  const record = rec
    ? db.prepare(
        `INSERT OR REPLACE INTO export_rows (export_id, lead_uid, lead_id, owner_id, lead_updated_at, exported_values)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
    : null;
  let rows = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    job.checkCancelled();
    const leads = loader.load(ids.slice(i, i + BATCH));
    for (const lead of leads) writer.writeRow(plan.columns.map((c) => c.value(lead)));
    if (record && rec) {
      db.transaction(() => {
        for (const lead of leads) {
          const values: Record<string, string | number | null> = {};
          for (const k of plan.editableKeys) values[k] = rawEditableValue(k, lead, customTypes);
          record.run(
            rec.id,
            lead.uid,
            lead.id,
            (lead.row.owner_id as number | null) ?? null,
            lead.row.updated_at as number,
            JSON.stringify(values),
          );
        }
      })();
    }
    rows += leads.length;
    progress.done += leads.length;
    const elapsed = (Date.now() - progress.started) / 1000;
    job.progress({
      phase: 'Writing',
      done: progress.done,
      total: progress.total,
      fraction: progress.total ? progress.done / progress.total : null,
      ratePerSec: elapsed > 0 ? Math.round(progress.done / elapsed) : null,
    });
    await writer.flush();
    await yieldToEventLoop();
  }
  return rows;
}

function resolveZone(timeZone: string | undefined): ZonedClock {
  const zone = timeZone ?? systemZone();
  const clock = zonedClock(zone);
  if (clock.zone !== zone) throw new AppError('BAD_ARGUMENT', `Unknown time zone "${zone}".`);
  return clock;
}

function checkFormat(path: string, format: 'csv' | 'xlsx'): void {
  if (!path.toLowerCase().endsWith(`.${format}`)) {
    throw new AppError('BAD_ARGUMENT', `The file name must end in .${format} for a ${format.toUpperCase()} export.`);
  }
}

async function runJob<T>(ctx: BackendContext, jobId: string | undefined, fn: (job: Job) => Promise<T>): Promise<T> {
  const job = ctx.jobs.start('export', jobId);
  try {
    return await fn(job);
  } finally {
    ctx.jobs.finish(job.id);
  }
}

/** The export's failure as the user reads it (a full disk, a read-only folder in words). */
function asExportError(err: unknown, path: string): AppError {
  return err instanceof AppError ? err : writeFailure('EXPORT_FAILED', 'The export', path, err);
}

/** Records a failed or cancelled export (rows and journal gone); returns the error to throw. */
function failExport(db: Database.Database, rec: ExportRecord, now: number, err: unknown, path: string): AppError {
  const error = asExportError(err, path);
  const status = error.code === 'CANCELLED' ? 'cancelled' : 'failed';
  finishExportRecord(db, rec, status, now, { message: error.message });
  return error;
}

/** Exports leads (a view, selection, segment, the queue) to one CSV or XLSX file. */
export async function exportLeads(ctx: BackendContext, args: ExportLeadsArgs): Promise<ExportResult> {
  const db = ctx.db();
  const out = resolve(args.out);
  checkFormat(out, args.format);
  checkWritableFolder('EXPORT_FAILED', 'The export', out, dirname(out));
  const clock = resolveZone(args.timeZone);
  const roundTrip = args.roundTrip ?? args.preset === undefined;
  const source = resolveSource(db, args.source);
  const keys = args.columns ?? (args.preset ? [] : (source.viewColumns ?? withKeyColumn(db, DEFAULT_EXPORT_COLUMNS)));
  const started = Date.now();
  return runJob(ctx, args.jobId, async (job) => {
    const presetReads = args.preset ? (exportPreset(args.preset)?.columns.flatMap((c) => c.reads) ?? []) : [];
    const loader = createLeadLoader(db, {
      ledger: keys.includes('ledger'),
      fields: leadFieldsFor(db, [...keys, ...presetReads]),
    });
    const rec = createExportRecord(db, ctx.now(), {
      kind: 'leads',
      format: args.format,
      source: args.source,
      options: { timeZone: clock.zone, csv: args.csv ?? null, preset: args.preset ?? null, label: source.label },
      roundTrip,
    });
    let writer: SheetWriter | null = null;
    // The file under its own name before the export is recorded: taken back if recording fails.
    let placed = false;
    try {
      const plan = planColumns(db, loader, rec.uid, { keys, preset: args.preset, roundTrip });
      writer = openWriter(db, rec, out, args.format, args.csv, clock);
      await writer.startSheet(
        'Leads',
        plan.columns.map((c) => c.sheet),
      );
      const progress: Progress = { done: 0, total: source.ids.length, started };
      const rows = await writeLeads(db, job, writer, plan, loader, source.ids, roundTrip ? rec : null, progress);
      const bytes = await writer.close(() => journalOutput(db, rec.journal, out));
      writer = null;
      placed = true;
      finishExportRecord(db, rec, 'done', ctx.now(), { columns: plan.headerKeys, files: [out], rows });
      job.progress({ phase: 'Done', done: rows, total: rows, fraction: 1, ratePerSec: null, finished: true });
      return {
        exportId: rec.id,
        exportUid: rec.uid,
        format: args.format,
        rows,
        headers: plan.columns.map((c) => c.sheet.header),
        files: [{ path: out, rows, bytes }],
        roundTrip,
        tookMs: Date.now() - started,
      };
    } catch (err) {
      await writer?.abort();
      if (placed) await rm(out, { force: true });
      throw failExport(db, rec, ctx.now(), err, out);
    }
  });
}

type OwnerGroup = { ownerId: number | null; name: string; email: string | null; ids: number[] };

/** Splits the source's ids by owner, keeping the source order within each owner. */
function groupByOwner(db: Database.Database, ids: readonly number[]): Map<number | null, number[]> {
  const owners = db.prepare(
    'SELECT leads.id, leads.owner_id FROM json_each(?) j CROSS JOIN leads ON leads.id = j.value',
  );
  const groups = new Map<number | null, number[]>();
  for (let i = 0; i < ids.length; i += 10_000) {
    const part = ids.slice(i, i + 10_000);
    const ownerOf = new Map<number, number | null>();
    for (const r of owners.all(JSON.stringify(part)) as { id: number; owner_id: number | null }[]) {
      ownerOf.set(r.id, r.owner_id);
    }
    for (const id of part) {
      if (!ownerOf.has(id)) continue;
      const o = ownerOf.get(id) ?? null;
      let list = groups.get(o);
      if (!list) groups.set(o, (list = []));
      list.push(id);
    }
  }
  return groups;
}

/** A file name from an owner's name: no path separators or characters Windows refuses. */
export function safeFileName(name: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex -- control characters are what we remove
    .replace(/[<>:"/\\|?*\u0000-\u001f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[. ]+$/, '');
  return cleaned.slice(0, 80) || 'owner';
}

/** One pack per owner of their leads in the source (default: the follow-up queue). */
export async function exportOwnerPacks(ctx: BackendContext, args: ExportOwnerPacksArgs): Promise<ExportResult> {
  const db = ctx.db();
  const out = resolve(args.out);
  checkWritableFolder('EXPORT_FAILED', 'The export', out, args.layout === 'workbook' ? dirname(out) : out);
  if (args.layout === 'workbook') {
    if (args.format !== 'xlsx') throw new AppError('BAD_ARGUMENT', 'A workbook with a sheet per owner must be XLSX.');
    checkFormat(out, 'xlsx');
  }
  const clock = resolveZone(args.timeZone);
  const sourceSpec: ExportSource = args.source ?? { kind: 'queue', ownerId: null };
  const source = resolveSource(db, sourceSpec);
  const keys = args.columns ?? withKeyColumn(db, OWNER_PACK_COLUMNS);
  const grouped = groupByOwner(db, source.ids);
  const ownerRows = db.prepare('SELECT id, name, email FROM owners ORDER BY name COLLATE NOCASE, id').all() as {
    id: number;
    name: string;
    email: string;
  }[];
  const wanted = args.ownerIds ? new Set(args.ownerIds) : null;
  if (wanted) {
    for (const id of wanted) {
      if (!ownerRows.some((o) => o.id === id)) throw new AppError('NOT_FOUND', `Owner ${id} does not exist.`);
    }
  }
  const groups: OwnerGroup[] = ownerRows
    .filter((o) => (wanted ? wanted.has(o.id) : grouped.has(o.id)))
    .map((o) => ({ ownerId: o.id, name: o.name, email: o.email, ids: grouped.get(o.id) ?? [] }));
  if (args.includeUnassigned && grouped.has(null)) {
    groups.push({ ownerId: null, name: 'Unassigned', email: null, ids: grouped.get(null) ?? [] });
  }
  if (groups.length === 0)
    throw new AppError('VALIDATION', 'No owner holds leads in this selection; there is nothing to export.');

  const started = Date.now();
  return runJob(ctx, args.jobId, async (job) => {
    const loader = createLeadLoader(db, { ledger: keys.includes('ledger'), fields: leadFieldsFor(db, keys) });
    const rec = createExportRecord(db, ctx.now(), {
      kind: 'owner-packs',
      format: args.format,
      source: sourceSpec,
      options: { timeZone: clock.zone, csv: args.csv ?? null, layout: args.layout, label: source.label },
      roundTrip: true,
    });
    const written: string[] = [];
    let writer: SheetWriter | null = null;
    const files: ExportFile[] = [];
    try {
      const plan = planColumns(db, loader, rec.uid, { keys, roundTrip: true });
      const sheetColumns = plan.columns.map((c) => c.sheet);
      const progress: Progress = { done: 0, total: groups.reduce((n, g) => n + g.ids.length, 0), started };
      const day = clock.format(ctx.now(), false);
      let total = 0;
      if (args.layout === 'workbook') {
        writer = openWriter(db, rec, out, 'xlsx', undefined, clock);
        const perSheet: { g: OwnerGroup; rows: number }[] = [];
        for (const g of groups) {
          await writer.startSheet(g.name, sheetColumns);
          const rows = await writeLeads(db, job, writer, plan, loader, g.ids, rec, progress);
          perSheet.push({ g, rows });
          total += rows;
        }
        const bytes = await writer.close(() => journalOutput(db, rec.journal, out));
        writer = null;
        written.push(out);
        for (const { g, rows } of perSheet) {
          files.push({ path: out, rows, bytes, ownerId: g.ownerId, ownerName: g.name, sheet: g.name });
        }
      } else {
        mkdirSync(out, { recursive: true });
        const usedNames = new Set<string>();
        for (const g of groups) {
          let base = `${safeFileName(g.name)} - leads ${day}`;
          for (let i = 2; usedNames.has(base.toLowerCase()); i++)
            base = `${safeFileName(g.name)} (${i}) - leads ${day}`;
          usedNames.add(base.toLowerCase());
          const path = join(out, `${base}.${args.format}`);
          writer = openWriter(db, rec, path, args.format, args.csv, clock);
          await writer.startSheet(g.name, sheetColumns);
          const rows = await writeLeads(db, job, writer, plan, loader, g.ids, rec, progress);
          const bytes = await writer.close(() => journalOutput(db, rec.journal, path));
          writer = null;
          written.push(path);
          files.push({ path, rows, bytes, ownerId: g.ownerId, ownerName: g.name, sheet: g.name });
          total += rows;
        }
      }
      finishExportRecord(db, rec, 'done', ctx.now(), { columns: plan.headerKeys, files: written, rows: total });
      job.progress({ phase: 'Done', done: total, total, fraction: 1, ratePerSec: null, finished: true });
      return {
        exportId: rec.id,
        exportUid: rec.uid,
        format: args.format,
        rows: total,
        headers: sheetColumns.map((c) => c.header),
        files,
        roundTrip: true,
        tookMs: Date.now() - started,
      };
    } catch (err) {
      await writer?.abort();
      // Packs already written belong to an export that did not complete: remove them.
      await Promise.all(written.map((p) => rm(p, { force: true })));
      throw failExport(db, rec, ctx.now(), err, out);
    }
  });
}
