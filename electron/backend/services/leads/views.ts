/**
 * Saved grid views: a named filter + sort + column layout, kept in the workspace; and the
 * grid's own layout as the user last left it (workspace_meta), so it survives leaving the
 * Leads section and reopening the workspace.
 */
import type Database from 'better-sqlite3';
import {
  gridLayoutSchema,
  leadQuerySchema,
  type GridLayout,
  type LeadQuery,
  type SavedView,
} from '../../../../shared/contract/leads';
import { AppError } from '../../errors';

type Row = { id: number; name: string; query: string; columns: string; updated_at: number };

function toView(r: Row): SavedView {
  // A view saved by an older version that no longer validates opens as "everything".
  const parsed = leadQuerySchema.safeParse(JSON.parse(r.query));
  return {
    id: r.id,
    name: r.name,
    query: parsed.success ? parsed.data : leadQuerySchema.parse({}),
    columns: JSON.parse(r.columns) as SavedView['columns'],
    updated_at: r.updated_at,
  };
}

export function listViews(db: Database.Database): SavedView[] {
  return (
    db
      .prepare('SELECT id, name, query, columns, updated_at FROM saved_views ORDER BY name COLLATE NOCASE')
      .all() as Row[]
  ).map(toView);
}

export function saveView(
  db: Database.Database,
  v: { id?: number | undefined; name: string; query: LeadQuery; columns: SavedView['columns'] },
  now: number,
): SavedView {
  const clash = db
    .prepare('SELECT id FROM saved_views WHERE name = ? AND id IS NOT ?')
    .pluck()
    .get(v.name, v.id ?? null) as number | undefined;
  if (clash !== undefined) throw new AppError('VALIDATION', `A view named "${v.name}" already exists.`);
  let id = v.id;
  if (id !== undefined) {
    const n = db
      .prepare('UPDATE saved_views SET name = ?, query = ?, columns = ?, updated_at = ? WHERE id = ?')
      .run(v.name, JSON.stringify(v.query), JSON.stringify(v.columns), now, id).changes;
    if (n === 0) throw new AppError('NOT_FOUND', `Saved view ${id} does not exist.`);
  } else {
    id = Number(
      db
        .prepare('INSERT INTO saved_views (name, query, columns, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(v.name, JSON.stringify(v.query), JSON.stringify(v.columns), now, now).lastInsertRowid,
    );
  }
  return toView(db.prepare('SELECT id, name, query, columns, updated_at FROM saved_views WHERE id = ?').get(id) as Row);
}

export function deleteView(db: Database.Database, id: number): boolean {
  return db.prepare('DELETE FROM saved_views WHERE id = ?').run(id).changes > 0;
}

const GRID_LAYOUT_KEY = 'leads.grid_layout';

/** The last saved grid layout; null when none was saved or it no longer validates (an older version's). */
export function getGridLayout(db: Database.Database): GridLayout | null {
  const raw = db.prepare('SELECT value FROM workspace_meta WHERE key = ?').pluck().get(GRID_LAYOUT_KEY) as
    string | undefined;
  if (raw === undefined) return null;
  try {
    const parsed = gridLayoutSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveGridLayout(db: Database.Database, layout: GridLayout): GridLayout {
  db.prepare(
    'INSERT INTO workspace_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(GRID_LAYOUT_KEY, JSON.stringify(layout));
  return layout;
}
