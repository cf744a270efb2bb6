import { beforeAll, describe, expect, it } from 'vitest';
import type { LeadFilter, HandlerArgs } from '../../../shared/contract';
import { tempBackend } from '../helpers';
import { seedPeople } from './seed';

const backend = tempBackend();
let ids: Record<string, number> = {};

beforeAll(() => {
  ids = seedPeople(backend.context.db());
});

async function names(args: HandlerArgs<'leads-query'>): Promise<string[]> {
  const page = await backend.invoke('leads-query', args);
  const byId = new Map(Object.entries(ids).map(([k, v]) => [v, k]));
  return page.rows.map((r) => byId.get(r.id) ?? `#${r.id}`);
}

async function match(...filters: LeadFilter[]): Promise<string[]> {
  return (await names({ filters, sort: { column: 'email', dir: 'asc' } })).sort();
}

describe('leads-query filters', () => {
  it('returns everything, newest first, with the total, when nothing filters', async () => {
    const page = await backend.invoke('leads-query', {});
    expect(page.total).toBe(5);
    expect(page.rows.map((r) => r.id)).toEqual([ids.eve, ids.dora, ids.chen, ids.bruno, ids.alice]);
    const alice = page.rows.find((r) => r.id === ids.alice)!;
    expect(alice).toMatchObject({
      name: 'Alice Archer',
      owner_name: 'Ann Owner',
      tags: ['vip', 'q3'],
      custom: { Budget: '50000', Region: 'West' },
      is_mql: true,
      sla_due_at: null,
    });
  });

  it('text contains: case-insensitive substring, through the trigram index and LIKE', async () => {
    expect(await match({ column: 'company', op: 'contains', value: 'acme' })).toEqual(['alice', 'eve']);
    expect(await match({ column: 'email', op: 'contains', value: 'GLOBEX' })).toEqual(['bruno']);
    expect(await match({ column: 'name', op: 'contains', value: 'ice arc' })).toEqual(['alice']);
    expect(await match({ column: 'title', op: 'contains', value: 'ct' })).toEqual(['alice', 'eve']);
    expect(await match({ column: 'company', op: 'contains', value: 'ac' })).toEqual(['alice', 'eve']);
    expect(await match({ column: 'title', op: 'contains', value: '%' })).toEqual([]);
  });

  it('in list: exact values, case-insensitive for text, exact for codes', async () => {
    expect(await match({ column: 'country', op: 'in', values: ['us', 'DE'] })).toEqual(['alice', 'bruno', 'eve']);
    expect(await match({ column: 'stage', op: 'in', values: ['mql', 'sql'] })).toEqual(['bruno', 'dora']);
    expect(await match({ column: 'grade', op: 'in', values: ['A1', 'C4'] })).toEqual(['alice', 'chen']);
    expect(await match({ column: 'segment', op: 'in', values: ['Hot'] })).toEqual(['alice', 'eve']);
    expect(await match({ column: 'owner_name', op: 'in', values: ['Bob Owner'] })).toEqual(['bruno']);
    expect(await match({ column: 'is_mql', op: 'in', values: [1] })).toEqual(['alice', 'eve']);
    expect(await match({ column: 'tags', op: 'in', values: ['vip'] })).toEqual(['alice', 'eve']);
    expect(await match({ column: 'tags', op: 'in', values: ['q3', 'nope'] })).toEqual(['alice', 'bruno']);
  });

  it('numeric range: inclusive bounds, either side optional; blanks never match', async () => {
    expect(await match({ column: 'score_total', op: 'range', min: 50, max: 90 })).toEqual(['alice', 'bruno', 'eve']);
    expect(await match({ column: 'score_total', op: 'range', max: 54.9 })).toEqual(['chen']);
    expect(await match({ column: 'company_size', op: 'range', min: 1000 })).toEqual(['dora']);
    expect(await match({ column: 'score_fit', op: 'range', min: 30, max: 45 })).toEqual(['bruno', 'eve']);
  });

  it('date range: from inclusive, to exclusive', async () => {
    expect(
      await match({ column: 'last_activity_at', op: 'date-range', from: 1_700_100_000_000, to: 1_700_900_000_000 }),
    ).toEqual(['alice', 'bruno']);
    expect(await match({ column: 'last_activity_at', op: 'date-range', from: 1_700_500_000_001 })).toEqual(['dora']);
  });

  it('is blank / not blank: NULL and empty text are blank', async () => {
    backend.context.db().prepare("UPDATE leads SET city = '' WHERE id = ?").run(ids.alice);
    expect(await match({ column: 'title', op: 'blank' })).toEqual(['chen']);
    expect(await match({ column: 'email', op: 'blank' })).toEqual(['dora']);
    expect(await match({ column: 'name', op: 'blank' })).toEqual(['eve']);
    expect(await match({ column: 'score_total', op: 'blank' })).toEqual(['dora']);
    expect(await match({ column: 'owner_name', op: 'not-blank' })).toEqual(['alice', 'bruno', 'dora']);
    expect(await match({ column: 'suppressed_reason', op: 'not-blank' })).toEqual(['dora']);
    expect(await match({ column: 'tags', op: 'blank' })).toEqual(['chen', 'dora']);
    expect(await match({ column: 'city', op: 'blank' })).toHaveLength(5);
    expect(await match({ column: 'last_activity_at', op: 'not-blank' })).toEqual(['alice', 'bruno', 'dora']);
  });

  it('custom fields: contains, in list, blank, range on numbers kept as text', async () => {
    expect(await match({ column: 'custom.Region', op: 'contains', value: 'es' })).toEqual(['alice']);
    expect(await match({ column: 'custom.Region', op: 'in', values: ['east', 'West'] })).toEqual(['alice', 'chen']);
    expect(await match({ column: 'custom.Region', op: 'blank' })).toEqual(['bruno', 'dora', 'eve']);
    expect(await match({ column: 'custom.Budget', op: 'range', min: 10_000 })).toEqual(['alice']);
  });

  it('combines filters with AND, plus quick search over name, email and company', async () => {
    expect(
      await match({ column: 'segment', op: 'in', values: ['Hot'] }, { column: 'title', op: 'contains', value: 'cto' }),
    ).toEqual(['alice', 'eve']);
    expect((await names({ search: 'acme' })).sort()).toEqual(['alice', 'eve']);
    expect((await names({ search: 'alice acme' })).sort()).toEqual(['alice']);
    expect((await names({ search: 'DIAZ' })).sort()).toEqual(['dora']);
    expect((await names({ search: 'in' })).sort()).toEqual(['chen']);
    expect((await names({ search: 'zzzz' })).sort()).toEqual([]);
    expect(
      (await backend.invoke('leads-query', { search: 'acme', filters: [{ column: 'is_mql', op: 'in', values: [1] }] }))
        .total,
    ).toBe(2);
  });

  it('refuses unknown columns and bad operator arguments with error data', async () => {
    const r = await backend.handle('leads-query', { filters: [{ column: 'nope', op: 'blank' }] });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    const r2 = await backend.handle('leads-query', { filters: [{ column: 'email', op: 'in', values: [] }] });
    expect(r2).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    const r3 = await backend.handle('leads-query', { sort: { column: 'tags', dir: 'asc' } });
    expect(r3).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    const r4 = await backend.handle('leads-query', { sort: { column: 'email; DROP TABLE leads', dir: 'asc' } });
    expect(r4).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
  });
});

describe('leads-query sort', () => {
  const cases: [string, 'asc' | 'desc', string[]][] = [
    ['name', 'asc', ['alice', 'bruno', 'chen', 'dora', 'eve']],
    ['name', 'desc', ['dora', 'chen', 'bruno', 'alice', 'eve']],
    ['email', 'asc', ['alice', 'bruno', 'chen', 'eve', 'dora']],
    ['company', 'asc', ['alice', 'eve', 'bruno', 'chen', 'dora']],
    ['company', 'desc', ['chen', 'bruno', 'eve', 'alice', 'dora']],
    ['score_total', 'desc', ['eve', 'alice', 'bruno', 'chen', 'dora']],
    ['score_total', 'asc', ['chen', 'bruno', 'alice', 'eve', 'dora']],
    ['company_size', 'asc', ['bruno', 'alice', 'eve', 'dora', 'chen']],
    ['last_activity_at', 'desc', ['dora', 'alice', 'bruno', 'eve', 'chen']],
    ['owner_name', 'asc', ['alice', 'dora', 'bruno', 'chen', 'eve']],
    ['grade', 'asc', ['alice', 'eve', 'bruno', 'chen', 'dora']],
    ['custom.Region', 'asc', ['chen', 'alice', 'bruno', 'dora', 'eve']],
    ['custom.Region', 'desc', ['alice', 'chen', 'eve', 'dora', 'bruno']],
  ];
  it.each(cases)('by %s %s, blanks last, ties by id', async (column, dir, expected) => {
    expect(await names({ sort: { column, dir } })).toEqual(expected);
  });

  it('pages with offset and limit over the same order; the total stays the full count', async () => {
    const first = await backend.invoke('leads-query', { sort: { column: 'email', dir: 'asc' }, limit: 2 });
    const second = await backend.invoke('leads-query', {
      sort: { column: 'email', dir: 'asc' },
      limit: 2,
      offset: 2,
      withTotal: false,
    });
    expect(first.total).toBe(5);
    expect(second.total).toBeNull();
    expect([...first.rows, ...second.rows].map((r) => r.email)).toEqual([
      'alice@acme.com',
      'bruno@globex.io',
      'chen@initech.com',
      'eve@acme.com',
    ]);
  });
});

describe('counts, columns, distinct values', () => {
  it('counts segments, MQLs, suppressed leads and the grade grid', async () => {
    const c = await backend.invoke('leads-counts', {});
    expect(c.total).toBe(5);
    expect(c.mql).toBe(2);
    expect(c.suppressed).toBe(1);
    expect(c.grades).toEqual({ A1: 1, A2: 1, B2: 1, C4: 1 });
    expect(Object.fromEntries(c.segments.map((s) => [s.segment ?? '(none)', s.count]))).toEqual({
      Hot: 2,
      Warm: 1,
      Cold: 1,
      '(none)': 1,
    });
  });

  it('counts refresh after a change without reopening', async () => {
    const db = backend.context.db();
    const before = await backend.invoke('leads-counts', {});
    db.prepare("UPDATE leads SET segment = 'Hot' WHERE id = ?").run(ids.chen);
    const after = await backend.invoke('leads-counts', {});
    expect(after.segments.find((s) => s.segment === 'Hot')?.count).toBe(
      (before.segments.find((s) => s.segment === 'Hot')?.count ?? 0) + 1,
    );
    db.prepare("UPDATE leads SET segment = 'Cold' WHERE id = ?").run(ids.chen);
  });

  it('lists standard columns, SLA due once follow-up adds it, and custom fields', async () => {
    const meta = await backend.invoke('leads-columns', {});
    const keys = meta.columns.map((c) => c.key);
    expect(keys).toEqual(
      expect.arrayContaining(['name', 'email', 'score_total', 'grade', 'custom.Budget', 'custom.Region']),
    );
    expect(keys.includes('sla_due_at')).toBe(
      backend.context.db().prepare("SELECT 1 FROM pragma_table_info('leads') WHERE name = 'sla_due_at'").get() !==
        undefined,
    );
    expect(meta.columns.find((c) => c.key === 'tags')?.sortable).toBe(false);
    expect(meta.owners.map((o) => o.name)).toEqual(['Ann Owner', 'Bob Owner']);
    expect(meta.stages.length).toBeGreaterThan(3);
  });

  it('offers distinct values with counts for the in-list picker', async () => {
    expect(await backend.invoke('leads-distinct', { column: 'country' })).toEqual([
      { value: 'US', count: 2 },
      { value: null, count: 1 },
      { value: 'CN', count: 1 },
      { value: 'DE', count: 1 },
    ]);
    expect(await backend.invoke('leads-distinct', { column: 'tags' })).toEqual([
      { value: 'q3', count: 2 },
      { value: 'vip', count: 2 },
    ]);
    expect(await backend.invoke('leads-distinct', { column: 'custom.Region', search: 'ea' })).toEqual([
      { value: 'East', count: 1 },
    ]);
  });
});
