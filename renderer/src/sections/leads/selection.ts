/**
 * Grid selection: explicit ids, or "all matching the current view" minus the rows the user
 * unticked. Either way it becomes a LeadSelection the backend resolves in SQL, so rows that
 * were never loaded are included.
 */
import type { LeadQuery, LeadSelectionInput } from '../../../../shared/contract';

export type Selection =
  Readonly<{ mode: 'ids'; ids: ReadonlySet<number> }> | Readonly<{ mode: 'all'; except: ReadonlySet<number> }>;

export const EMPTY_SELECTION: Selection = { mode: 'ids', ids: new Set() };

export function isSelected(s: Selection, id: number): boolean {
  return s.mode === 'ids' ? s.ids.has(id) : !s.except.has(id);
}

export function toggle(s: Selection, id: number): Selection {
  if (s.mode === 'ids') {
    const ids = new Set(s.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { mode: 'ids', ids };
  }
  const except = new Set(s.except);
  if (except.has(id)) except.delete(id);
  else except.add(id);
  return { mode: 'all', except };
}

export function selectIds(s: Selection, ids: readonly number[], on: boolean): Selection {
  if (s.mode === 'ids') {
    const next = new Set(s.ids);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    return { mode: 'ids', ids: next };
  }
  const except = new Set(s.except);
  for (const id of ids) {
    if (on) except.delete(id);
    else except.add(id);
  }
  return { mode: 'all', except };
}

/** How many rows are selected, given the current total (for "all matching"). */
export function selectedCount(s: Selection, total: number): number {
  return s.mode === 'ids' ? s.ids.size : Math.max(0, total - s.except.size);
}

export function toLeadSelection(s: Selection, query: LeadQuery): LeadSelectionInput {
  return s.mode === 'ids'
    ? { kind: 'ids', ids: [...s.ids] }
    : {
        kind: 'query',
        query: { filters: [...query.filters], search: query.search, sort: query.sort },
        exceptIds: [...s.except],
      };
}
