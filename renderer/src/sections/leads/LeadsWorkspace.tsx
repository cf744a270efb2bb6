/**
 * The Leads section: chips and grade grid, search, saved views, column chooser, the grid,
 * the bulk bar with undo, and the lead drawer. The view (filters + search + sort +
 * columns) lives here and is what saved views store.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent } from 'react';
import type { BulkResult, LeadFilter, LeadQuery, LeadRow, LeadSort, SavedView } from '../../../../shared/contract';
import { ApiFailure, call, useApi, errorMessage } from '../../api';
import { EmptyState, ErrorState } from '../../components/EmptyState';
import { formatCount, plural } from '../../format';
import { useExchange } from '../../exchange/exchange-context';
import { BulkBar } from './BulkBar';
import { describeFilter } from './ColumnFilter';
import { LeadDrawer } from './LeadDrawer';
import { LeadGrid } from './LeadGrid';
import { SegmentBar } from './SegmentBar';
import {
  EMPTY_SELECTION,
  isSelected,
  selectIds,
  selectedCount,
  toggle,
  toLeadSelection,
  type Selection,
} from './selection';
import { ColumnChooser, SavedViews, SearchBox } from './Toolbar';
import { useLeadPages } from './use-lead-pages';
import './leads.css';

const DEFAULT_SORT: LeadSort = { column: 'score_total', dir: 'desc' };

type Toast = Readonly<{ result: BulkResult; undone?: string; error?: string }>;

/**
 * The grid's columns, widths and sort as the user last left them, kept in the workspace
 * (grid-layout-get/save): applied once on opening the section, saved shortly after each
 * change, so they survive leaving Leads and reopening the workspace. True once loaded.
 */
function useGridLayout(state: {
  /** The columns on screen now (the defaults while `visible` is null). */
  shownKeys: readonly string[];
  visible: string[] | null;
  widths: Record<string, number>;
  sort: LeadSort | null;
  setVisible: (v: string[] | null) => void;
  setWidths: (w: Record<string, number>) => void;
  setSort: (s: LeadSort | null) => void;
}): boolean {
  const [loaded, setLoaded] = useState(false);
  const { setVisible, setWidths, setSort } = state;
  useEffect(() => {
    let live = true;
    call('grid-layout-get', {})
      .then((layout) => {
        if (!live || !layout) return;
        if (layout.columns.length) setVisible(layout.columns.map((c) => c.key));
        setWidths(Object.fromEntries(layout.columns.filter((c) => c.width).map((c) => [c.key, c.width!])));
        setSort(layout.sort);
      })
      .catch(() => undefined)
      .finally(() => live && setLoaded(true));
    return () => {
      live = false;
    };
  }, [setVisible, setWidths, setSort]);
  const signature = JSON.stringify([state.visible, state.widths, state.sort]);
  const saved = useRef<string | null>(null);
  const shownRef = useRef(state.shownKeys);
  useEffect(() => {
    shownRef.current = state.shownKeys;
  });
  useEffect(() => {
    if (!loaded) return;
    if (saved.current === null) {
      saved.current = signature; // what was just loaded needs no saving
      return;
    }
    if (saved.current === signature) return;
    const timer = setTimeout(() => {
      saved.current = signature;
      const [visible, widths, sort] = JSON.parse(signature) as [
        string[] | null,
        Record<string, number>,
        LeadSort | null,
      ];
      // Default columns with no widths stay "defaults" (new default columns then show up too).
      const keys = visible === null && Object.keys(widths).length === 0 ? [] : (visible ?? shownRef.current);
      void call('grid-layout-save', {
        columns: keys.map((key) => ({ key, ...(widths[key] ? { width: Math.max(30, Math.round(widths[key])) } : {}) })),
        sort,
      }).catch(() => undefined);
    }, 300);
    return () => clearTimeout(timer);
  }, [loaded, signature]);
  return loaded;
}

export function LeadsWorkspace() {
  const meta = useApi('leads-columns', {}, { refreshOn: ['leads', 'imports', 'followup'] });
  const counts = useApi('leads-counts', {}, { refreshOn: ['leads', 'scores', 'imports', 'activities'] });
  const views = useApi('views-list', {});
  const [filters, setFilters] = useState<LeadFilter[]>([]);
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<LeadSort | null>(DEFAULT_SORT);
  const [visible, setVisible] = useState<string[] | null>(null);
  const [widths, setWidths] = useState<Record<string, number>>({});
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const exchange = useExchange();
  const [anchor, setAnchor] = useState<number | null>(null);
  const [focused, setFocused] = useState(0);
  const [openId, setOpenId] = useState<number | null>(null);
  const [viewId, setViewId] = useState<number | null>(null);
  const [toast, setToast] = useState<Toast | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const allColumns = useMemo(() => meta.data?.columns ?? [], [meta.data]);
  const stageLabels = useMemo(() => new Map((meta.data?.stages ?? []).map((s) => [s.key, s.label])), [meta.data]);
  const defaultVisible = useMemo(() => meta.data?.defaultColumns ?? [], [meta.data]);
  const shownKeys = (visible ?? defaultVisible).filter((k) => allColumns.some((c) => c.key === k));
  const shownSignature = shownKeys.join('\n');
  const shown = useMemo(
    () =>
      shownSignature
        .split('\n')
        .map((k) => allColumns.find((c) => c.key === k))
        .filter((c): c is NonNullable<typeof c> => c !== undefined),
    [allColumns, shownSignature],
  );
  const layoutLoaded = useGridLayout({ shownKeys, visible, widths, sort, setVisible, setWidths, setSort });
  const query: LeadQuery = useMemo(() => ({ filters, search, sort }), [filters, search, sort]);
  const pages = useLeadPages(query);
  const total = pages.total ?? 0;

  const resetSelection = useCallback(() => {
    setSelection(EMPTY_SELECTION);
    setAnchor(null);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      const typing = t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable;
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  function changeQuery(next: Partial<LeadQuery>) {
    if (next.filters) setFilters([...next.filters]);
    if (next.search !== undefined) setSearch(next.search);
    if (next.sort !== undefined) setSort(next.sort);
    resetSelection();
    setFocused(0);
  }

  function setColumnFilter(column: string, f: LeadFilter | null) {
    const rest = filters.filter((x) => x.column !== column);
    changeQuery({ filters: f ? [...rest, f] : rest });
  }

  function onRowClick(index: number, row: LeadRow, e: ReactMouseEvent) {
    setFocused(index);
    if (e.shiftKey && anchor !== null) {
      const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
      const ids: number[] = [];
      for (let i = a; i <= b; i++) {
        const r = pages.row(i);
        if (r) ids.push(r.id);
      }
      setSelection((s) => selectIds(s, ids, true));
      e.preventDefault();
    } else if (e.ctrlKey || e.metaKey) {
      setSelection((s) => toggle(s, row.id));
      setAnchor(index);
    } else {
      setAnchor(index);
    }
  }

  function onToggleRow(index: number, row: LeadRow, shift: boolean) {
    if (shift && anchor !== null) {
      const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
      const ids: number[] = [];
      for (let i = a; i <= b; i++) {
        const r = pages.row(i);
        if (r) ids.push(r.id);
      }
      setSelection((s) => selectIds(s, ids, !isSelected(s, row.id)));
    } else {
      setSelection((s) => toggle(s, row.id));
    }
    setAnchor(index);
    setFocused(index);
  }

  async function undo(t: Toast) {
    if (!t.result.batchId) return;
    try {
      const r = await call('leads-bulk-undo', { batchId: t.result.batchId });
      setToast({ ...t, undone: r.label });
    } catch (err) {
      setToast({ ...t, error: err instanceof ApiFailure ? err.message : String(err) });
    }
  }

  async function saveView(name: string, id?: number): Promise<string | null> {
    try {
      const v = await call('view-save', {
        ...(id ? { id } : {}),
        name,
        query: { filters, search, sort },
        columns: shown.map((c) => ({ key: c.key, ...(widths[c.key] ? { width: Math.round(widths[c.key]!) } : {}) })),
      });
      setViewId(v.id);
      views.reload();
      return null;
    } catch (err) {
      return errorMessage(err);
    }
  }

  function applyView(v: SavedView | null) {
    setViewId(v?.id ?? null);
    if (!v) {
      changeQuery({ filters: [], search: '', sort: DEFAULT_SORT });
      setVisible(null);
      setWidths({});
      return;
    }
    changeQuery({ filters: [...v.query.filters], search: v.query.search, sort: v.query.sort });
    if (v.columns.length) {
      setVisible(v.columns.map((c) => c.key));
      setWidths(Object.fromEntries(v.columns.filter((c) => c.width).map((c) => [c.key, c.width!])));
    }
  }

  const labelOf = (key: string) => allColumns.find((c) => c.key === key)?.label ?? key;
  const count = selectedCount(selection, total);
  const emptyWorkspace = counts.data?.total === 0;

  return (
    <div className="lg-workspace">
      <SegmentBar counts={counts.data} filters={filters} onPick={(f) => changeQuery({ filters: f })} />
      <div className="lg-toolbar">
        <SearchBox
          ref={searchRef}
          value={search}
          keyLabel={meta.data?.keyName ?? undefined}
          onChange={(s) => changeQuery({ search: s })}
        />
        <SavedViews
          views={views.data ?? []}
          activeId={viewId}
          onApply={applyView}
          onSave={saveView}
          onDelete={(id) =>
            void call('view-delete', { id }).then(() => {
              setViewId(null);
              views.reload();
            })
          }
        />
        <ColumnChooser
          all={allColumns}
          visible={shown.map((c) => c.key)}
          onChange={setVisible}
          onReset={() => {
            setVisible(null);
            setWidths({});
          }}
        />
        <button
          type="button"
          className="btn btn--small"
          onClick={() =>
            exchange.openExport(
              count > 0
                ? {
                    source: { kind: 'selection', selection: toLeadSelection(selection, query) },
                    sourceLabel: `Selected leads (${plural(count, 'lead')})`,
                  }
                : { source: { kind: 'query', query }, sourceLabel: `Current view (${plural(total, 'lead')})` },
            )
          }
        >
          Export…
        </button>
        <span className="lg-toolbar__spacer" />
        <span className="muted lg-toolbar__count" data-testid="grid-count" aria-live="polite">
          {pages.total === null ? 'Loading…' : `${plural(total, 'lead')}${filters.length || search ? ' match' : ''}`}
        </span>
      </div>
      {filters.length || search ? (
        <div className="lg-active-filters" aria-label="Active filters">
          {search ? (
            <button
              type="button"
              className="lg-filter-chip"
              onClick={() => changeQuery({ search: '' })}
              aria-label={`Remove search ${search}`}
            >
              Search “{search}” ✕
            </button>
          ) : null}
          {filters.map((f) => (
            <button
              key={f.column}
              type="button"
              className="lg-filter-chip"
              onClick={() => setColumnFilter(f.column, null)}
              aria-label={`Remove filter ${describeFilter(f, labelOf(f.column))}`}
            >
              {describeFilter(f, labelOf(f.column))} ✕
            </button>
          ))}
          <button
            type="button"
            className="btn btn--small btn--ghost"
            onClick={() => changeQuery({ filters: [], search: '' })}
          >
            Clear all
          </button>
        </div>
      ) : null}
      {count > 0 ? (
        <BulkBar
          count={count}
          total={total}
          allMatching={selection.mode === 'all'}
          meta={meta.data}
          selection={() => toLeadSelection(selection, query)}
          onSelectAll={() => setSelection({ mode: 'all', except: new Set() })}
          onClear={resetSelection}
          onDone={(result) => {
            setToast({ result });
            resetSelection();
          }}
        />
      ) : null}
      <div className="lg-body">
        {meta.error || pages.error ? (
          <ErrorState
            message={(meta.error?.message ?? pages.error)!}
            onRetry={() => {
              meta.reload();
              pages.reload();
            }}
          />
        ) : emptyWorkspace ? (
          <EmptyState icon="leads" title="No leads yet">
            <p>Import a spreadsheet of leads (Import section) or load a sample to fill the grid.</p>
          </EmptyState>
        ) : pages.total === 0 && !pages.loading ? (
          <EmptyState
            icon="leads"
            title="No lead matches this view"
            actions={
              <button type="button" className="btn" onClick={() => changeQuery({ filters: [], search: '' })}>
                Clear filters and search
              </button>
            }
          >
            <p>Loosen a filter, or clear them to see all {counts.data ? formatCount(counts.data.total) : ''} leads.</p>
          </EmptyState>
        ) : shown.length === 0 || !layoutLoaded ? (
          <div className="lg-loading" role="status">
            Loading the grid…
          </div>
        ) : (
          <LeadGrid
            columns={shown}
            stageLabels={stageLabels}
            widths={widths}
            pages={pages}
            sort={sort}
            filters={filters}
            selection={selection}
            focused={focused}
            onFocus={setFocused}
            onSort={(s) => changeQuery({ sort: s })}
            onFilter={setColumnFilter}
            onResize={setWidths}
            onReorder={(from, to) => {
              const keys = shown.map((c) => c.key);
              const next = keys.filter((k) => k !== from);
              next.splice(next.indexOf(to) + (keys.indexOf(from) < keys.indexOf(to) ? 1 : 0), 0, from);
              setVisible(next);
            }}
            onRowClick={onRowClick}
            onToggleRow={onToggleRow}
            onToggleAllLoaded={() =>
              setSelection((s) => (s.mode === 'all' ? EMPTY_SELECTION : { mode: 'all', except: new Set() }))
            }
            onOpen={(row) => setOpenId(row.id)}
          />
        )}
        {openId !== null ? <LeadDrawer leadId={openId} meta={meta.data} onClose={() => setOpenId(null)} /> : null}
      </div>
      {toast ? (
        <div className="lg-toast" role="status" data-testid="bulk-toast">
          <span>{toast.error ?? toast.undone ?? toast.result.label}</span>
          {toast.result.undoable && !toast.undone && !toast.error ? (
            <button type="button" className="btn btn--small" onClick={() => void undo(toast)}>
              Undo
            </button>
          ) : null}
          <button
            type="button"
            className="btn btn--small btn--ghost"
            aria-label="Dismiss"
            onClick={() => setToast(null)}
          >
            ✕
          </button>
        </div>
      ) : null}
    </div>
  );
}
