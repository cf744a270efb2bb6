import { beforeAll, describe, expect, it } from 'vitest';
import { tempBackend } from '../helpers';
import { rescoreLeads } from '../../../electron/backend/services/scoring/rescore';
import { insertActivity, seedPeople } from './seed';

const backend = tempBackend({ now: () => 1_800_000_000_000 });
let ids: Record<string, number> = {};
const db = () => backend.context.db();

beforeAll(() => {
  ids = seedPeople(db());
  const imp = db()
    .prepare(
      "INSERT INTO imports (file_name, file_path, kind, status, started_at) VALUES ('webinar.csv', '/x/webinar.csv', 'activities', 'done', 0)",
    )
    .run().lastInsertRowid;
  insertActivity(db(), ids.alice!, 'page_visit', '/pricing', 1_700_000_000_000);
  insertActivity(db(), ids.alice!, 'webinar_attended', 'Scoring 101', 1_700_300_000_000, Number(imp));
  insertActivity(db(), ids.alice!, 'email_open', 'Newsletter', 1_700_200_000_000);
  rescoreLeads(db(), [ids.alice!], 1_800_000_000_000);
});

describe('lead-get', () => {
  it('returns all fields incl. custom, the ledger in plain words, the timeline newest first with its import', async () => {
    const d = await backend.invoke('lead-get', { id: ids.alice! });
    expect(d.lead).toMatchObject({
      email: 'alice@acme.com',
      custom: { Budget: '50000', Region: 'West' },
      owner_name: 'Ann Owner',
    });
    expect(d.activities.map((a) => a.asset)).toEqual(['Scoring 101', 'Newsletter', '/pricing']);
    expect(d.activities[0]).toMatchObject({ label: 'Webinar attendance', import_name: 'webinar.csv' });
    expect(d.activities[2]!.import_name).toBeNull();
    expect(d.activityCount).toBe(3);
    // Scored by the real scoring service under the default model: the ledger sums to the score.
    const scored = db().prepare('SELECT score_total FROM leads WHERE id = ?').pluck().get(ids.alice!) as number;
    expect(d.ledger.length).toBeGreaterThan(0);
    expect(d.ledger.every((l) => l.text.length > 0)).toBe(true);
    expect(d.ledger.reduce((sum, l) => sum + l.points, 0)).toBe(scored);
    expect(d.ledger.map((l) => l.text).join('\n')).toMatch(/Scoring 101|pricing|Newsletter|CTO/i);
    expect(d.ledgerSummary).toMatch(
      new RegExp(`^Score ${scored} under ".+": fit -?\\d+, engagement -?\\d+, grade \\w+, segment .+`),
    );
    expect(d.scoreHistory.length).toBeGreaterThan(0);
    expect(d.scoreHistory.at(-1)!.total).toBe(scored);
  });

  it('reports a missing lead as NOT_FOUND', async () => {
    expect(await backend.handle('lead-get', { id: 987654 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('lead-activities', () => {
  it('pages a long timeline newest first to its end, ties on the same instant included, no repeats', async () => {
    // 1,203 activities, three on each instant: keyset paging must not skip or repeat ties.
    const insert = db().prepare(
      "INSERT INTO activities (lead_id, type, asset, occurred_at) VALUES (?, 'page_visit', ?, ?)",
    );
    db().transaction(() => {
      for (let i = 0; i < 1203; i++)
        insert.run(ids.dora!, `/page/${i}`, 1_600_000_000_000 + Math.floor(i / 3) * 60_000);
    })();
    const expected = db()
      .prepare('SELECT id FROM activities WHERE lead_id = ? ORDER BY occurred_at DESC, id DESC')
      .pluck()
      .all(ids.dora!);
    const first = await backend.invoke('lead-get', { id: ids.dora! });
    expect(first.activityCount).toBe(1203);
    expect(first.activities).toHaveLength(500);
    const seen = first.activities.map((a) => a.id);
    let last = first.activities.at(-1)!;
    for (;;) {
      const page = await backend.invoke('lead-activities', {
        id: ids.dora!,
        before: { occurredAt: last.occurred_at, id: last.id },
        limit: 500,
      });
      if (page.length === 0) break;
      expect(page[0]!.label).toBe('Page visit');
      seen.push(...page.map((a) => a.id));
      last = page.at(-1)!;
    }
    expect(seen).toEqual(expected);
  });

  it('refuses a page size over 2,000', async () => {
    const r = await backend.handle('lead-activities', { id: ids.dora!, before: { occurredAt: 0, id: 1 }, limit: 5000 });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
  });
});

describe('lead-update', () => {
  it('edits standard and custom fields and tags, keeping search and tag indexes in step', async () => {
    const d = await backend.invoke('lead-update', {
      id: ids.bruno!,
      fields: { company: 'Globex International', company_size: 45, title: '  ' },
      custom: { Budget: '9000', Region: 'North' },
      tags: ['partner'],
    });
    expect(d.lead).toMatchObject({ company: 'Globex International', company_size: 45, title: null, tags: ['partner'] });
    expect(d.lead.custom).toEqual({ Budget: '9000', Region: 'North' });
    expect(d.lead.updated_at).toBe(1_800_000_000_000);
    expect((await backend.invoke('leads-query', { search: 'international' })).rows.map((r) => r.id)).toEqual([
      ids.bruno,
    ]);
    expect(
      (await backend.invoke('leads-query', { filters: [{ column: 'tags', op: 'in', values: ['partner'] }] })).total,
    ).toBe(1);
    const removed = await backend.invoke('lead-update', { id: ids.bruno!, custom: { Region: null } });
    expect(removed.lead.custom).toEqual({ Budget: '9000' });
  });

  it('changes email (normalized), stage (with history) and owner', async () => {
    const d = await backend.invoke('lead-update', {
      id: ids.chen!,
      fields: { email: 'Chen.Cole@Initech.com', stage: 'sal', owner_id: ids.bob! },
    });
    expect(d.lead).toMatchObject({ email: 'Chen.Cole@Initech.com', stage: 'sal', owner_name: 'Bob Owner' });
    expect(db().prepare('SELECT email_norm FROM leads WHERE id = ?').pluck().get(ids.chen!)).toBe(
      'chen.cole@initech.com',
    );
    expect(d.stageHistory[0]).toMatchObject({ from_stage: 'new', to_stage: 'sal' });
  });

  it('validates: malformed values are BAD_ARGUMENT, conflicts are VALIDATION, nothing changes', async () => {
    const before = await backend.invoke('lead-get', { id: ids.eve! });
    const cases: [unknown, string][] = [
      [{ email: 'not-an-email' }, 'BAD_ARGUMENT'],
      [{ company_size: 12.5 }, 'BAD_ARGUMENT'],
      [{ company_size: -3 }, 'BAD_ARGUMENT'],
      [{ phone: 'call me maybe' }, 'BAD_ARGUMENT'],
      [{ score_total: 100 }, 'BAD_ARGUMENT'],
      [{ email: 'alice@acme.com' }, 'VALIDATION'],
      [{ stage: 'no-such-stage' }, 'VALIDATION'],
      [{ owner_id: 424242 }, 'VALIDATION'],
    ];
    for (const [fields, code] of cases) {
      const r = await backend.handle('lead-update', { id: ids.eve!, fields });
      expect(r, JSON.stringify(fields)).toMatchObject({ ok: false, error: { code } });
    }
    expect((await backend.invoke('lead-get', { id: ids.eve! })).lead).toEqual(before.lead);
  });
});

describe('notes and saved views', () => {
  it('adds and deletes notes, newest first', async () => {
    const a = await backend.invoke('lead-note-add', { leadId: ids.dora!, body: 'Called, no answer' });
    await backend.invoke('lead-note-add', { leadId: ids.dora!, body: 'Second try' });
    expect((await backend.invoke('lead-get', { id: ids.dora! })).notes.map((n) => n.body)).toEqual([
      'Second try',
      'Called, no answer',
    ]);
    expect(await backend.invoke('lead-note-delete', { id: a.id })).toEqual({ deleted: true });
    expect((await backend.invoke('lead-get', { id: ids.dora! })).notes).toHaveLength(1);
    expect(await backend.handle('lead-note-add', { leadId: ids.dora!, body: '   ' })).toMatchObject({ ok: false });
  });

  it('saves, renames, lists and deletes views; names are unique', async () => {
    const v = await backend.invoke('view-save', {
      name: 'Hot in the US',
      query: {
        filters: [
          { column: 'segment', op: 'in', values: ['Hot'] },
          { column: 'country', op: 'in', values: ['US'] },
        ],
        sort: { column: 'score_total', dir: 'desc' },
      },
      columns: [{ key: 'name', width: 200 }, { key: 'score_total' }],
    });
    expect(v.query.sort).toEqual({ column: 'score_total', dir: 'desc' });
    expect(await backend.handle('view-save', { name: 'hot in the us', query: {} })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    const renamed = await backend.invoke('view-save', {
      id: v.id,
      name: 'US hot leads',
      query: v.query,
      columns: [...v.columns],
    });
    expect((await backend.invoke('views-list', {})).map((x) => x.name)).toEqual(['US hot leads']);
    const page = await backend.invoke('leads-query', { ...renamed.query });
    const expected = db()
      .prepare("SELECT email FROM leads WHERE segment = 'Hot' AND country = 'US' ORDER BY score_total DESC, id DESC")
      .pluck()
      .all();
    expect(expected.length).toBeGreaterThan(0);
    expect(page.rows.map((r) => r.email)).toEqual(expected);
    expect(await backend.invoke('view-delete', { id: v.id })).toEqual({ deleted: true });
    expect(await backend.invoke('views-list', {})).toEqual([]);
  });
});
