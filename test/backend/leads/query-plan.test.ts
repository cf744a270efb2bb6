/**
 * The grid answers a page out of a million leads fast only if SQLite walks an index for the
 * sort and searches one for the filter. These tests read EXPLAIN QUERY PLAN of the exact
 * SQL the grid runs, for every sortable column and every filter kind the UI offers. The app
 * never runs ANALYZE, so neither do these tests: the plans checked are the ones SQLite picks
 * without statistics, as in a user's workspace (and in the bench, which drops them).
 */
import { describe, expect, it } from 'vitest';
import { leadPageArgsSchema, leadQuerySchema, type LeadFilter } from '../../../shared/contract/leads';
import { LEAD_COLUMNS, UNSORTABLE_COLUMNS } from '../../../shared/lead-columns';
import {
  ensureGridIndexes,
  LEAD_SELECT_LIST,
  leadCounts,
  leadsQuery,
  leadTableColumns,
  querySqlOptions,
  pagePlan as gridPagePlan,
  prepareView,
  type LeadPageArgs,
} from '../../../electron/backend/services/leads/grid';
import { buildLeadQuerySql } from '../../../electron/backend/services/leads/lead-query-sql';
import { isScoreColumn, scoreStoreReads } from '../../../electron/backend/services/leads/score-store';
import { openReadConnection } from '../../../electron/backend/db/open';
import { tempBackend } from '../helpers';
import { insertLead } from './seed';

const backend = tempBackend();
const db = () => backend.context.db();
insertLead(db(), { custom: { Budget: '10' } });

function plan(sql: string, params: unknown[]): string {
  return (
    db()
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params) as { detail: string }[]
  )
    .map((r) => r.detail)
    .join(' | ');
}

function pagePlan(input: Parameters<typeof leadQuerySchema.parse>[0]): string {
  const q = leadQuerySchema.parse(input);
  prepareView(db(), q);
  const s = buildLeadQuerySql(q, querySqlOptions(db()));
  return plan(
    `SELECT ${LEAD_SELECT_LIST} FROM leads WHERE ${s.where} ORDER BY ${s.orderBy} LIMIT 100 OFFSET 0`,
    s.params,
  );
}

function countPlan(filters: LeadFilter[], search = ''): string {
  const q = leadQuerySchema.parse({ filters, search });
  prepareView(db(), q);
  const s = buildLeadQuerySql(q, querySqlOptions(db()));
  return plan(`SELECT count(*) FROM leads WHERE ${s.where}`, s.params);
}

/**
 * The grid's plan of a page, after building what the view needs on first use (its sort and
 * filter indexes, the search table: migrations 0550 and 0610), as leadsQuery does.
 */
function gridPlan(args: LeadPageArgs) {
  prepareView(db(), args);
  return gridPagePlan(db(), args);
}

/** Columns SQLite sorts by an index; the score columns are sorted in the score store (score-store.test.ts). */
const sortable = [
  ...LEAD_COLUMNS.filter(
    (c) =>
      !UNSORTABLE_COLUMNS.has(c.key) &&
      !isScoreColumn(c.key) &&
      (c.key !== 'sla_due_at' || leadTableColumns(db()).has('sla_due_at')),
  ).map((c) => c.key),
  'custom.Budget',
];

describe('query plans', () => {
  it.each(sortable.flatMap((c) => [[c, 'asc'] as const, [c, 'desc'] as const]))(
    'sort by %s %s walks an index (no sorting step)',
    (column, dir) => {
      const p = pagePlan({ sort: { column, dir } });
      expect(p).toMatch(/USING (COVERING )?INDEX/);
      expect(p).not.toMatch(/TEMP B-TREE/);
    },
  );

  it('the opening page (newest first) walks the primary key', () => {
    const p = pagePlan({});
    expect(p).not.toMatch(/TEMP B-TREE/);
  });

  const filters: [string, LeadFilter, RegExp][] = [
    [
      'in list on a code',
      { column: 'stage', op: 'in', values: ['new', 'mql'] },
      /SEARCH leads USING (COVERING )?INDEX leads_g_stage/,
    ],
    [
      'in list on text',
      { column: 'country', op: 'in', values: ['US'] },
      /SEARCH leads USING (COVERING )?INDEX leads_g_country/,
    ],
    [
      'in list on owner',
      { column: 'owner_name', op: 'in', values: ['Ann'] },
      /SEARCH leads USING (COVERING )?INDEX leads_g_owner_name/,
    ],
    ['blank text', { column: 'title', op: 'blank' }, /INDEX leads_g_title/],
    ['contains on company (trigram)', { column: 'company', op: 'contains', value: 'acme' }, /VIRTUAL TABLE INDEX/],
    [
      'contains on other text (index scan)',
      { column: 'title', op: 'contains', value: 'cto' },
      /COVERING INDEX leads_g_title/,
    ],
    [
      'tag in list',
      { column: 'tags', op: 'in', values: ['vip'] },
      /lead_tags USING (COVERING )?INDEX lead_tags_by_tag/,
    ],
    [
      'custom field in list',
      { column: 'custom.Budget', op: 'in', values: ['10'] },
      /SEARCH leads USING (COVERING )?INDEX leads_cfs_\d+\b/,
    ],
  ];
  it.each(filters)('count with %s uses its index', (_name, f, re) => {
    ensureGridIndexes(db(), [f.column]);
    expect(countPlan([f])).toMatch(re);
  });

  it('quick search goes through the trigram index', () => {
    expect(countPlan([], 'acme')).toMatch(/VIRTUAL TABLE INDEX/);
    expect(pagePlan({ search: 'acme', sort: { column: 'score_total', dir: 'desc' } })).toMatch(/VIRTUAL TABLE INDEX/);
  });

  it('a page with a sort and a filter on another column uses an index for one of them', async () => {
    const p = pagePlan({
      filters: [{ column: 'stage', op: 'in', values: ['new'] }],
      sort: { column: 'company', dir: 'asc' },
    });
    expect(p).toMatch(/INDEX leads_g_(stage|company)/);
  });

  describe('the access path the grid picks (on 60,000 leads)', () => {
    const path = (input: Record<string, unknown>) => {
      const args = leadPageArgsSchema.parse(input);
      const p = gridPlan(args);
      return plan(`SELECT leads.id ${p.from} LIMIT 100`, p.params);
    };
    it('seeds', () => {
      db().exec(`
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
        INSERT INTO leads (uid, email, email_norm, first_name, last_name, company, title, stage, score_total, grade, segment, created_at, updated_at)
        SELECT 'p' || i, 'p' || i || '@x' || (i % 97) || '.com', 'p' || i || '@x' || (i % 97) || '.com', 'F' || (i % 50), 'L' || (i % 300),
               'Company ' || (i % 1000), CASE WHEN i % 20 = 0 THEN NULL ELSE 'Title ' || (i % 40) END,
               CASE WHEN i % 10 < 7 THEN 'new' ELSE 'mql' END, i % 100,
               substr('ABCD', 1 + i % 4, 1) || (1 + (i / 4) % 4), CASE WHEN i % 100 >= 70 THEN 'Hot' WHEN i % 100 >= 40 THEN 'Warm' ELSE 'Cold' END,
               i, i
        FROM n;
      `);
    });
    it('a chip sorted by score is read from the score store: the page as the plain query, only its rows read', () => {
      for (const input of [
        { filters: [{ column: 'segment', op: 'in', values: ['Cold'] }], sort: { column: 'score_total', dir: 'desc' } },
        { filters: [{ column: 'grade', op: 'in', values: ['D4'] }], sort: { column: 'score_total', dir: 'desc' } },
        { filters: [{ column: 'grade', op: 'in', values: ['A2'] }], sort: { column: 'score_engagement', dir: 'asc' } },
        // Dates and sizes are held by the store too (migration 0540: no index of their own).
        {
          filters: [{ column: 'created_at', op: 'date-range', from: 100, to: 2000 }],
          sort: { column: 'created_at', dir: 'desc' },
        },
        { filters: [{ column: 'company_size', op: 'blank' }], sort: { column: 'updated_at', dir: 'asc' } },
        { sort: { column: 'last_activity_at', dir: 'desc' } },
      ]) {
        const args = leadPageArgsSchema.parse(input);
        const p = gridPlan(args);
        expect(p.strategy).toBe('scores');
        const q = plan(`SELECT leads.id ${p.from} LIMIT 100`, p.params);
        expect(q).toMatch(/SEARCH leads USING (COVERING )?INDEX \w+ \(id=\?\)|SEARCH leads USING INTEGER PRIMARY KEY/);
        const s = buildLeadQuerySql(args, querySqlOptions(db()));
        const ids = db()
          .prepare(`SELECT leads.id ${p.from} LIMIT 100`)
          .pluck()
          .all(...p.params);
        expect(ids).toEqual(
          db()
            .prepare(`SELECT leads.id FROM leads WHERE ${s.where} ORDER BY ${s.orderBy} LIMIT 100`)
            .pluck()
            .all(...s.params),
        );
      }
    });
    it('many matches: walks the sort index, substrings by LIKE (no large trigram result)', () => {
      const p = path({
        filters: [{ column: 'stage', op: 'in', values: ['new'] }],
        sort: { column: 'company', dir: 'asc' },
      });
      expect(p).toMatch(/SCAN leads USING INDEX leads_g_company/);
      expect(p).not.toMatch(/TEMP B-TREE/);
      const s = path({ search: 'company', sort: { column: 'title', dir: 'asc' } });
      expect(s).toMatch(/SCAN leads USING INDEX leads_g_title/);
      expect(s).not.toMatch(/leads_search/);
    });
    it('few matches on an indexed filter: searches that index and sorts the few', () => {
      const p = path({
        filters: [{ column: 'company', op: 'in', values: ['Company 7'] }],
        sort: { column: 'email', dir: 'asc' },
      });
      expect(p).toMatch(/SEARCH leads USING INDEX leads_g_company/);
      const s = path({ search: 'p12345@', sort: { column: 'title', dir: 'asc' } });
      expect(s).toMatch(/VIRTUAL TABLE INDEX/);
    });
    it('filter and sort on the same column: one index serves both', () => {
      const p = path({
        filters: [{ column: 'company', op: 'in', values: ['Company 7', 'Company 9'] }],
        sort: { column: 'company', dir: 'desc' },
      });
      expect(p).toMatch(/SEARCH leads USING (COVERING )?INDEX leads_g_company\b/);
      expect(p).not.toMatch(/TEMP B-TREE/);
    });
    it('a view filtered only by trigram lookups or tags is counted in those indexes, same total as the plain count', async () => {
      const ids = db().prepare('SELECT id FROM leads WHERE id % 7 = 0').pluck().all() as number[];
      const tag = db().prepare('UPDATE leads SET tags = ? WHERE id = ?');
      db().transaction(() => {
        for (const id of ids) tag.run(JSON.stringify(id % 2 ? ['odd', 'seven'] : ['seven']), id);
      })();
      for (const input of [
        { search: 'p12345@' },
        { filters: [{ column: 'company', op: 'contains', value: 'ny 7' }] as LeadFilter[], search: 'x7.com' },
        { filters: [{ column: 'tags', op: 'in', values: ['odd', 'seven'] }] as LeadFilter[] },
        { filters: [{ column: 'tags', op: 'in', values: ['odd'] }] as LeadFilter[], search: 'x7.com' },
      ]) {
        const args = leadPageArgsSchema.parse(input);
        const s = buildLeadQuerySql(args, querySqlOptions(db()));
        expect(s.idSets).not.toBeNull();
        const expected = db()
          .prepare(`SELECT count(*) FROM leads WHERE ${s.where}`)
          .pluck()
          .get(...s.params);
        const page = await backend.invoke('leads-query', input);
        expect(page.total).toBe(expected);
        expect(page.total).toBeGreaterThan(0);
      }
    });
    it('the page it returns is the same rows as the plain query', async () => {
      const args = {
        filters: [{ column: 'stage', op: 'in', values: ['mql'] }] as LeadFilter[],
        sort: { column: 'company', dir: 'asc' } as const,
        search: '@x12',
        limit: 50,
        offset: 20,
      };
      const page = await backend.invoke('leads-query', args);
      const s = buildLeadQuerySql(leadPageArgsSchema.parse(args), querySqlOptions(db()));
      const expected = db()
        .prepare(`SELECT leads.id FROM leads WHERE ${s.where} ORDER BY ${s.orderBy} LIMIT 50 OFFSET 20`)
        .pluck()
        .all(...s.params);
      expect(page.rows.map((r) => r.id)).toEqual(expected);
      expect(page.rows.length).toBe(50);
    });

    describe('deep pages of the whole workspace skip their offset in an index', () => {
      const deepSorts = [undefined, 'company', 'score_total', 'name', 'created_at', 'custom.Budget'] as const;
      /** The strategy of a page of the whole workspace on a connection holding the score store. */
      const expectedStrategy = (column: string | undefined, offset: number): string => {
        // Columns the score store holds (scores, dates, sizes) are paged in memory, and so is
        // a deep page newest first (the store's ids are every lead's, in id order).
        if (column && isScoreColumn(column)) return 'scores';
        if (offset < 1000) return 'plain';
        return column ? 'deep' : 'scores';
      };
      it.each(deepSorts)(
        'sort %s: same ids and total as the plain query, both directions, several offsets',
        async (column) => {
          leadCounts(db()); // the chips' counts read the score store, as on opening the grid
          for (const dir of ['asc', 'desc'] as const) {
            for (const offset of [0, 999, 1000, 17_345, 30_000, 59_950, 60_001, 61_000]) {
              const args = leadPageArgsSchema.parse({
                ...(column ? { sort: { column, dir } } : {}),
                limit: 100,
                offset,
                withTotal: true,
              });
              ensureGridIndexes(db(), column ? [column] : []);
              const p = gridPlan(args);
              expect(p.strategy).toBe(expectedStrategy(column, offset));
              const page = await backend.invoke('leads-query', args);
              const s = buildLeadQuerySql(args, querySqlOptions(db()));
              const expected = db()
                .prepare(`SELECT leads.id FROM leads ORDER BY ${s.orderBy} LIMIT 100 OFFSET ${offset}`)
                .pluck()
                .all();
              expect(page.rows.map((r) => r.id)).toEqual(expected);
              expect(leadsQuery(db(), args).rows.map((r) => r.id)).toEqual(expected);
              expect(page.total).toBe(db().prepare('SELECT count(*) FROM leads').pluck().get());
            }
            // The default order has no direction of its own.
            if (!column) break;
          }
        },
      );
      it('newest first on a connection that holds no score store: skipped in an index, the store not read for it', () => {
        const reader = openReadConnection(db().name);
        try {
          const before = scoreStoreReads().whole;
          for (const offset of [1000, 17_345, 59_950, 61_000]) {
            const args = leadPageArgsSchema.parse({ limit: 100, offset, withTotal: true });
            expect(gridPagePlan(reader, args).strategy).toBe('deep');
            const page = leadsQuery(reader, args);
            expect(page.rows.map((r) => r.id)).toEqual(
              db().prepare('SELECT id FROM leads ORDER BY id DESC LIMIT 100 OFFSET ?').pluck().all(offset),
            );
            expect(page.total).toBe(db().prepare('SELECT count(*) FROM leads').pluck().get());
          }
          expect(scoreStoreReads().whole).toBe(before);
        } finally {
          reader.close();
        }
      });
      it.each(deepSorts.filter((c) => !c || !isScoreColumn(c)))(
        'sort %s: the offset is skipped in the index, only the page is sorted',
        (column) => {
          const args = leadPageArgsSchema.parse({
            ...(column ? { sort: { column, dir: 'desc' } } : {}),
            limit: 100,
            offset: 30_000,
          });
          // Newest first skips in an index only without a score store (see above).
          const reader = openReadConnection(db().name);
          try {
            const p = column ? gridPlan(args) : gridPagePlan(reader, args);
            expect(p.strategy).toBe('deep');
            const eqp = plan(`SELECT leads.id ${p.from} LIMIT 100`, p.params);
            expect(eqp).toMatch(/SCAN leads USING (COVERING )?INDEX /);
            // At most the page's own 100 rows are sorted, never the workspace.
            expect(eqp.match(/TEMP B-TREE/g)?.length ?? 0).toBeLessThanOrEqual(1);
          } finally {
            reader.close();
          }
        },
      );
    });

    describe('score views, blanks and substrings as value lists', () => {
      const strategy = (input: Record<string, unknown>) => gridPlan(leadPageArgsSchema.parse(input));
      /** The page from the handler equals the plain query's, at two offsets and both directions. */
      const samePages = async (input: Record<string, unknown>) => {
        for (const dir of ['asc', 'desc'] as const) {
          for (const offset of [0, 130]) {
            const args = leadPageArgsSchema.parse({
              ...input,
              sort: { ...(input.sort as object), dir },
              limit: 100,
              offset,
            });
            const page = await backend.invoke('leads-query', args);
            const s = buildLeadQuerySql(args, querySqlOptions(db()));
            const expected = db()
              .prepare(`SELECT leads.id FROM leads WHERE ${s.where} ORDER BY ${s.orderBy} LIMIT 100 OFFSET ${offset}`)
              .pluck()
              .all(...s.params);
            const total = db()
              .prepare(`SELECT count(*) FROM leads WHERE ${s.where}`)
              .pluck()
              .get(...s.params);
            expect(page.rows.map((r) => r.id)).toEqual(expected);
            expect(page.total).toBe(total);
          }
        }
      };
      it('seeds fit, MQL and blank industries', () => {
        db().exec(`
          UPDATE leads SET score_fit = (id * 7) % 60, score_engagement = (id * 11) % 45, is_mql = (score_total >= 70),
            industry = CASE id % 3 WHEN 0 THEN NULL WHEN 1 THEN '' ELSE 'Retail' END
          WHERE uid LIKE 'p%';
        `);
      });
      it('score views sorted by a score column come from the score store: the same pages as the plain query', async () => {
        for (const [filter, sort] of [
          [{ column: 'score_total', op: 'range', min: 40, max: 55 }, 'segment'],
          [{ column: 'score_total', op: 'range', min: 69, max: 70 }, 'segment'],
          [{ column: 'segment', op: 'in', values: ['Cold'] }, 'grade'],
          [{ column: 'segment', op: 'in', values: ['Cold'] }, 'is_mql'],
          [{ column: 'score_total', op: 'range', min: 20, max: 35 }, 'is_mql'],
          [{ column: 'score_total', op: 'range', min: 20, max: 35 }, 'score_fit'],
          [{ column: 'score_total', op: 'range', min: 20, max: 35 }, 'score_engagement'],
          [{ column: 'grade', op: 'in', values: ['B2'] }, 'segment'],
          [{ column: 'is_mql', op: 'in', values: [1] }, 'segment'],
          [{ column: 'grade', op: 'in', values: ['B2'] }, 'grade'],
        ] as const) {
          const input = { filters: [filter], sort: { column: sort, dir: 'asc' } };
          expect(strategy(input).strategy).toBe('scores');
          await samePages(input);
        }
      });
      it('a filter on the sort column uses that column’s own index, not a pair starting with it', () => {
        const p = strategy({
          filters: [{ column: 'stage', op: 'in', values: ['mql'] }],
          sort: { column: 'stage', dir: 'asc' },
        });
        const q = plan(`SELECT leads.id ${p.from} LIMIT 100`, p.params);
        expect(q).toMatch(/INDEX leads_g_stage \(stage=\?\)/);
        expect(q).not.toMatch(/TEMP B-TREE/);
      });
      it('"is blank" on the sort column reads the empty values, then the NULLs, in id order', async () => {
        const input = { filters: [{ column: 'industry', op: 'blank' }], sort: { column: 'industry', dir: 'asc' } };
        const p = strategy(input);
        expect(p.strategy).toBe('buckets');
        for (const read of p.reads!) expect(plan(read.sql, read.params)).not.toMatch(/TEMP B-TREE/);
        await samePages(input);
        await samePages({ filters: [{ column: 'score_fit', op: 'blank' }], sort: { column: 'score_fit' } });
      });
      it('no match: an empty page without walking any index', async () => {
        const input = {
          filters: [{ column: 'title', op: 'contains', value: 'nobody' }],
          sort: { column: 'email', dir: 'asc' },
        };
        expect(strategy(input).strategy).toBe('empty');
        await samePages(input);
      });
      it('a substring of a column of few values becomes the list of values containing it (counted in its index)', async () => {
        const input = {
          filters: [{ column: 'title', op: 'contains', value: 'LE 1' }],
          sort: { column: 'email', dir: 'asc' },
        };
        const p = strategy(input);
        expect(p.from).toMatch(/leads\.title COLLATE NOCASE IN \(/);
        expect(p.from).not.toMatch(/LIKE/);
        await samePages(input);
        await samePages({ filters: [{ column: 'title', op: 'contains', value: 'itle 3' }], sort: { column: 'title' } });
        await samePages({
          filters: [{ column: 'company', op: 'contains', value: 'pany 12' }],
          sort: { column: 'company' },
        });
        await samePages({
          filters: [{ column: 'company', op: 'contains', value: 'any 9' }],
          sort: { column: 'title' },
        });
      });

      describe('matches sorted without their table rows (migration 0080)', () => {
        it('seeds websites derived from the company (with blanks) and a tag that bunches up in name order', () => {
          db().exec(`
            UPDATE leads SET website = CASE WHEN id % 11 = 0 THEN NULL WHEN id % 13 = 0 THEN ''
              ELSE 'https://' || replace(lower(company), ' ', '') || '.com' END
            WHERE uid LIKE 'p%';
            UPDATE leads SET tags = '["late"]' WHERE uid LIKE 'p%' AND (last_name LIKE 'L8%' OR last_name LIKE 'L9%');
          `);
        });
        it('the covering indexes exist (the (company, website) pair once website is used, migration 0550)', () => {
          ensureGridIndexes(db(), ['website']);
          const names = db().prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").pluck().all();
          expect(names).toEqual(
            expect.arrayContaining(['leads_g_company_website', 'leads_g_id_name', 'leads_g_id_email']),
          );
        });
        it('a company substring sorted by website is found and sorted in the (company, website) index', async () => {
          const input = {
            filters: [{ column: 'company', op: 'contains', value: 'any 1' }],
            sort: { column: 'website', dir: 'asc' },
          };
          const p = strategy(input);
          expect(p.strategy).toBe('covered');
          const q = plan(`SELECT leads.id ${p.from} LIMIT 100`, p.params);
          expect(q).toMatch(/SEARCH leads USING COVERING INDEX leads_g_company_website \(company=\?\)/);
          await samePages(input);
          // One company: the pair is walked in website order, no sorting step.
          const one = {
            filters: [{ column: 'company', op: 'in', values: ['Company 12'] }],
            sort: { column: 'website', dir: 'asc' },
          };
          expect(strategy(one).strategy).toBe('pair');
          await samePages(one);
        });
        it('... but not with a quick search or a filter the index cannot seek', async () => {
          for (const input of [
            {
              filters: [{ column: 'company', op: 'contains', value: 'any 1' }],
              search: 'x1',
              sort: { column: 'website', dir: 'asc' },
            },
            { filters: [{ column: 'company', op: 'blank' }], sort: { column: 'website', dir: 'asc' } },
            {
              filters: [
                { column: 'company', op: 'contains', value: 'any 1' },
                { column: 'stage', op: 'in', values: ['mql'] },
              ],
              sort: { column: 'website', dir: 'asc' },
            },
          ]) {
            expect(strategy(input).strategy).not.toBe('covered');
            await samePages(input);
          }
        });
        it('a stage list sorted by SLA due is sorted in the (stage, sla_due_at) index; one stage walks it', async () => {
          db().exec(`
            UPDATE leads SET sla_due_at = 1000 * (id % 500) WHERE uid LIKE 'p%' AND stage = 'mql' AND id % 3 > 0;
          `);
          for (const dir of ['desc', 'asc'] as const) {
            const input = {
              filters: [{ column: 'stage', op: 'in', values: ['new', 'mql'] }],
              sort: { column: 'sla_due_at', dir },
            };
            const p = strategy(input);
            expect(p.strategy).toBe('covered');
            const q = plan(`SELECT leads.id ${p.from} LIMIT 100`, p.params);
            expect(q).toMatch(/SEARCH leads USING COVERING INDEX leads_g_stage_sla_due_at \(stage=\?\)/);
            await samePages(input);
            await samePages({ ...input, filters: [{ column: 'stage', op: 'in', values: ['new', 'won'] }] });
            const one = {
              filters: [{ column: 'stage', op: 'in', values: ['new'] }],
              sort: { column: 'sla_due_at', dir },
            };
            expect(strategy(one).strategy).toBe('pair');
            expect(plan(`SELECT leads.id ${strategy(one).from} LIMIT 100`, strategy(one).params)).toMatch(
              /INDEX leads_g_stage_sla_due_at \(stage=\?\)/,
            );
            await samePages(one);
          }
        });
        it('a quick search sorted by name or email: ids from the list kept by the count, keys from the narrow id index', async () => {
          for (const [sort, index] of [
            ['name', 'leads_g_id_name'],
            ['last_name', 'leads_g_id_name'],
            ['first_name', 'leads_g_id_name'],
            ['email', 'leads_g_id_email'],
          ] as const) {
            const input = { search: 'L17', sort: { column: sort, dir: 'asc' } };
            const p = strategy(input);
            expect(p.strategy).toBe('sort-matches');
            expect(p.from).toMatch(/json_each/);
            expect(p.from).not.toMatch(/leads_search/);
            const q = plan(`SELECT leads.id ${p.from} LIMIT 100`, p.params);
            expect(q).toMatch(new RegExp(`SEARCH leads USING COVERING INDEX ${index} \\(id=\\?\\)`));
            await samePages(input);
          }
        });
        it('... read again once later views pushed the list out (its count stays cached)', async () => {
          const input = { search: 'L18', sort: { column: 'name', dir: 'asc' } };
          expect(strategy(input).from).toMatch(/json_each/);
          for (let i = 0; i < 20; i++) strategy({ search: `F${i}0`, sort: { column: 'name', dir: 'asc' } });
          const p = strategy(input);
          expect(p.strategy).toBe('sort-matches');
          expect(p.from).toMatch(/json_each/);
          await samePages(input);
        });
        it('more matches than a kept list holds: the side index itself, keys still from the narrow id index', async () => {
          db().exec(`
            UPDATE leads SET tags = json_insert(tags, '$[#]', 'most') WHERE uid LIKE 'p%' AND last_name COLLATE NOCASE > 'L117';
          `);
          const most = {
            filters: [{ column: 'tags', op: 'in', values: ['most'] }],
            sort: { column: 'name', dir: 'asc' },
          };
          const p = strategy(most);
          expect(p.matches).toBeGreaterThan(50_000);
          expect(p.strategy).toBe('sort-matches');
          expect(p.from).not.toMatch(/json_each/);
          expect(p.from).toMatch(/lead_tags/);
          const q = plan(`SELECT leads.id ${p.from} LIMIT 100`, p.params);
          expect(q).toMatch(/SEARCH leads USING COVERING INDEX leads_g_id_name \(id=\?\)/);
          await samePages(most);
          // The quick search of every lead: no list either, the walk checks substrings by LIKE.
          const all = { search: 'com', sort: { column: 'name', dir: 'asc' } };
          const w = strategy(all);
          expect(w.strategy).toBe('walk');
          expect(w.from).toMatch(/LIKE/);
          expect(w.from).not.toMatch(/json_each/);
          await samePages(all);
        });
        it('a tag bunched at the end of the name order: the probe tests the kept ids, then the matches are sorted; a spread tag is walked', async () => {
          const late = {
            filters: [{ column: 'tags', op: 'in', values: ['late'] }],
            sort: { column: 'name', dir: 'asc' },
          };
          const p = strategy(late);
          expect(p.strategy).toBe('sort-matches');
          expect(p.from).toMatch(/INDEXED BY "leads_g_id_name"/);
          await samePages(late);
          // Spread evenly: the probe finds enough, the name index is walked.
          const seven = {
            filters: [{ column: 'tags', op: 'in', values: ['seven'] }],
            sort: { column: 'name', dir: 'asc' },
          };
          const walk = strategy(seven);
          expect(walk.strategy).toBe('walk');
          // The walk tests membership of the kept ids on the name index's entries.
          expect(walk.from).toMatch(/INDEXED BY "leads_g_name" WHERE leads\.id IN \(SELECT value FROM json_each/);
          await samePages(seven);
        });
      });

      describe('a band sorted by another band (once pair indexes, now the score store)', () => {
        it('seeds a grade whose scores are all below the MQL threshold', () => {
          db().exec(`
            UPDATE leads SET grade = 'D9' WHERE uid LIKE 'p%' AND score_total < 20 AND id % 5 = 0;
          `);
        });
        it('the MQL flag sorted against a grade cell, and a grade cell sorted by MQL, deep pages too', async () => {
          for (const input of [
            { filters: [{ column: 'grade', op: 'in', values: ['D9'] }], sort: { column: 'is_mql', dir: 'desc' } },
            { filters: [{ column: 'grade', op: 'in', values: ['A1'] }], sort: { column: 'is_mql', dir: 'desc' } },
            { filters: [{ column: 'is_mql', op: 'in', values: [1] }], sort: { column: 'grade', dir: 'asc' } },
          ]) {
            expect(strategy(input).strategy).toBe('scores');
            await samePages(input);
          }
          const deep = {
            filters: [{ column: 'grade', op: 'in', values: ['B2'] }],
            sort: { column: 'is_mql', dir: 'desc' },
            offset: 1950,
          };
          expect(strategy(deep).strategy).toBe('scores');
          const args = leadPageArgsSchema.parse({ ...deep, limit: 100 });
          const page = await backend.invoke('leads-query', args);
          const s = buildLeadQuerySql(args, querySqlOptions(db()));
          expect(page.rows.map((r) => r.id)).toEqual(
            db()
              .prepare(`SELECT leads.id FROM leads WHERE ${s.where} ORDER BY ${s.orderBy} LIMIT 100 OFFSET 1950`)
              .pluck()
              .all(...s.params),
          );
        });
      });
    });
  });
});
