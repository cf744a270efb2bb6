/**
 * Grid structures built on first use (migrations 0550 and 0610): a lead import builds none of
 * the grid's sort indexes nor the quick search's trigram table; the first view that needs one
 * builds it (through the backend, as the app asks: a read refused by the read connection runs
 * again as a write), its pages equal the plain query's, and it is kept: across a reopen, and
 * kept current by later imports.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leadPageArgsSchema } from '../../../shared/contract/leads';
import { createBackend, type Backend } from '../../../electron/backend/backend';
import { pagePlan } from '../../../electron/backend/services/leads/grid';
import { orderBySql } from '../../../electron/backend/services/leads/lead-query-sql';
import { tempDir } from '../helpers';

const dir = tempDir();
const path = join(dir, 'first-use.leadbench');
/** The status bar's job events of one-time builds ('prepare'), as [phase, finished]. */
const prepared: [string, boolean][] = [];
let backend: Backend = createBackend({
  workspacePath: path,
  scoringHelperEntry: null,
  emit: (name, payload) => {
    const p = payload as { kind?: string; phase: string; finished: boolean };
    if (name === 'job-progress' && p.kind === 'prepare') prepared.push([p.phase, p.finished]);
  },
});
afterAll(() => backend.close());
const db = () => backend.context.db();

/** A lead file of `count` people from `from` on (every 7th without a company). */
function peopleCsv(name: string, from: number, count: number): string {
  const lines = ['Email,First Name,Last Name,Company'];
  for (let i = from; i < from + count; i++) {
    const company = i % 7 === 0 ? '' : `${i % 3 === 0 ? 'firm' : 'Firm'} ${i % 41} ${i % 2 ? 'GmbH' : 'Ltd'}`;
    lines.push(`p${i}@mail${i % 13}.example,Ann${i % 17},Lee${i % 211},${company}`);
  }
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const exists = (name: string) => db().prepare('SELECT 1 FROM sqlite_schema WHERE name = ?').get(name) !== undefined;

async function page(input: Record<string, unknown>): Promise<number[]> {
  const result = await backend.invoke('leads-query', leadPageArgsSchema.parse({ limit: 50, ...input }));
  return result.rows.map((r) => r.id);
}

/** The same page of leads sorted by company, read without any index. */
function plainSorted(dir: 'asc' | 'desc', offset: number): number[] {
  return db()
    .prepare(
      `SELECT id FROM leads NOT INDEXED ORDER BY ${orderBySql({ column: 'company', dir })} LIMIT 50 OFFSET ${offset}`,
    )
    .pluck()
    .all() as number[];
}

/** The quick search as plain LIKE: every word of 3+ characters in the name, email or company, or a key prefix. */
function plainSearch(search: string): number[] {
  const words = search.trim().split(/\s+/);
  const like = (w: string) => `%${w}%`;
  const each = words.map(
    () => "(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) LIKE ? OR email LIKE ? OR company LIKE ?)",
  );
  return db()
    .prepare(`SELECT id FROM leads NOT INDEXED WHERE (${each.join(' AND ')}) OR lead_key LIKE ? ORDER BY id DESC`)
    .pluck()
    .all(...words.flatMap((w) => [like(w), like(w), like(w)]), `${search.trim()}%`) as number[];
}

/** Every lead the quick search finds, page after page. */
async function searched(search: string): Promise<number[]> {
  const ids: number[] = [];
  for (;;) {
    const args = leadPageArgsSchema.parse({ search, limit: 500, offset: ids.length });
    const rows = (await backend.invoke('leads-query', args)).rows;
    ids.push(...rows.map((r) => r.id));
    if (rows.length < 500) return ids;
  }
}

/** Quick searches of words of 3+ characters each (shorter words are matched as prefixes instead). */
const SEARCHES = ['firm ltd', 'ann3 lee20', 'mail4.example', 'GMBH', 'p123@'];

describe('grid structures on first use', () => {
  it('a lead import builds no grid sort index and no search table', async () => {
    await backend.invoke('import-run', { path: peopleCsv('people.csv', 0, 3000), options: { kind: 'leads' } });
    expect(db().prepare('SELECT count(*) FROM leads').pluck().get()).toBe(3000);
    for (const name of ['leads_g_company', 'leads_g_name', 'leads_g_email', 'leads_g_id_email', 'leads_search']) {
      expect(exists(name)).toBe(false);
    }
    // A deep page in default order skips its offset in the score store's index meanwhile.
    const deep = pagePlan(db(), leadPageArgsSchema.parse({ offset: 2000, limit: 50 }));
    expect(deep.strategy).toBe('deep');
    expect(deep.from).toContain('INDEXED BY "leads_g_scores"');
    expect(await page({ offset: 2000 })).toEqual(
      db().prepare('SELECT id FROM leads ORDER BY id DESC LIMIT 50 OFFSET 2000').pluck().all(),
    );
  });

  it('the first sort by a column builds its index; its pages equal the plain query both ways', async () => {
    prepared.length = 0;
    expect(await page({ sort: { column: 'company', dir: 'asc' } })).toEqual(plainSorted('asc', 0));
    expect(exists('leads_g_company')).toBe(true);
    // The user is told while it is built, once: the status bar shows the job, then its end.
    expect(prepared.length).toBeGreaterThanOrEqual(2);
    expect(prepared[0]).toEqual([expect.stringMatching(/^Preparing this view: its sort and filters/), false]);
    expect(prepared.at(-1)).toEqual([expect.stringMatching(/^Preparing this view: its sort and filters/), true]);
    const announced = prepared.length;
    for (const dir of ['asc', 'desc'] as const) {
      for (const offset of [0, 1500, 2980]) {
        expect(await page({ sort: { column: 'company', dir }, offset })).toEqual(plainSorted(dir, offset));
      }
    }
    expect(prepared.length).toBe(announced);
  });

  it('the first quick search builds the search table; before and after it finds what LIKE finds', async () => {
    expect(exists('leads_search')).toBe(false);
    prepared.length = 0;
    const first = await searched(SEARCHES[0]!);
    expect(exists('leads_search')).toBe(true);
    // (A search's page may also build sort indexes of its own, announced as such.)
    expect(prepared.filter(([phase]) => phase.includes('quick search'))).toEqual([
      ['Preparing quick search (once for this workspace)', false],
      ['Preparing quick search (once for this workspace)', true],
    ]);
    const announced = prepared.length;
    expect(first).toEqual(plainSearch(SEARCHES[0]!));
    expect(first.length).toBeGreaterThan(0);
    for (const s of SEARCHES) {
      const ids = await searched(s);
      expect({ s, ids }).toEqual({ s, ids: plainSearch(s) });
      expect(ids.length).toBeGreaterThan(0);
    }
    expect(prepared).toHaveLength(announced);
  });

  it('an import into a workspace that has them keeps them current', async () => {
    // Half new people, half already known (their company changes): the bulk path (many new leads).
    const lines = ['Email,First Name,Last Name,Company'];
    for (let i = 2000; i < 5000; i++)
      lines.push(`p${i}@mail${i % 13}.example,Ann${i % 17},Lee${i % 211},Acme ${i % 5}`);
    const file = join(dir, 'more.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    await backend.invoke('import-run', { path: file, options: { kind: 'leads', update: 'overwrite' } });
    expect(db().prepare('SELECT count(*) FROM leads').pluck().get()).toBe(5000);
    expect(exists('leads_g_company')).toBe(true);
    expect(exists('leads_search')).toBe(true);
    for (const dir of ['asc', 'desc'] as const) {
      for (const offset of [0, 2500, 4980]) {
        expect(await page({ sort: { column: 'company', dir }, offset })).toEqual(plainSorted(dir, offset));
      }
    }
    for (const s of [...SEARCHES, 'acme', 'p4999@'])
      expect({ s, ids: await searched(s) }).toEqual({ s, ids: plainSearch(s) });
    expect((await searched('acme')).length).toBeGreaterThan(0);
  });

  it('they survive a reopen and are used from then on, not built again', async () => {
    const schemaBefore = db().prepare('SELECT name, sql FROM sqlite_schema ORDER BY name').all();
    backend.close();
    backend = createBackend({ workspacePath: path, scoringHelperEntry: null });
    expect(db().prepare('SELECT name, sql FROM sqlite_schema ORDER BY name').all()).toEqual(schemaBefore);
    expect(await page({ sort: { column: 'company', dir: 'desc' }, offset: 100 })).toEqual(plainSorted('desc', 100));
    expect(await searched('firm ltd')).toEqual(plainSearch('firm ltd'));
    expect(db().prepare('SELECT name, sql FROM sqlite_schema ORDER BY name').all()).toEqual(schemaBefore);
  });
});
