/**
 * The score store (services/leads/score-store.ts) sorts and filters by the score columns in
 * memory. Every view it serves must be exactly the plain query's: the same ids in the same
 * order and the same total, in both directions and at several offsets, with the blanks,
 * ties, empty strings and fractions SQL orders its own way.
 */
import { describe, expect, it } from 'vitest';
import { leadPageArgsSchema, type LeadFilter } from '../../../shared/contract/leads';
import {
  distinctValues,
  leadCounts,
  leadTableColumns,
  pagePlan,
  prepareView,
} from '../../../electron/backend/services/leads/grid';
import { buildLeadQuerySql } from '../../../electron/backend/services/leads/lead-query-sql';
import { scoreStorePagesWithoutOrder } from '../../../electron/backend/services/leads/score-store';
import { leadsQuery } from '../../../electron/backend/services/leads/grid';
import { openReadConnection } from '../../../electron/backend/db/open';
import { MQL_NOW_SQL, tempBackend } from '../helpers';

const backend = tempBackend();
const db = () => backend.context.db();
const LEADS = 6000;

type View = { filters?: LeadFilter[]; search?: string; sort?: { column: string; dir?: 'asc' | 'desc' } };

/** The plain query's ids and total for a page of the view. */
function plain(args: ReturnType<typeof leadPageArgsSchema.parse>): { ids: number[]; total: number } {
  const s = buildLeadQuerySql(args, { leadColumns: leadTableColumns(db()) });
  return {
    ids: db()
      .prepare(`SELECT leads.id FROM leads WHERE ${s.where} ORDER BY ${s.orderBy} LIMIT ? OFFSET ?`)
      .pluck()
      .all(...s.params, args.limit, args.offset) as number[],
    total: db()
      .prepare(`SELECT count(*) FROM leads WHERE ${s.where}`)
      .pluck()
      .get(...s.params) as number,
  };
}

const strategies = new Set<string>();

/** The handler's pages equal the plain query's: both directions, several offsets. */
async function samePages(view: View): Promise<void> {
  for (const dir of view.sort ? (['asc', 'desc'] as const) : ([undefined] as const)) {
    for (const offset of [0, 37, 1000, 2950, LEADS - 50, LEADS + 10]) {
      const args = leadPageArgsSchema.parse({
        ...view,
        ...(view.sort ? { sort: { column: view.sort.column, dir } } : {}),
        limit: 100,
        offset,
      });
      prepareView(db(), args);
      strategies.add(pagePlan(db(), args).strategy);
      const page = await backend.invoke('leads-query', args);
      const expected = plain(args);
      expect({ view, dir, offset, ids: page.rows.map((r) => r.id) }).toEqual({ view, dir, offset, ids: expected.ids });
      expect(page.total).toBe(expected.total);
    }
  }
}

const SCORE_SORTS = [
  'score_total',
  'score_fit',
  'score_engagement',
  'grade',
  'segment',
  'is_mql',
  'scored_at',
  // Dates and sizes the store holds too (migration 0540).
  'created_at',
  'updated_at',
  'last_activity_at',
  'company_size',
];

describe('the score store serves the same pages as the plain query', () => {
  it('seeds leads with blanks, ties, fractions, empty and mixed-case bands', () => {
    // A linear congruential sequence per lead keeps the values spread and repeatable.
    db().exec(`
      WITH RECURSIVE n(i, r) AS (SELECT 1, 12345 UNION ALL SELECT i + 1, (r * 1103515245 + 12345) % 2147483648 FROM n WHERE i < ${LEADS})
      INSERT INTO leads (uid, email, email_norm, first_name, last_name, company, title, stage, tags,
                         score_total, score_fit, score_engagement, grade, segment, is_mql, scored_at, created_at, updated_at,
                         last_activity_at, company_size)
      SELECT 's' || i, 's' || i || '@x' || (r % 53) || '.com', 's' || i || '@x' || (r % 53) || '.com',
             'F' || (r % 41), 'L' || (r % 300), 'Company ' || (r % 700),
             CASE WHEN r % 9 = 0 THEN NULL WHEN r % 11 = 0 THEN '' ELSE 'Title ' || (r % 30) END,
             CASE r % 10 WHEN 0 THEN 'mql' WHEN 1 THEN 'sal' ELSE 'new' END,
             CASE WHEN r % 17 = 0 THEN '["vip"]' ELSE '[]' END,
             CASE WHEN i % 13 = 0 THEN NULL ELSE (r / 7) % 120 END,
             CASE WHEN i % 13 = 0 THEN NULL ELSE ((r / 11) % 60) + (CASE WHEN r % 4 = 0 THEN 0.5 ELSE 0 END) END,
             CASE WHEN i % 13 = 0 THEN NULL ELSE (r / 13) % 45 END,
             CASE WHEN i % 13 = 0 THEN NULL WHEN r % 23 = 0 THEN '' WHEN r % 29 = 0 THEN 'a1'
                  ELSE substr('ABCD', 1 + (r / 3) % 4, 1) || (1 + (r / 5) % 4) END,
             CASE WHEN i % 13 = 0 THEN NULL WHEN r % 31 = 0 THEN '' WHEN (r / 7) % 120 >= 70 THEN 'Hot'
                  WHEN (r / 7) % 120 >= 40 THEN 'Warm' ELSE 'Cold' END,
             CASE WHEN i % 13 <> 0 AND (r / 7) % 120 >= 70 THEN 1 ELSE 0 END,
             CASE WHEN i % 13 = 0 THEN NULL ELSE 1000 + (r / 17) % 50 END,
             5000 + (r / 19) % 400, 5000 + (r / 19) % 400 + r % 5,
             CASE WHEN r % 6 = 0 THEN NULL ELSE 9000 + (r / 29) % 700 END,
             CASE WHEN r % 8 = 0 THEN NULL ELSE (r / 23) % 90 + (CASE WHEN r % 5 = 0 THEN 0.25 ELSE 0 END) END
      FROM n;
    `);
    expect(db().prepare('SELECT count(*) FROM leads').pluck().get()).toBe(LEADS);
  });

  it.each(SCORE_SORTS)('sort by %s alone', async (column) => {
    await samePages({ sort: { column } });
  });

  const scoreFilters: [string, LeadFilter][] = [
    ['a segment chip', { column: 'segment', op: 'in', values: ['Hot'] }],
    ['two grades, one lower-case', { column: 'grade', op: 'in', values: ['B2', 'a1'] }],
    ['the MQL flag by its label', { column: 'is_mql', op: 'in', values: ['Yes'] }],
    ['a score range', { column: 'score_total', op: 'range', min: 30, max: 45 }],
    ['a fit from a fraction up', { column: 'score_fit', op: 'range', min: 20.5 }],
    ['scores in a list', { column: 'score_engagement', op: 'in', values: [3, 4, 44] }],
    ['a scored-at window', { column: 'scored_at', op: 'date-range', from: 1010, to: 1020 }],
    ['blank grades (NULL and empty)', { column: 'grade', op: 'blank' }],
    ['segments not blank', { column: 'segment', op: 'not-blank' }],
    ['blank totals', { column: 'score_total', op: 'blank' }],
    ['a grade containing "a" (LIKE ignores case)', { column: 'grade', op: 'contains', value: 'a' }],
    ['a last-activity window', { column: 'last_activity_at', op: 'date-range', from: 9100, to: 9300 }],
    ['no activity yet', { column: 'last_activity_at', op: 'blank' }],
    ['created on three days', { column: 'created_at', op: 'in', values: [5001, 5100, 5399] }],
    ['updated from a time on', { column: 'updated_at', op: 'date-range', from: 5200 }],
    ['a company size range with fractions', { column: 'company_size', op: 'range', min: 10.25, max: 40 }],
    ['company size known', { column: 'company_size', op: 'not-blank' }],
  ];

  it.each(scoreFilters)('%s, newest first and sorted by each score column', async (_name, filter) => {
    await samePages({ filters: [filter] });
    for (const column of SCORE_SORTS) await samePages({ filters: [filter], sort: { column } });
  });

  it('a score filter sorted by another column, alone and with other filters', async () => {
    const hot: LeadFilter = { column: 'segment', op: 'in', values: ['Hot'] };
    const few: LeadFilter = { column: 'grade', op: 'in', values: ['a1'] };
    await samePages({ filters: [hot], sort: { column: 'company' } });
    await samePages({ filters: [few], sort: { column: 'email' } });
    await samePages({
      filters: [{ column: 'score_total', op: 'range', min: 0, max: 90 }],
      sort: { column: 'created_at' },
    });
    await samePages({ filters: [hot, { column: 'stage', op: 'in', values: ['mql'] }], sort: { column: 'email' } });
    await samePages({ filters: [few, { column: 'title', op: 'blank' }], sort: { column: 'title' } });
    await samePages({ filters: [hot], search: 'company 1', sort: { column: 'last_name' } });
    const recent: LeadFilter = { column: 'last_activity_at', op: 'date-range', from: 9650 };
    await samePages({ filters: [recent], sort: { column: 'company' } });
    await samePages({ filters: [recent, { column: 'stage', op: 'in', values: ['sal'] }], sort: { column: 'email' } });
  });

  it('other filters sorted by a score column: few matches sorted by the store, many walked in its order', async () => {
    await samePages({ filters: [{ column: 'stage', op: 'in', values: ['mql'] }], sort: { column: 'score_total' } });
    await samePages({ filters: [{ column: 'stage', op: 'in', values: ['new'] }], sort: { column: 'score_fit' } });
    await samePages({ filters: [{ column: 'title', op: 'blank' }], sort: { column: 'grade' } });
    await samePages({ filters: [{ column: 'tags', op: 'in', values: ['vip'] }], sort: { column: 'segment' } });
    await samePages({ search: 'company 12', sort: { column: 'score_engagement' } });
    await samePages({ filters: [{ column: 'stage', op: 'in', values: ['new'] }], sort: { column: 'created_at' } });
    await samePages({ filters: [{ column: 'title', op: 'blank' }], sort: { column: 'last_activity_at' } });
    await samePages({ search: 'company 12', sort: { column: 'company_size' } });
    await samePages({
      filters: [
        { column: 'stage', op: 'in', values: ['new', 'sal'] },
        { column: 'segment', op: 'in', values: ['Warm', 'Cold'] },
      ],
      sort: { column: 'score_total' },
    });
    await samePages({
      filters: [
        { column: 'company', op: 'contains', value: 'ny 3' },
        { column: 'score_total', op: 'range', min: 50 },
      ],
      sort: { column: 'is_mql' },
    });
  });

  it('several score filters at once (the MQL chip with a score range), past the masks a store keeps', async () => {
    const mql: LeadFilter = { column: 'is_mql', op: 'in', values: [1] };
    await samePages({ filters: [mql, { column: 'score_total', op: 'range', min: 75 }] });
    await samePages({ filters: [mql, { column: 'score_total', op: 'range', min: 75 }], sort: { column: 'score_fit' } });
    await samePages({
      filters: [
        { column: 'segment', op: 'in', values: ['Hot', 'Warm'] },
        { column: 'grade', op: 'blank' },
        { column: 'score_fit', op: 'not-blank' },
      ],
      sort: { column: 'email' },
    });
    // A new range next to the same chip on each view: more masks than a store keeps (16),
    // each page still exact, under a store sort and under an index walk with the mask test.
    for (let min = 60; min <= 122; min += 3) {
      await samePages({
        filters: [mql, { column: 'score_total', op: 'range', min }],
        sort: { column: min % 2 ? 'score_engagement' : 'title' },
      });
    }
  });

  it('a filter the store cannot answer as SQL would (a number against a band) is left to SQL', async () => {
    const view: View = {
      filters: [{ column: 'segment', op: 'in', values: [1] }],
      sort: { column: 'score_total', dir: 'asc' },
    };
    await samePages(view);
    expect(pagePlan(db(), leadPageArgsSchema.parse(view)).strategy).not.toBe('scores');
  });

  it('every store strategy was taken by the views above', () => {
    expect([...strategies]).toEqual(expect.arrayContaining(['scores', 'score-sort', 'score-walk']));
  });

  it('a change is seen by the next page: the store is read again after a commit', async () => {
    const top = leadPageArgsSchema.parse({ sort: { column: 'score_total', dir: 'desc' }, limit: 5 });
    const before = await backend.invoke('leads-query', top);
    const last = (await backend.invoke('leads-query', { ...top, offset: LEADS - 1 })).rows[0]!.id;
    db().prepare('UPDATE leads SET score_total = 1000, segment = ? WHERE id = ?').run('Hot', last);
    const after = await backend.invoke('leads-query', top);
    expect(after.rows[0]!.id).toBe(last);
    expect(after.rows.slice(1).map((r) => r.id)).toEqual(before.rows.slice(0, 4).map((r) => r.id));
    await samePages({ filters: [{ column: 'segment', op: 'in', values: ['Hot'] }], sort: { column: 'score_total' } });
  });

  it('a number column with more distinct values than the counting sort takes (the radix sort)', async () => {
    // Negative, fractional, zero and negative zero, huge and tiny: every lead its own value but a few ties.
    db().exec(`UPDATE leads SET company_size = CASE
      WHEN id % 97 = 0 THEN 0.0 WHEN id % 89 = 0 THEN -0.0 WHEN id % 83 = 0 THEN 1e15
      ELSE ((id * 7919) % 6007 - 3000) * 0.37 + (id % 3) * 1e-9 END`);
    expect(db().prepare('SELECT count(DISTINCT company_size) FROM leads').pluck().get()).toBeGreaterThan(4096);
    await samePages({ sort: { column: 'company_size' } });
    await samePages({ filters: [{ column: 'score_total', op: 'range', min: 30 }], sort: { column: 'company_size' } });
  });

  it('whole numbers in a short span, negative and negative zero among them (the counting sort by value)', async () => {
    db().exec(`UPDATE leads SET score_engagement = CASE
      WHEN id % 7 = 0 THEN -0.0 WHEN id % 5 = 0 THEN NULL WHEN id % 11 = 0 THEN 0 ELSE (id * 31) % 41 - 20 END`);
    await samePages({ sort: { column: 'score_engagement' } });
    await samePages({
      filters: [{ column: 'segment', op: 'in', values: ['Hot'] }],
      sort: { column: 'score_engagement' },
    });
  });

  it('the first page asked of a sort no view has built: picked from the codes, the same page (NULLs, negatives, masks)', () => {
    const mql: LeadFilter = { column: 'is_mql', op: 'in', values: [1] };
    const views: View[] = [
      ...['score_total', 'score_engagement', 'grade', 'segment', 'is_mql', 'scored_at'].map((column) => ({
        sort: { column },
      })),
      { filters: [mql], sort: { column: 'score_total' } },
      { filters: [{ column: 'grade', op: 'blank' }], sort: { column: 'segment' } },
      { filters: [{ column: 'score_total', op: 'range', min: 30, max: 45 }], sort: { column: 'score_engagement' } },
    ];
    for (const view of views) {
      for (const dir of ['desc', 'asc'] as const) {
        for (const offset of [LEADS - 100, LEADS - 37, 0, 37, 1000, 2950, LEADS + 10]) {
          const args = leadPageArgsSchema.parse({
            ...view,
            sort: { column: view.sort!.column, dir },
            limit: 100,
            offset,
          });
          const expected = plain(args);
          // A connection of its own reads its store whole, with no sort order built.
          const reader = openReadConnection(db().name);
          try {
            const before = scoreStorePagesWithoutOrder();
            const page = leadsQuery(reader, args);
            expect({ view, dir, offset, ids: page.rows.map((r) => r.id) }).toEqual({
              view,
              dir,
              offset,
              ids: expected.ids,
            });
            expect(page.total).toBe(expected.total);
            // Past the last match a filtered view's page is empty without asking the store.
            const asked = offset < expected.total || !view.filters;
            expect(scoreStorePagesWithoutOrder() - before).toBe(asked ? 1 : 0);
            // The next page of that order builds it.
            const next = { ...args, offset: Math.max(0, offset - 100) };
            const nextPage = leadsQuery(reader, next);
            expect(nextPage.rows.map((r) => r.id)).toEqual(plain(next).ids);
            expect(scoreStorePagesWithoutOrder() - before).toBe(asked ? 1 : 0);
          } finally {
            reader.close();
          }
        }
      }
    }
  });

  it('the chips, the grade grid and the value picker count as SQL does', () => {
    const counts = leadCounts(db());
    const segments = db().prepare('SELECT segment, count(*) AS count FROM leads GROUP BY segment').all() as {
      segment: string | null;
      count: number;
    }[];
    expect([...counts.segments].sort((a, b) => String(a.segment).localeCompare(String(b.segment)))).toEqual(
      [...segments].sort((a, b) => String(a.segment).localeCompare(String(b.segment))),
    );
    expect(counts.segments.map((s) => s.count)).toEqual([...counts.segments.map((s) => s.count)].sort((a, b) => b - a));
    expect(counts.mql).toBe(db().prepare(MQL_NOW_SQL).pluck().get());
    expect(counts.grades).toEqual(
      Object.fromEntries(
        (
          db().prepare('SELECT grade, count(*) AS n FROM leads WHERE grade IS NOT NULL GROUP BY grade').all() as {
            grade: string;
            n: number;
          }[]
        ).map((g) => [g.grade, g.n]),
      ),
    );
    for (const column of ['grade', 'segment', 'score_total', 'is_mql', 'company_size', 'last_activity_at']) {
      expect(distinctValues(db(), column, '', 20)).toEqual(
        db()
          .prepare(
            `SELECT leads.${column} AS value, count(*) AS count FROM leads GROUP BY 1 ORDER BY count DESC, 1 LIMIT 20`,
          )
          .all(),
      );
    }
  });
});
