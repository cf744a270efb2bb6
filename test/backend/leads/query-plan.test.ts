/**
 * The grid answers a page out of a million leads fast only if SQLite walks an index for the
 * sort and searches one for the filter. These tests read EXPLAIN QUERY PLAN of the exact
 * SQL the grid runs, for every sortable column and every filter kind the UI offers.
 */
import { describe, expect, it } from 'vitest';
import { leadQuerySchema, type LeadFilter } from '../../../shared/contract/leads';
import { LEAD_COLUMNS, UNSORTABLE_COLUMNS } from '../../../shared/lead-columns';
import { ensureGridIndexes, leadSelectList, leadTableColumns } from '../../../electron/backend/services/leads/grid';
import { buildLeadQuerySql } from '../../../electron/backend/services/leads/lead-query-sql';
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
  ensureGridIndexes(db(), [...q.filters.map((f) => f.column), ...(q.sort ? [q.sort.column] : [])]);
  const s = buildLeadQuerySql(q, { leadColumns: leadTableColumns(db()) });
  return plan(
    `SELECT ${leadSelectList(db())} FROM leads WHERE ${s.where} ORDER BY ${s.orderBy} LIMIT 100 OFFSET 0`,
    s.params,
  );
}

function countPlan(filters: LeadFilter[], search = ''): string {
  const s = buildLeadQuerySql(leadQuerySchema.parse({ filters, search }), { leadColumns: leadTableColumns(db()) });
  return plan(`SELECT count(*) FROM leads WHERE ${s.where}`, s.params);
}

const sortable = [
  ...LEAD_COLUMNS.filter(
    (c) => !UNSORTABLE_COLUMNS.has(c.key) && (c.key !== 'sla_due_at' || leadTableColumns(db()).has('sla_due_at')),
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
    ['grade cell', { column: 'grade', op: 'in', values: ['A1'] }, /SEARCH leads USING (COVERING )?INDEX leads_g_grade/],
    ['MQL chip', { column: 'is_mql', op: 'in', values: [1] }, /SEARCH leads USING (COVERING )?INDEX leads_g_is_mql/],
    [
      'numeric range',
      { column: 'score_total', op: 'range', min: 50, max: 80 },
      /SEARCH leads USING (COVERING )?INDEX leads_g_score_total/,
    ],
    [
      'date range',
      { column: 'last_activity_at', op: 'date-range', from: 1, to: 2 },
      /SEARCH leads USING (COVERING )?INDEX leads_g_last_activity_at/,
    ],
    [
      'blank number',
      { column: 'score_total', op: 'blank' },
      /SEARCH leads USING (COVERING )?INDEX leads_g_score_total/,
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
      /SEARCH leads USING (COVERING )?INDEX leads_cf_/,
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

  it('a page with a sort and a filter on another column uses an index for one of them', () => {
    const p = pagePlan({
      filters: [{ column: 'stage', op: 'in', values: ['new'] }],
      sort: { column: 'company', dir: 'asc' },
    });
    expect(p).toMatch(/INDEX leads_g_(stage|company)/);
  });
});
