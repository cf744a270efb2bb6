/**
 * The real Olist marketing funnel (../shared/data/real): 8,000 MQLs and 842 closed deals
 * joined on mql_id, imported through the import engine, backfilled into stage history
 * from their date columns, and reported as a funnel whose counts match the files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { REAL_DATA } from '../helpers';
import { followupBackend } from './helpers';

const MQLS = join(REAL_DATA, 'olist_marketing_qualified_leads.csv');
const DEALS = join(REAL_DATA, 'olist_closed_deals_origtimestamps_10cols.csv');

function rows(path: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
}

describe('Olist funnel', () => {
  it('imports 8,000 MQLs and 842 won deals and reports the funnel the files describe', async () => {
    const mqls = rows(MQLS);
    const deals = rows(DEALS);
    const mqlIds = new Set(mqls.map((r) => r.mql_id));
    const wonIds = new Set(deals.map((r) => r.mql_id).filter((id) => mqlIds.has(id)));
    expect(mqls).toHaveLength(8000);
    expect(wonIds.size).toBe(842);

    const { backend } = followupBackend('2026-01-01T00:00:00Z');
    const first = await backend.invoke('import-run', {
      path: MQLS,
      options: { kind: 'leads', mapping: { mql_id: 'key', origin: 'source' } },
    });
    expect(first).toMatchObject({ status: 'done', inserted: 8000, errors: 0 });
    const second = await backend.invoke('import-run', {
      path: DEALS,
      options: { kind: 'leads', mapping: { mql_id: 'key' }, unknownLeads: 'reject' },
    });
    expect(second).toMatchObject({ status: 'done', updated: 842, inserted: 0, errors: 0 });

    const mql = await backend.invoke('stage-from-field', {
      field: 'first_contact_date',
      toStage: 'mql',
      dateOrder: 'dmy',
    });
    expect(mql).toMatchObject({ matched: 8000, changed: 8000, unparsable: 0 });
    const won = await backend.invoke('stage-from-field', { field: 'won_date', toStage: 'won' });
    expect(won).toMatchObject({ matched: 842, changed: 842, unparsable: 0 });

    const { data } = await backend.invoke('report-funnel', {});
    const counts = Object.fromEntries(data.steps.map((s) => [s.key, s.count]));
    expect(counts).toEqual({ names: 8000, mql: 8000, sal: 842, sql: 842, opportunity: 842, won: 842 });
    expect(data.steps.at(-1)!.ofNamesPct).toBe(10.5);

    // Per origin (source), the won counts match the join of the two files.
    const origin = new Map(mqls.map((r) => [r.mql_id, r.origin]));
    const expected = new Map<string, { names: number; won: number }>();
    for (const r of mqls) {
      const e = expected.get(r.origin!) ?? { names: 0, won: 0 };
      e.names++;
      expected.set(r.origin!, e);
    }
    for (const id of wonIds) expected.get(origin.get(id)!)!.won++;
    for (const src of ['organic_search', 'paid_search', 'social']) {
      const f = await backend.invoke('report-funnel', { filter: { source: src } });
      expect([f.data.steps[0]!.count, f.data.steps.at(-1)!.count]).toEqual([
        expected.get(src)!.names,
        expected.get(src)!.won,
      ]);
    }

    // Stage history carries the files' own dates: the first MQL and the last won deal.
    const db = backend.context.db();
    const span = db
      .prepare(
        'SELECT to_stage, min(changed_at) AS first, max(changed_at) AS last FROM stage_changes GROUP BY to_stage ORDER BY to_stage',
      )
      .all() as { to_stage: string; first: number; last: number }[];
    expect(
      span.map((s) => [
        s.to_stage,
        new Date(s.first).toISOString().slice(0, 10),
        new Date(s.last).toISOString().slice(0, 10),
      ]),
    ).toEqual([
      ['mql', '2017-06-14', '2018-05-31'],
      ['won', '2017-12-05', '2018-11-14'],
    ]);
    // A backfill opens no follow-up: the queue is not flooded with 2018 leads.
    expect((await backend.invoke('followup-queue', { scope: 'all' })).total).toBe(0);
    // Running it again changes nothing.
    expect((await backend.invoke('stage-from-field', { field: 'won_date', toStage: 'won' })).changed).toBe(0);
  });
});
