/**
 * Activities of an activity log waiting for a sorted insert (see writer.ts for why sorted):
 * kept as columns, numbers in typed arrays, type and asset as indexes into a table of
 * distinct strings (copied, see `detached`). The queue thus holds no object per row and no
 * slice of the parsed text, so 100,000 queued rows are a few MB that the garbage collector
 * never has to promote and trace.
 */
import type { ActivityDraft } from '../../../../shared/mapping';

/**
 * A copy of a string that shares no memory with it. Parsed cells are slices of the chunk of
 * text they were parsed from, so a cell kept for the whole import (an identity cache key)
 * would keep its whole 64 KB chunk alive: 100,000 people in a 100 MB log pinned most of it.
 * The concatenation is a new string holding the cell (V8: a cons string, or a flat copy when
 * short); slicing it flattens it into a copy first, and the result refers to that copy only.
 * Measured (node 20): 200 cells cut from 1 MB chunks kept 3.5 MB of heap this way, as with a
 * round trip through a Buffer (which cost about twice the time: 100,000 bench emails, ~45 ms
 * more in a bulk load, which keeps every new lead's email), and 203 MB kept as slices.
 */
export const detached = (s: string): string => (' ' + s).slice(1);

/** One activity as it is inserted: lead, type, asset, time, duration, detail (no object per row). */
export type ActivityFields = [
  leadId: number,
  type: string,
  asset: string,
  at: number,
  duration: number | null,
  detail: string | null,
];

/** Receives one queued activity. */
export type QueuedActivityVisitor = (...activity: ActivityFields) => void;

export type ActivityQueue = Readonly<{
  add: (leadId: number, a: ActivityDraft) => void;
  /** Queued and not yet taken. */
  pending: () => number;
  /**
   * Hands up to `max` queued activities to `visit` in lead order (stable: one lead's
   * activities keep their file order); returns how many. The order is fixed on the first call
   * after rows were added, and no rows may be added until all are drained; then the queue is
   * empty again and keeps its capacity.
   */
  drain: (max: number, visit: QueuedActivityVisitor) => number;
}>;

type Columns = {
  size: number;
  lead: Float64Array;
  at: Float64Array;
  /** NaN: no duration. */
  duration: Float64Array;
  type: Uint32Array;
  asset: Uint32Array;
  /** Row -> detail, for the few rows that carry one. */
  detail: Map<number, string>;
  strings: string[];
  stringIds: Map<string, number>;
};

function grown<T extends Float64Array | Uint32Array>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}

export function createActivityQueue(capacity = 4096): ActivityQueue {
  const q: Columns = {
    size: 0,
    lead: new Float64Array(capacity),
    at: new Float64Array(capacity),
    duration: new Float64Array(capacity),
    type: new Uint32Array(capacity),
    asset: new Uint32Array(capacity),
    detail: new Map(),
    strings: [],
    stringIds: new Map(),
  };
  // The lead-ordered permutation being taken, and how far it got.
  let order: Uint32Array | null = null;
  let next = 0;

  function stringId(v: string): number {
    let id = q.stringIds.get(v);
    if (id === undefined) {
      id = q.strings.length;
      const copy = detached(v);
      q.strings.push(copy);
      q.stringIds.set(copy, id);
    }
    return id;
  }

  function ensureCapacity(): void {
    if (q.size < q.lead.length) return;
    const capacity = q.size * 2;
    q.lead = grown(q.lead, capacity);
    q.at = grown(q.at, capacity);
    q.duration = grown(q.duration, capacity);
    q.type = grown(q.type, capacity);
    q.asset = grown(q.asset, capacity);
  }

  function sortedOrder(): Uint32Array {
    const o = new Uint32Array(q.size);
    for (let i = 0; i < o.length; i++) o[i] = i;
    const leads = q.lead;
    return o.sort((a, b) => (leads[a] as number) - (leads[b] as number) || a - b);
  }

  function clear(): void {
    // The arrays keep their capacity for the next round; the strings go.
    q.size = 0;
    q.detail = new Map();
    q.strings = [];
    q.stringIds = new Map();
    order = null;
    next = 0;
  }

  return {
    add(leadId, a) {
      if (order !== null) throw new Error('Flush the queued activities before writing more rows.');
      ensureCapacity();
      const i = q.size;
      q.lead[i] = leadId;
      q.at[i] = a.occurredAt;
      q.duration[i] = a.durationSec ?? NaN;
      q.type[i] = stringId(a.type);
      q.asset[i] = stringId(a.asset);
      if (a.detail !== null) q.detail.set(i, a.detail);
      q.size = i + 1;
    },
    pending: () => q.size - next,
    drain(max, visit) {
      order ??= sortedOrder();
      const start = next;
      const end = Math.min(order.length, next + max);
      for (let i = start; i < end; i++) {
        const k = order[i] as number;
        const duration = q.duration[k] as number;
        visit(
          q.lead[k] as number,
          q.strings[q.type[k] as number] as string,
          q.strings[q.asset[k] as number] as string,
          q.at[k] as number,
          Number.isNaN(duration) ? null : duration,
          q.detail.get(k) ?? null,
        );
      }
      next = end;
      if (next >= order.length) clear();
      return end - start;
    },
  };
}
