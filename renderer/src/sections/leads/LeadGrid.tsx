/**
 * The leads grid. @tanstack/react-table owns the column model (order, sizes, resizing,
 * pinning, sort state); @tanstack/react-virtual renders only the visible rows of a result
 * that may hold a million leads; rows come from the backend page by page (useLeadPages).
 * Keyboard: arrows move, Enter opens the lead, Space selects, Home/End jump.
 */
import { useEffect, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent } from 'react';
import {
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type ColumnSizingState,
  type Header,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { LeadColumnInfo, LeadFilter, LeadRow, LeadSort } from '../../../../shared/contract';
import { formatCount } from '../../format';
import { renderCell } from './cells';
import { ColumnFilter } from './ColumnFilter';
import type { LeadPages } from './use-lead-pages';
import type { Selection } from './selection';
import { isSelected } from './selection';
import { nextSortDir } from './sort-cycle';

const ROW_H = 34;
const SELECT_W = 40;

export type GridProps = Readonly<{
  columns: readonly LeadColumnInfo[];
  /** Stage key -> the label the workspace gives it ("mql" -> "MQL"). */
  stageLabels: ReadonlyMap<string, string>;
  widths: Readonly<Record<string, number>>;
  pages: LeadPages;
  sort: LeadSort | null;
  filters: readonly LeadFilter[];
  selection: Selection;
  focused: number;
  onFocus: (index: number) => void;
  onSort: (sort: LeadSort | null) => void;
  onFilter: (column: string, filter: LeadFilter | null) => void;
  onResize: (widths: Record<string, number>) => void;
  onReorder: (from: string, to: string) => void;
  onRowClick: (index: number, row: LeadRow, e: ReactMouseEvent) => void;
  onToggleRow: (index: number, row: LeadRow, shift: boolean) => void;
  onToggleAllLoaded: () => void;
  onOpen: (row: LeadRow) => void;
}>;

/**
 * The narrowest a column may get. Numbers, dates and short lists (Segment, Grade) keep their
 * whole header ("Score", not "S…") beside the sort arrow and filter button, sorted or not;
 * text columns may shrink further, their header cut with an ellipsis and shown whole on hover.
 */
function minColumnWidth(kind: string, label: string): number {
  if (kind === 'text') return 50;
  return Math.min(160, Math.round(label.length * 7.5) + 66);
}

export function LeadGrid(p: GridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [filterFor, setFilterFor] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const total = p.pages.total ?? 0;
  const now = useMemo(() => Date.now(), []);

  const defs = useMemo<ColumnDef<LeadRow>[]>(
    () => [
      { id: 'select', size: SELECT_W, enableResizing: false, enableSorting: false, header: '' },
      ...p.columns.map<ColumnDef<LeadRow>>((c) => {
        const min = minColumnWidth(c.kind, c.label);
        return {
          id: c.key,
          header: c.label,
          size: Math.max(min, p.widths[c.key] ?? c.width),
          minSize: min,
          enableSorting: c.sortable,
        };
      }),
    ],
    [p.columns, p.widths],
  );
  const sorting: SortingState = p.sort ? [{ id: p.sort.column, desc: p.sort.dir === 'desc' }] : [];
  const sizing: ColumnSizingState = useMemo(() => ({ ...p.widths }), [p.widths]);
  const first = p.columns[0]?.key;
  // The table instance is rebuilt from props every render (it holds no rows), so the
  // compiler's memoization has nothing to gain here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable<LeadRow>({
    data: [],
    columns: defs,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableColumnResizing: true,
    columnResizeMode: 'onChange',
    state: {
      sorting,
      columnSizing: sizing,
      columnOrder: ['select', ...p.columns.map((c) => c.key)],
      columnPinning: { left: first ? ['select', first] : ['select'] },
    },
    onColumnSizingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sizing) : updater;
      p.onResize(next);
    },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const s = next[0];
      p.onSort(s ? { column: s.id, dir: s.desc ? 'desc' : 'asc' } : null);
    },
  });

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const firstItem = items[0]?.index ?? 0;
  const lastItem = items.at(-1)?.index ?? 0;
  const { ensure } = p.pages;
  useEffect(() => {
    if (total > 0) ensure(firstItem, lastItem);
  }, [firstItem, lastItem, total, ensure]);

  useEffect(() => {
    if (p.focused >= 0 && p.focused < total) virtualizer.scrollToIndex(p.focused, { align: 'auto' });
    // Scroll only when the focused row changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [p.focused]);

  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const leafColumns = table.getVisibleLeafColumns();
  const width = table.getTotalSize();
  const colInfo = new Map(p.columns.map((c) => [c.key, c]));
  const filterByColumn = new Map(p.filters.map((f) => [f.column, f]));

  function pinStyle(id: string, isHeader: boolean): React.CSSProperties {
    const col = table.getColumn(id);
    if (!col) return {};
    const base: React.CSSProperties = { width: col.getSize(), minWidth: col.getSize(), maxWidth: col.getSize() };
    if (col.getIsPinned() === 'left') {
      return { ...base, position: 'sticky', left: col.getStart('left'), zIndex: isHeader ? 4 : 2 };
    }
    return base;
  }

  function onKeyDown(e: React.KeyboardEvent) {
    if ((e.target as HTMLElement) !== scrollRef.current) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_H) - 1);
    let next = p.focused;
    if (e.key === 'ArrowDown') next = Math.min(total - 1, p.focused + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, p.focused - 1);
    else if (e.key === 'PageDown') next = Math.min(total - 1, p.focused + page);
    else if (e.key === 'PageUp') next = Math.max(0, p.focused - page);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = total - 1;
    else if (e.key === 'Enter') {
      const row = p.pages.row(p.focused);
      if (row) p.onOpen(row);
      e.preventDefault();
      return;
    } else if (e.key === ' ') {
      const row = p.pages.row(p.focused);
      if (row) p.onToggleRow(p.focused, row, e.shiftKey);
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    p.onFocus(Math.max(0, next));
  }

  function headerCell(h: Header<LeadRow, unknown>) {
    const id = h.column.id;
    if (id === 'select') {
      return (
        <div key={id} className="lg-th lg-th--select" role="columnheader" style={pinStyle(id, true)}>
          <input
            type="checkbox"
            aria-label="Select loaded rows"
            checked={p.selection.mode === 'all'}
            onChange={p.onToggleAllLoaded}
          />
        </div>
      );
    }
    const info = colInfo.get(id)!;
    const sorted = h.column.getIsSorted();
    const filtered = filterByColumn.has(id);
    return (
      <div
        key={id}
        className={`lg-th${dragging === id ? ' is-dragging' : ''}`}
        role="columnheader"
        aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
        style={pinStyle(id, true)}
        data-column={id}
        onDragOver={(e) => {
          if (dragging && dragging !== id) e.preventDefault();
        }}
        onDrop={(e) => {
          e.preventDefault();
          const from = e.dataTransfer.getData('text/x-lead-column');
          if (from && from !== id) p.onReorder(from, id);
          setDragging(null);
        }}
      >
        <button
          type="button"
          className="lg-th__label"
          // Dragged by its label (not the whole header) so the resize edge stays a plain mouse drag.
          draggable
          onDragStart={(e) => {
            setDragging(id);
            e.dataTransfer.setData('text/x-lead-column', id);
            e.dataTransfer.effectAllowed = 'move';
          }}
          onDragEnd={() => setDragging(null)}
          aria-disabled={!info.sortable}
          aria-label={info.sortable ? `Sort by ${info.label}` : info.label}
          title={info.sortable ? `Sort by ${info.label}` : undefined}
          onClick={() => {
            if (!info.sortable) return;
            const dir = nextSortDir(info.kind, sorted);
            p.onSort(dir ? { column: id, dir } : null);
          }}
        >
          <span className="lg-th__text" title={info.label}>
            {info.label}
          </span>
          {sorted ? <span aria-hidden="true">{sorted === 'asc' ? '▲' : '▼'}</span> : null}
        </button>
        <button
          type="button"
          className={`lg-th__filter${filtered ? ' is-active' : ''}`}
          aria-label={`Filter ${info.label}`}
          onClick={() => setFilterFor(filterFor === id ? null : id)}
        >
          <svg
            width="12"
            height="12"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            strokeWidth="2.2"
            aria-hidden="true"
          >
            <path d="M3 5h18l-7 8v6l-4 2v-8z" />
          </svg>
        </button>
        {h.column.getCanResize() ? (
          <div
            className={`lg-th__resize${h.column.getIsResizing() ? ' is-resizing' : ''}`}
            onMouseDown={h.getResizeHandler()}
            onTouchStart={h.getResizeHandler()}
            onClick={(e) => e.stopPropagation()}
            role="separator"
            aria-label={`Resize ${info.label}`}
          />
        ) : null}
        {filterFor === id ? (
          <ColumnFilter
            column={info}
            current={filterByColumn.get(id)}
            onClose={() => setFilterFor(null)}
            onApply={(f) => {
              p.onFilter(id, f);
              setFilterFor(null);
            }}
          />
        ) : null}
      </div>
    );
  }

  return (
    <div
      className="lg-grid"
      ref={scrollRef}
      role="grid"
      aria-label="Leads"
      aria-rowcount={total + 1}
      aria-colcount={leafColumns.length}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="lead-grid"
    >
      <div className="lg-thead" role="rowgroup" style={{ width }}>
        <div className="lg-tr lg-tr--head" role="row" aria-rowindex={1}>
          {headers.map(headerCell)}
        </div>
      </div>
      <div className="lg-tbody" role="rowgroup" style={{ height: virtualizer.getTotalSize(), width }}>
        {items.map((item) => {
          const row = p.pages.row(item.index);
          const selected = row ? isSelected(p.selection, row.id) : false;
          const focused = item.index === p.focused;
          return (
            <div
              key={item.key}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={selected}
              data-index={item.index}
              data-lead-id={row?.id}
              className={`lg-tr${selected ? ' is-selected' : ''}${focused ? ' is-focused' : ''}${row ? '' : ' is-loading'}`}
              style={{ transform: `translateY(${item.start}px)`, height: ROW_H, width }}
              onClick={(e) => row && p.onRowClick(item.index, row, e)}
              onDoubleClick={() => row && p.onOpen(row)}
            >
              {leafColumns.map((col) => {
                if (col.id === 'select') {
                  return (
                    <div key="select" role="gridcell" className="lg-td lg-td--select" style={pinStyle('select', false)}>
                      {row ? (
                        <input
                          type="checkbox"
                          aria-label={`Select ${row.label}`}
                          checked={selected}
                          onClick={(e) => {
                            e.stopPropagation();
                            p.onToggleRow(item.index, row, e.shiftKey);
                          }}
                          onChange={() => undefined}
                        />
                      ) : null}
                    </div>
                  );
                }
                const info = colInfo.get(col.id)!;
                return (
                  <div
                    key={col.id}
                    role="gridcell"
                    className={`lg-td lg-td--${info.kind}`}
                    style={pinStyle(col.id, false)}
                  >
                    {row ? (
                      col.id === first ? (
                        <button
                          type="button"
                          tabIndex={-1}
                          className="lg-open"
                          onClick={(e) => {
                            if (e.shiftKey || e.ctrlKey || e.metaKey) return;
                            e.stopPropagation();
                            p.onFocus(item.index);
                            p.onOpen(row);
                          }}
                        >
                          {renderCell(row, info, now, p.stageLabels)}
                        </button>
                      ) : (
                        renderCell(row, info, now, p.stageLabels)
                      )
                    ) : (
                      <span className="lg-skeleton" />
                    )}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
      {p.pages.total === 0 ? null : (
        <div className="lg-grid__sr" aria-live="polite">
          {formatCount(total)} rows
        </div>
      )}
    </div>
  );
}
