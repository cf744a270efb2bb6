/**
 * Which leads an export holds, in which order, as a list of ids: a grid view (the grid's own
 * filter-to-SQL builder, so the export holds exactly the rows the grid shows), a saved view,
 * a selection, a segment, or the follow-up queue (ordered by when the next action is due,
 * as the queue screen orders it). Ids only: a million of them is a few MB, and the rows are
 * loaded batch by batch while writing.
 */
import type Database from 'better-sqlite3';
import { leadQuerySchema, type LeadQuery } from '../../../../shared/contract/leads';
import type { ExportSource } from '../../../../shared/contract/exchange';
import { AppError } from '../../errors';
import { buildLeadQuerySql } from '../leads/lead-query-sql';
import { querySqlOptions } from '../leads/grid';
import { ensureSearchFor } from '../leads/lead-search';

export type ResolvedSource = Readonly<{
  ids: number[];
  /** The saved view's column keys (exports of a view default to them). */
  viewColumns: readonly string[] | null;
  /** For file names and the exports list: "View: Hot in Germany", "Segment hot". */
  label: string;
}>;

function queryIds(db: Database.Database, query: LeadQuery): number[] {
  ensureSearchFor(db, query);
  const sql = buildLeadQuerySql(query, querySqlOptions(db));
  return db
    .prepare(`SELECT leads.id FROM leads WHERE ${sql.where} ORDER BY ${sql.orderBy}`)
    .pluck()
    .all(...sql.params) as number[];
}

type ViewRow = { id: number; name: string; query: string; columns: string };

function loadView(db: Database.Database, viewId: number | undefined, name: string | undefined): ViewRow {
  if (viewId === undefined && name === undefined) {
    throw new AppError('BAD_ARGUMENT', 'Name the saved view to export (its id or name).');
  }
  let row: ViewRow | undefined;
  try {
    row = (
      viewId !== undefined
        ? db.prepare('SELECT id, name, query, columns FROM saved_views WHERE id = ?').get(viewId)
        : db.prepare('SELECT id, name, query, columns FROM saved_views WHERE name = ? COLLATE NOCASE').get(name)
    ) as ViewRow | undefined;
  } catch {
    row = undefined;
  }
  if (!row)
    throw new AppError('NOT_FOUND', `There is no saved view ${viewId !== undefined ? `#${viewId}` : `"${name}"`}.`);
  return row;
}

/** Column keys of a saved view (grid keys are export keys). */
function viewColumnKeys(json: string): string[] {
  try {
    const cols = JSON.parse(json) as { key?: unknown }[];
    return cols.map((c) => c.key).filter((k): k is string => typeof k === 'string');
  } catch {
    return [];
  }
}

/** Open follow-ups, ordered as the queue shows them: next action due first. */
function queueIds(db: Database.Database, ownerId: number | null): number[] {
  return db
    .prepare(
      `SELECT l.id FROM lead_followup f JOIN leads l ON l.id = f.lead_id
       LEFT JOIN sla_policies p ON p.id = f.policy_id
       WHERE f.status = 'open' ${ownerId !== null ? 'AND l.owner_id = ?' : ''}
       ORDER BY CASE WHEN f.first_contact_at IS NULL THEN f.due_at
         ELSE f.last_attempt_at + CAST(coalesce(p.attempt_spacing_hours, 24) * 3600000 AS INTEGER) END,
         f.due_at, l.id`,
    )
    .pluck()
    .all(...(ownerId !== null ? [ownerId] : [])) as number[];
}

export function resolveSource(db: Database.Database, source: ExportSource): ResolvedSource {
  switch (source.kind) {
    case 'all':
      return {
        ids: db.prepare('SELECT id FROM leads ORDER BY id').pluck().all() as number[],
        viewColumns: null,
        label: 'All leads',
      };
    case 'query':
      return { ids: queryIds(db, source.query), viewColumns: null, label: 'Grid view' };
    case 'view': {
      const view = loadView(db, source.viewId, source.name);
      const parsed = leadQuerySchema.safeParse(JSON.parse(view.query));
      if (!parsed.success) throw new AppError('VALIDATION', `The saved view "${view.name}" cannot be read.`);
      const cols = viewColumnKeys(view.columns);
      return { ids: queryIds(db, parsed.data), viewColumns: cols.length ? cols : null, label: `View ${view.name}` };
    }
    case 'selection': {
      const sel = source.selection;
      if (sel.kind === 'ids') {
        const ids = db
          .prepare('SELECT id FROM leads WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id')
          .pluck()
          .all(JSON.stringify([...new Set(sel.ids)])) as number[];
        return { ids, viewColumns: null, label: 'Selection' };
      }
      const except = new Set(sel.exceptIds);
      return { ids: queryIds(db, sel.query).filter((id) => !except.has(id)), viewColumns: null, label: 'Selection' };
    }
    case 'segment':
      return {
        ids: db
          .prepare('SELECT id FROM leads WHERE segment = ? COLLATE NOCASE ORDER BY score_total DESC, id')
          .pluck()
          .all(source.segment) as number[],
        viewColumns: null,
        label: `Segment ${source.segment}`,
      };
    case 'queue':
      return { ids: queueIds(db, source.ownerId), viewColumns: null, label: 'Follow-up queue' };
  }
}
