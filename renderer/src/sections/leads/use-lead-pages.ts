/**
 * The grid's rows, fetched from the backend one page (100 rows) at a time as the user
 * scrolls: only pages near the viewport are kept in the renderer. A new query or a
 * 'data-changed' event drops them; the first page brings the total (the scrollbar's
 * size).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LeadQuery, LeadRow } from '../../../../shared/contract';
import { ApiFailure, call, useApiEvent } from '../../api';

export const PAGE_SIZE = 100;
/** Pages kept in memory (the rest are fetched again when scrolled back to). */
const KEEP_PAGES = 60;

export type LeadPages = Readonly<{
  total: number | null;
  /** The row at an index, undefined while its page is loading. */
  row: (index: number) => LeadRow | undefined;
  /** Asks for the pages covering [start, end]. */
  ensure: (start: number, end: number) => void;
  loading: boolean;
  error: string | null;
  /** Milliseconds the backend took for the last page. */
  tookMs: number | null;
  reload: () => void;
}>;

type State = Readonly<{
  stamp: string;
  total: number | null;
  pages: ReadonlyMap<number, readonly LeadRow[]>;
  error: string | null;
  tookMs: number | null;
}>;

export function useLeadPages(query: LeadQuery): LeadPages {
  const key = JSON.stringify(query);
  const [generation, setGeneration] = useState(0);
  const stamp = `${generation}:${key}`;
  const [state, setState] = useState<State>({ stamp: '', total: null, pages: new Map(), error: null, tookMs: null });
  const inflight = useRef(new Set<string>());
  const live = useRef(stamp);

  const fetchPage = useCallback(
    (page: number) => {
      const id = `${stamp}#${page}`;
      if (inflight.current.has(id)) return;
      inflight.current.add(id);
      const q = JSON.parse(key) as LeadQuery;
      // Every page asks for the total: the backend caches the count until data changes, and
      // whichever page of a fresh query lands first then sizes the scrollbar.
      call('leads-query', { ...q, offset: page * PAGE_SIZE, limit: PAGE_SIZE, withTotal: true }).then(
        (res) => {
          inflight.current.delete(id);
          if (live.current !== stamp) return;
          setState((s) => {
            const pages = new Map(s.stamp === stamp ? s.pages : []);
            pages.set(page, res.rows);
            if (pages.size > KEEP_PAGES) {
              const far = [...pages.keys()].sort((a, b) => Math.abs(b - page) - Math.abs(a - page));
              for (const p of far.slice(0, pages.size - KEEP_PAGES)) pages.delete(p);
            }
            return {
              stamp,
              total: res.total ?? (s.stamp === stamp ? s.total : null),
              pages,
              error: null,
              tookMs: res.tookMs,
            };
          });
        },
        (err: unknown) => {
          inflight.current.delete(id);
          if (live.current !== stamp) return;
          const message = err instanceof ApiFailure ? err.message : String(err);
          setState((s) => ({ ...s, stamp, error: message }));
        },
      );
    },
    [stamp, key],
  );

  useEffect(() => {
    live.current = stamp;
    fetchPage(0);
  }, [stamp, fetchPage]);

  useApiEvent('data-changed', (p) => {
    if (p.tables.some((t) => t === 'leads' || t === 'scores' || t === 'followup')) setGeneration((g) => g + 1);
  });
  useApiEvent('workspace-changed', () => setGeneration((g) => g + 1));

  const fresh = state.stamp === stamp;
  const pages = fresh ? state.pages : null;
  const ensure = useCallback(
    (start: number, end: number) => {
      const first = Math.max(0, Math.floor(start / PAGE_SIZE));
      const last = Math.max(first, Math.floor(end / PAGE_SIZE));
      for (let p = first; p <= last; p++) {
        if (!pages?.has(p)) fetchPage(p);
      }
    },
    [fetchPage, pages],
  );
  const row = useCallback((index: number) => pages?.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], [pages]);
  // While a refetch after a data change runs, the previous rows stay on screen (no flicker).
  const shown = fresh ? state : state.stamp.endsWith(`:${key}`) ? state : null;
  return {
    total: shown ? shown.total : null,
    row: fresh ? row : (i: number) => shown?.pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE],
    ensure,
    loading: !fresh,
    error: fresh ? state.error : null,
    tookMs: state.tookMs,
    reload: () => setGeneration((g) => g + 1),
  };
}
