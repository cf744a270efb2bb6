/** The activity queue of an activity-log import: drained in stable lead order, in slices. */
import { describe, expect, it } from 'vitest';
import { createActivityQueue } from '../../../electron/backend/services/import/activity-queue';
import type { ActivityDraft } from '../../../shared/mapping';

const draft = (type: string, at: number, extra: Partial<ActivityDraft> = {}): ActivityDraft => ({
  type: type as ActivityDraft['type'],
  asset: `asset-${at}`,
  occurredAt: at,
  durationSec: null,
  detail: null,
  ...extra,
});

type Row = [number, string, string, number, number | null, string | null];

function drainAll(q: ReturnType<typeof createActivityQueue>, slice: number): Row[] {
  const rows: Row[] = [];
  while (q.pending() > 0) q.drain(slice, (...r) => rows.push(r));
  return rows;
}

describe('activity queue', () => {
  it('hands out activities by lead, each lead in file order, across slices and growth', () => {
    const q = createActivityQueue(2);
    const file: [number, ActivityDraft][] = [
      [7, draft('page_visit', 3)],
      [2, draft('email_open', 1, { durationSec: 40 })],
      [7, draft('page_visit', 1, { detail: 'second row of lead 7' })],
      [2, draft('email_open', 9)],
      [5, draft('download', 4)],
    ];
    for (const [lead, a] of file) q.add(lead, a);
    expect(q.pending()).toBe(5);
    expect(drainAll(q, 2)).toEqual([
      [2, 'email_open', 'asset-1', 1, 40, null],
      [2, 'email_open', 'asset-9', 9, null, null],
      [5, 'download', 'asset-4', 4, null, null],
      [7, 'page_visit', 'asset-3', 3, null, null],
      [7, 'page_visit', 'asset-1', 1, null, 'second row of lead 7'],
    ]);
    expect(q.pending()).toBe(0);
    // Emptied, it takes rows again.
    q.add(1, draft('form_fill', 5));
    expect(drainAll(q, 10)).toEqual([[1, 'form_fill', 'asset-5', 5, null, null]]);
  });

  it('refuses new rows while a drain is under way', () => {
    const q = createActivityQueue();
    q.add(1, draft('page_visit', 1));
    q.add(2, draft('page_visit', 2));
    expect(q.drain(1, () => undefined)).toBe(1);
    expect(() => q.add(3, draft('page_visit', 3))).toThrow(/Flush the queued activities/);
  });
});
