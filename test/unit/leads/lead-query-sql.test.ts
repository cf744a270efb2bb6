import { describe, expect, it } from 'vitest';
import { leadQuerySchema } from '../../../shared/contract/leads';
import { filterOpsFor, findLeadColumn, LEAD_COLUMNS } from '../../../shared/lead-columns';
import { buildLeadQuerySql, likeContains } from '../../../electron/backend/services/leads/lead-query-sql';

const build = (q: unknown) => buildLeadQuerySql(leadQuerySchema.parse(q));

describe('buildLeadQuerySql', () => {
  it('is TRUE, newest first, for an empty view', () => {
    expect(build({})).toEqual({ where: 'TRUE', params: [], orderBy: 'leads.id DESC', idSets: null });
  });

  it('lists the id sets when only trigram lookups and tag lists filter (a count can read those indexes alone)', () => {
    const s = build({
      filters: [
        { column: 'company', op: 'contains', value: 'acme' },
        { column: 'tags', op: 'in', values: ['vip', 'q3'] },
        { column: 'tags', op: 'in', values: ['beta'] },
      ],
      search: 'smith',
    });
    expect(s.idSets).toEqual([
      {
        sql: 'SELECT rowid AS id FROM leads_search WHERE leads_search MATCH ?',
        params: ['company : "acme"'],
        unique: true,
      },
      { sql: 'SELECT lead_id AS id FROM lead_tags WHERE tag IN (?, ?)', params: ['vip', 'q3'], unique: false },
      { sql: 'SELECT lead_id AS id FROM lead_tags WHERE tag IN (?)', params: ['beta'], unique: true },
      {
        // Quick search also finds a lead by the start of its import key (a Prospect ID).
        sql: "SELECT rowid AS id FROM leads_search WHERE leads_search MATCH ? UNION SELECT leads.id FROM leads WHERE leads.lead_key LIKE ? ESCAPE '\\'",
        params: ['"smith"', 'smith%'],
        unique: true,
      },
    ]);
    expect(s.idSets!.flatMap((x) => x.params)).toEqual(s.params);
    expect(build({ search: 'smith', filters: [{ column: 'stage', op: 'in', values: ['new'] }] }).idSets).toBeNull();
    expect(build({ search: 'ab' }).idSets).toBeNull();
    expect(build({ filters: [{ column: 'title', op: 'contains', value: 'acme' }] }).idSets).toBeNull();
  });

  it('binds every user value as a parameter, never into the SQL text', () => {
    const s = build({
      filters: [
        { column: 'company', op: 'contains', value: 'O\'Brien"; DROP TABLE leads' },
        { column: 'stage', op: 'in', values: ['new', "x') OR 1=1 --"] },
        { column: 'score_total', op: 'range', min: 10, max: 20 },
      ],
      search: 'acme corp',
    });
    expect(s.where).not.toContain('Brien');
    expect(s.where).not.toContain('OR 1=1');
    expect(s.params).toEqual([
      'company : "O\'Brien""; DROP TABLE leads"',
      'new',
      "x') OR 1=1 --",
      10,
      20,
      '"acme" AND "corp"',
      'acme corp%',
    ]);
  });

  it('sorts blanks last with an id tie-break, in the index collation', () => {
    expect(build({ sort: { column: 'company', dir: 'asc' } }).orderBy).toBe(
      'leads.company COLLATE NOCASE ASC NULLS LAST, leads.id ASC',
    );
    expect(build({ sort: { column: 'score_total', dir: 'desc' } }).orderBy).toBe(
      'leads.score_total DESC NULLS LAST, leads.id DESC',
    );
    const customSlots = new Map([
      ['Region', 0],
      ['Deal size', 1],
    ]);
    const sort = (column: string) =>
      buildLeadQuerySql(leadQuerySchema.parse({ sort: { column, dir: 'asc' } }), { customSlots }).orderBy;
    // A custom field's value sits at its slot in the stored array (custom-store.ts).
    expect(sort('custom.Deal size')).toBe(
      `json_extract(leads.custom, '$[1]') COLLATE NOCASE ASC NULLS LAST, leads.id ASC`,
    );
    // A field no lead has had is NULL on every lead.
    expect(sort("custom.it's")).toBe('NULL COLLATE NOCASE ASC NULLS LAST, leads.id ASC');
    expect(() => build({ sort: { column: 'custom.Region', dir: 'asc' } })).toThrow(/custom field slots/);
  });

  it('escapes LIKE wildcards', () => {
    expect(likeContains('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });

  it('refuses unknown and unsortable columns', () => {
    expect(() => build({ sort: { column: 'tags', dir: 'asc' } })).toThrow(/cannot be sorted/);
    expect(() => build({ filters: [{ column: 'password', op: 'blank' }] })).toThrow(/Unknown column/);
    expect(() => leadQuerySchema.parse({ sort: { column: 'email desc; --', dir: 'asc' } })).toThrow();
  });

  it('refuses a column the workspace does not have yet when told which exist', () => {
    expect(() =>
      buildLeadQuerySql(leadQuerySchema.parse({ sort: { column: 'sla_due_at', dir: 'asc' } }), {
        leadColumns: new Set(['id']),
      }),
    ).toThrow(/not available/);
  });
});

describe('column catalog', () => {
  it('offers operators by kind and knows custom columns', () => {
    expect(filterOpsFor('text')).toEqual(['contains', 'in', 'blank', 'not-blank']);
    expect(filterOpsFor('number')[0]).toBe('range');
    expect(findLeadColumn('custom.Region')).toMatchObject({ label: 'Region', kind: 'text' });
    expect(findLeadColumn('nope')).toBeUndefined();
    expect(new Set(LEAD_COLUMNS.map((c) => c.key)).size).toBe(LEAD_COLUMNS.length);
  });
});
