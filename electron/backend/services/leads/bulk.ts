/**
 * Selection and bulk actions. A selection is explicit ids or "every lead matching this
 * view" (resolved in SQL, so it covers rows the grid never loaded). Every action records
 * what it changed in one batch so it can be undone: the touched fields' previous values, or
 * for a delete the lead rows and every dependent row (found through the foreign keys, so
 * tables other features add are kept too).
 *
 * Stage changes and owner assignment go through follow-up's service (history, SLA clock,
 * routing); field changes that affect scores are followed by a rescore.
 */
import type Database from 'better-sqlite3';
import type { BulkAction, BulkResult, LeadSelection } from '../../../../shared/contract/leads';
import { reclaimFreeSpace } from '../../db/reclaim';
import { AppError } from '../../errors';
import { assignOwner, changeStage } from '../followup/stages';
import { rescoreLeads } from '../scoring/rescore';
import { buildLeadQuerySql } from './lead-query-sql';
import { querySqlOptions } from './grid';
import { ensureSearchFor } from './lead-search';
import { uidTextSql, uidValueSql } from './lead-uid-sql';

/** How many bulk batches keep their undo data. */
const KEEP_BATCHES = 20;
export const MANUAL_SUPPRESSION_PREFIX = 'Suppressed by hand: ';

/** Lead ids a selection stands for, ascending. */
export function resolveSelection(db: Database.Database, selection: LeadSelection): number[] {
  if (selection.kind === 'ids') {
    const ids = [...new Set(selection.ids)].sort((a, b) => a - b);
    return withTempIds(
      db,
      ids,
      () =>
        db
          .prepare('SELECT id FROM leads WHERE id IN (SELECT id FROM temp.lb_sel) ORDER BY id')
          .pluck()
          .all() as number[],
    );
  }
  ensureSearchFor(db, selection.query);
  const sql = buildLeadQuerySql(selection.query, querySqlOptions(db));
  const ids = db
    .prepare(`SELECT leads.id FROM leads WHERE ${sql.where} ORDER BY leads.id`)
    .pluck()
    .all(...sql.params) as number[];
  if (selection.exceptIds.length === 0) return ids;
  const except = new Set(selection.exceptIds);
  return ids.filter((id) => !except.has(id));
}

/** Counts a selection without materializing it when possible. */
export function countSelection(db: Database.Database, selection: LeadSelection): number {
  if (selection.kind === 'query' && selection.exceptIds.length === 0) {
    ensureSearchFor(db, selection.query);
    const sql = buildLeadQuerySql(selection.query, querySqlOptions(db));
    return db
      .prepare(`SELECT count(*) FROM leads WHERE ${sql.where}`)
      .pluck()
      .get(...sql.params) as number;
  }
  return resolveSelection(db, selection).length;
}

/** Runs `fn` with the ids in temp.lb_sel (an indexed temp table, for IN (...) over any count). */
function withTempIds<T>(db: Database.Database, ids: readonly number[], fn: () => T): T {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS lb_sel (id INTEGER PRIMARY KEY)');
  db.exec('DELETE FROM temp.lb_sel');
  const ins = db.prepare('INSERT OR IGNORE INTO temp.lb_sel (id) VALUES (?)');
  for (const id of ids) ins.run(id);
  try {
    return fn();
  } finally {
    db.exec('DELETE FROM temp.lb_sel');
  }
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function stageLabel(db: Database.Database, key: string): string {
  const hasConfig = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'stage_config'").get();
  if (!hasConfig) return key;
  return (db.prepare('SELECT label FROM stage_config WHERE key = ?').pluck().get(key) as string | undefined) ?? key;
}

function describe(action: BulkAction, n: number, ownerName: string | null, stage: string | null): string {
  const leads = `${fmt(n)} lead${n === 1 ? '' : 's'}`;
  switch (action.kind) {
    case 'assign-owner':
      return action.ownerId === null
        ? `Unassigned ${leads}`
        : `Assigned ${leads} to ${ownerName ?? `owner ${action.ownerId}`}`;
    case 'set-stage':
      return `Moved ${leads} to ${stage ?? action.stage}`;
    case 'add-tag':
      return `Tagged ${leads} "${action.tag}"`;
    case 'remove-tag':
      return `Removed tag "${action.tag}" from ${leads}`;
    case 'suppress':
      return `Suppressed ${leads}`;
    case 'unsuppress':
      return `Unsuppressed ${leads}`;
    case 'delete':
      return `Deleted ${leads}`;
  }
}

/** Tables whose rows belong to a lead (foreign key to leads.id), with that column. */
function dependentTables(db: Database.Database): { table: string; column: string }[] {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'",
    )
    .pluck()
    .all() as string[];
  const out: { table: string; column: string }[] = [];
  for (const t of tables) {
    if (t === 'leads' || t === 'lead_tags') continue;
    const fks = db
      .prepare('SELECT "table" AS ref, "from" AS col, "to" AS dest FROM pragma_foreign_key_list(?)')
      .all(t) as {
      ref: string;
      col: string;
      dest: string | null;
    }[];
    for (const fk of fks) {
      if (fk.ref === 'leads' && (fk.dest === 'id' || fk.dest === null)) out.push({ table: t, column: fk.col });
    }
  }
  return out;
}

function columnNames(db: Database.Database, table: string): string[] {
  return db.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0').pluck().all(table) as string[];
}

function quoteId(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** JSON holds no BLOB: a lead's uid (its 16 bytes, lead-uid-sql.ts) is kept as its text. */
const isLeadUid = (table: string, col: string): boolean => table === 'leads' && col === 'uid';

function jsonObjectOf(table: string, cols: readonly string[]): string {
  const value = (c: string): string => (isLeadUid(table, c) ? uidTextSql(quoteId(c)) : quoteId(c));
  return `json_object(${cols.map((c) => `'${c.replace(/'/g, "''")}', ${value(c)}`).join(', ')})`;
}

function snapshotDeleted(db: Database.Database, batchId: number): void {
  const ins = (table: string, where: string) => {
    const cols = columnNames(db, table);
    db.prepare(
      `INSERT INTO bulk_deleted (batch_id, tbl, data) SELECT ?, ?, ${jsonObjectOf(table, cols)} FROM ${quoteId(table)} WHERE ${where}`,
    ).run(batchId, table);
  };
  ins('leads', 'id IN (SELECT id FROM temp.lb_sel)');
  for (const d of dependentTables(db)) ins(d.table, `${quoteId(d.column)} IN (SELECT id FROM temp.lb_sel)`);
}

function restoreDeleted(db: Database.Database, batchId: number): number {
  db.pragma('defer_foreign_keys = ON');
  const tables = ['leads', ...dependentTables(db).map((d) => d.table)];
  let restored = 0;
  for (const table of [...new Set(tables)]) {
    const have = db
      .prepare('SELECT data FROM bulk_deleted WHERE batch_id = ? AND tbl = ? LIMIT 1')
      .pluck()
      .get(batchId, table) as string | undefined;
    if (!have) continue;
    const stored = Object.keys(JSON.parse(have) as Record<string, unknown>);
    const cols = columnNames(db, table).filter((c) => stored.includes(c));
    const value = (c: string): string => {
      const json = `json_extract(data, '$."${c.replace(/'/g, "''")}"')`;
      return isLeadUid(table, c) ? uidValueSql(json) : json;
    };
    const info = db
      .prepare(
        `INSERT INTO ${quoteId(table)} (${cols.map(quoteId).join(', ')}) SELECT ${cols
          .map(value)
          .join(', ')} FROM bulk_deleted WHERE batch_id = ? AND tbl = ?`,
      )
      .run(batchId, table);
    if (table === 'leads') restored = info.changes;
  }
  return restored;
}

function pruneBatches(db: Database.Database): void {
  db.prepare('DELETE FROM bulk_batches WHERE id NOT IN (SELECT id FROM bulk_batches ORDER BY id DESC LIMIT ?)').run(
    KEEP_BATCHES,
  );
}

export type BulkOptions = Readonly<{ confirmCount?: number | undefined; now: number; actor?: string }>;

/** Applies a bulk action to a selection in one transaction and records how to undo it. */
export function runBulk(
  db: Database.Database,
  selection: LeadSelection,
  action: BulkAction,
  opts: BulkOptions,
): BulkResult {
  const ids = resolveSelection(db, selection);
  if (action.kind === 'delete' && opts.confirmCount === undefined) {
    throw new AppError('VALIDATION', 'Deleting leads needs a confirmation of how many will be deleted.');
  }
  if (opts.confirmCount !== undefined && opts.confirmCount !== ids.length) {
    throw new AppError(
      'VALIDATION',
      `The selection changed: ${fmt(ids.length)} leads match now, you confirmed ${fmt(opts.confirmCount)}. Review it and confirm again.`,
      { count: ids.length },
    );
  }
  if (ids.length === 0) return { batchId: null, affected: 0, label: 'No leads selected', undoable: false };
  const now = opts.now;
  const actor = opts.actor ?? 'bulk action';
  let ownerName: string | null = null;
  if (action.kind === 'assign-owner' && action.ownerId !== null) {
    ownerName =
      (db.prepare('SELECT name FROM owners WHERE id = ?').pluck().get(action.ownerId) as string | undefined) ?? null;
    if (ownerName === null) throw new AppError('VALIDATION', `Owner ${action.ownerId} does not exist.`);
  }
  let affected = 0;
  let batchId = 0;
  const rescore = action.kind === 'suppress' || action.kind === 'unsuppress';
  db.transaction(() => {
    withTempIds(db, ids, () => {
      batchId = Number(
        db
          .prepare('INSERT INTO bulk_batches (kind, label, affected, created_at) VALUES (?, ?, 0, ?)')
          .run(action.kind, '', now).lastInsertRowid,
      );
      if (action.kind === 'delete') {
        snapshotDeleted(db, batchId);
        affected = db.prepare('DELETE FROM leads WHERE id IN (SELECT id FROM temp.lb_sel)').run().changes;
      } else {
        db.prepare(
          `INSERT INTO bulk_before (batch_id, lead_id, before)
           SELECT ?, id, json_object('stage', stage, 'owner_id', owner_id, 'tags', tags,
             'manual_suppression', manual_suppression, 'suppressed_reason', suppressed_reason)
           FROM leads WHERE id IN (SELECT id FROM temp.lb_sel)`,
        ).run(batchId);
        switch (action.kind) {
          case 'assign-owner':
            affected = assignOwner(db, ids, action.ownerId, now);
            break;
          case 'set-stage':
            affected = changeStage(db, ids, action.stage, actor, 'Bulk action in the leads grid', now).changed;
            break;
          case 'add-tag':
            affected = db
              .prepare(
                `UPDATE leads SET tags = json_insert(CASE WHEN json_valid(tags) THEN tags ELSE '[]' END, '$[#]', ?), updated_at = ?
                 WHERE id IN (SELECT id FROM temp.lb_sel) AND NOT EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = leads.id AND t.tag = ?)`,
              )
              .run(action.tag, now, action.tag).changes;
            break;
          case 'remove-tag':
            affected = db
              .prepare(
                `UPDATE leads SET tags = (SELECT json_group_array(value) FROM json_each(leads.tags) WHERE value IS NOT ?), updated_at = ?
                 WHERE id IN (SELECT lead_id FROM lead_tags WHERE tag = ? AND lead_id IN (SELECT id FROM temp.lb_sel))`,
              )
              .run(action.tag, now, action.tag).changes;
            break;
          case 'suppress':
            affected = db
              .prepare(
                `UPDATE leads SET manual_suppression = ?, suppressed_reason = coalesce(suppressed_reason, ?), updated_at = ?
                 WHERE id IN (SELECT id FROM temp.lb_sel) AND manual_suppression IS NOT ?`,
              )
              .run(action.reason, MANUAL_SUPPRESSION_PREFIX + action.reason, now, action.reason).changes;
            break;
          case 'unsuppress':
            affected = db
              .prepare(
                `UPDATE leads SET manual_suppression = NULL,
                   suppressed_reason = CASE WHEN suppressed_reason LIKE ? ESCAPE '\\' THEN NULL ELSE suppressed_reason END,
                   updated_at = ?
                 WHERE id IN (SELECT id FROM temp.lb_sel) AND (manual_suppression IS NOT NULL OR suppressed_reason LIKE ? ESCAPE '\\')`,
              )
              .run(`${MANUAL_SUPPRESSION_PREFIX}%`, now, `${MANUAL_SUPPRESSION_PREFIX}%`).changes;
            break;
        }
      }
      const label = describe(
        action,
        affected,
        ownerName,
        action.kind === 'set-stage' ? stageLabel(db, action.stage) : null,
      );
      db.prepare('UPDATE bulk_batches SET label = ?, affected = ? WHERE id = ?').run(label, affected, batchId);
      pruneBatches(db);
    });
    if (rescore) rescoreLeads(db, ids, now);
  })();
  const label = db.prepare('SELECT label FROM bulk_batches WHERE id = ?').pluck().get(batchId) as string;
  // A delete frees the leads' index entries and search rows; pruned batches free their copies.
  if (action.kind === 'delete') reclaimFreeSpace(db);
  return { batchId, affected, label, undoable: affected > 0 };
}

type Before = {
  stage: string;
  owner_id: number | null;
  tags: string;
  manual_suppression: string | null;
  suppressed_reason: string | null;
};

/** Reverses a bulk batch: restores deleted leads, or puts the touched fields back. */
export function undoBulk(db: Database.Database, batchId: number, now: number): { restored: number; label: string } {
  const batch = db.prepare('SELECT id, kind, label, undone_at FROM bulk_batches WHERE id = ?').get(batchId) as
    { id: number; kind: BulkAction['kind']; label: string; undone_at: number | null } | undefined;
  if (!batch) throw new AppError('NOT_FOUND', 'That bulk action can no longer be undone (only the last 20 are kept).');
  if (batch.undone_at !== null) throw new AppError('VALIDATION', `"${batch.label}" was already undone.`);
  let restored = 0;
  db.transaction(() => {
    if (batch.kind === 'delete') {
      try {
        restored = restoreDeleted(db, batchId);
      } catch (err) {
        throw new AppError(
          'VALIDATION',
          `The deleted leads cannot be restored: ${err instanceof Error ? err.message : String(err)}. Some were probably imported again since.`,
        );
      }
      db.prepare('DELETE FROM bulk_deleted WHERE batch_id = ?').run(batchId);
    } else {
      const rows = (
        db.prepare('SELECT lead_id, before FROM bulk_before WHERE batch_id = ?').all(batchId) as {
          lead_id: number;
          before: string;
        }[]
      ).map((r) => ({ id: r.lead_id, before: JSON.parse(r.before) as Before }));
      if (batch.kind === 'set-stage') {
        const current = db.prepare('SELECT stage FROM leads WHERE id = ?').pluck();
        const byStage = new Map<string, number[]>();
        for (const r of rows) {
          if (current.get(r.id) === r.before.stage) continue;
          const list = byStage.get(r.before.stage) ?? [];
          list.push(r.id);
          byStage.set(r.before.stage, list);
        }
        for (const [stage, ids] of byStage)
          restored += changeStage(db, ids, stage, 'undo', 'Undo of a bulk stage change', now).changed;
      } else {
        const sets: Record<Exclude<BulkAction['kind'], 'delete' | 'set-stage'>, string> = {
          'assign-owner': 'owner_id = @owner_id',
          'add-tag': 'tags = @tags',
          'remove-tag': 'tags = @tags',
          suppress: 'manual_suppression = @manual_suppression, suppressed_reason = @suppressed_reason',
          unsuppress: 'manual_suppression = @manual_suppression, suppressed_reason = @suppressed_reason',
        };
        const upd = db.prepare(`UPDATE leads SET ${sets[batch.kind]}, updated_at = @now WHERE id = @id`);
        for (const r of rows) restored += upd.run({ ...r.before, id: r.id, now }).changes;
        if (batch.kind === 'suppress' || batch.kind === 'unsuppress')
          rescoreLeads(
            db,
            rows.map((r) => r.id),
            now,
          );
      }
    }
    db.prepare('UPDATE bulk_batches SET undone_at = ? WHERE id = ?').run(now, batchId);
  })();
  // The deleted leads' copies are gone from bulk_deleted: give their pages back.
  if (batch.kind === 'delete') reclaimFreeSpace(db);
  return { restored, label: `Undid: ${batch.label}` };
}
