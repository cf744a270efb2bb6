import { beforeAll, describe, expect, it } from 'vitest';
import type { Events, LeadSelectionInput } from '../../../shared/contract';
import { leadKeyStore } from '../../../electron/backend/services/leads/lead-keys';
import { tempBackend } from '../helpers';
import { insertActivity, insertLead, seedPeople } from './seed';

const events: Events['data-changed'][] = [];
const backend = tempBackend({
  now: () => 1_800_000_000_000,
  emit: (name, payload) => name === 'data-changed' && events.push(payload as Events['data-changed']),
});
let ids: Record<string, number> = {};

beforeAll(() => {
  ids = seedPeople(backend.context.db());
});

const db = () => backend.context.db();
const lead = (id: number) =>
  db().prepare('SELECT * FROM leads WHERE id = ?').get(id) as Record<string, unknown> | undefined;
const hot: LeadSelectionInput & { kind: 'query' } = {
  kind: 'query',
  query: { filters: [{ column: 'segment', op: 'in', values: ['Hot'] }] },
};

describe('selection', () => {
  it('counts "all matching" in SQL, minus unticked rows', async () => {
    expect(await backend.invoke('leads-select', { selection: hot })).toEqual({ count: 2 });
    expect(await backend.invoke('leads-select', { selection: { ...hot, exceptIds: [ids.eve!] } })).toEqual({
      count: 1,
    });
    expect(await backend.invoke('leads-select', { selection: { kind: 'ids', ids: [ids.alice!, 999_999] } })).toEqual({
      count: 1,
    });
  });
});

describe('bulk actions and undo', () => {
  it('assigns an owner to every matching lead, and undo puts the previous owners back', async () => {
    const r = await backend.invoke('leads-bulk', {
      selection: hot,
      action: { kind: 'assign-owner', ownerId: ids.bob! },
    });
    expect(r).toMatchObject({ affected: 2, undoable: true, label: 'Assigned 2 leads to Bob Owner' });
    expect(lead(ids.alice!)).toMatchObject({ owner_id: ids.bob, owner_name: 'Bob Owner' });
    expect(lead(ids.eve!)).toMatchObject({ owner_id: ids.bob, owner_name: 'Bob Owner' });
    expect(events.at(-1)?.tables).toContain('leads');
    const u = await backend.invoke('leads-bulk-undo', { batchId: r.batchId! });
    expect(u.restored).toBe(2);
    expect(lead(ids.alice!)).toMatchObject({ owner_id: ids.ann, owner_name: 'Ann Owner' });
    expect(lead(ids.eve!)).toMatchObject({ owner_id: null, owner_name: null });
    const again = await backend.handle('leads-bulk-undo', { batchId: r.batchId! });
    expect(again).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('sets a stage with stage history, and undo moves them back (recorded too)', async () => {
    const r = await backend.invoke('leads-bulk', {
      selection: { kind: 'ids', ids: [ids.alice!, ids.chen!] },
      action: { kind: 'set-stage', stage: 'sal' },
    });
    expect(r.affected).toBe(2);
    expect(lead(ids.chen!)?.stage).toBe('sal');
    const hist = db()
      .prepare('SELECT from_stage, to_stage FROM stage_changes WHERE lead_id = ? ORDER BY id')
      .all(ids.chen!);
    expect(hist).toEqual([{ from_stage: 'new', to_stage: 'sal' }]);
    await backend.invoke('leads-bulk-undo', { batchId: r.batchId! });
    expect(lead(ids.chen!)?.stage).toBe('new');
    expect(
      db().prepare('SELECT to_stage FROM stage_changes WHERE lead_id = ? ORDER BY id').pluck().all(ids.chen!),
    ).toEqual(['sal', 'new']);
    const bad = await backend.handle('leads-bulk', {
      selection: hot,
      action: { kind: 'set-stage', stage: 'nonsense' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('adds and removes a tag (indexed for the tag filter), undo restores the tags', async () => {
    const r = await backend.invoke('leads-bulk', { selection: hot, action: { kind: 'add-tag', tag: 'event-2026' } });
    expect(r.affected).toBe(2);
    expect(JSON.parse(lead(ids.alice!)!.tags as string)).toEqual(['vip', 'q3', 'event-2026']);
    const tagged = await backend.invoke('leads-query', {
      filters: [{ column: 'tags', op: 'in', values: ['event-2026'] }],
    });
    expect(tagged.total).toBe(2);
    const again = await backend.invoke('leads-bulk', {
      selection: hot,
      action: { kind: 'add-tag', tag: 'event-2026' },
    });
    expect(again.affected).toBe(0);
    await backend.invoke('leads-bulk-undo', { batchId: r.batchId! });
    expect(JSON.parse(lead(ids.alice!)!.tags as string)).toEqual(['vip', 'q3']);
    expect(
      (await backend.invoke('leads-query', { filters: [{ column: 'tags', op: 'in', values: ['event-2026'] }] })).total,
    ).toBe(0);
    const rm = await backend.invoke('leads-bulk', { selection: hot, action: { kind: 'remove-tag', tag: 'vip' } });
    expect(rm.affected).toBe(2);
    expect(JSON.parse(lead(ids.eve!)!.tags as string)).toEqual([]);
    await backend.invoke('leads-bulk-undo', { batchId: rm.batchId! });
    expect(JSON.parse(lead(ids.eve!)!.tags as string)).toEqual(['vip']);
  });

  it('suppresses and unsuppresses by hand; the Suppressed count follows; undo restores', async () => {
    const before = (await backend.invoke('leads-counts', {})).suppressed;
    const r = await backend.invoke('leads-bulk', {
      selection: { kind: 'ids', ids: [ids.bruno!] },
      action: { kind: 'suppress', reason: 'Asked not to be contacted' },
    });
    expect(lead(ids.bruno!)).toMatchObject({ manual_suppression: 'Asked not to be contacted' });
    expect(lead(ids.bruno!)!.suppressed_reason).toContain('Asked not to be contacted');
    expect((await backend.invoke('leads-counts', {})).suppressed).toBe(before + 1);
    const un = await backend.invoke('leads-bulk', {
      selection: { kind: 'ids', ids: [ids.bruno!, ids.dora!] },
      action: { kind: 'unsuppress' },
    });
    expect(un.affected).toBe(1);
    expect(lead(ids.bruno!)).toMatchObject({ manual_suppression: null, suppressed_reason: null });
    await backend.invoke('leads-bulk-undo', { batchId: un.batchId! });
    expect(lead(ids.bruno!)).toMatchObject({ manual_suppression: 'Asked not to be contacted' });
    await backend.invoke('leads-bulk-undo', { batchId: r.batchId! });
    expect(lead(ids.bruno!)).toMatchObject({ manual_suppression: null, suppressed_reason: null });
  });

  it('deletes only with a matching confirmation, and undo restores leads with activities, notes and search', async () => {
    const a1 = insertActivity(db(), ids.alice!, 'download', 'Pricing guide', 1_700_000_100_000);
    await backend.invoke('lead-note-add', { leadId: ids.alice!, body: 'Met at the fair' });
    db()
      .prepare('INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at, actor) VALUES (?, ?, ?, ?, ?)')
      .run(ids.alice!, null, 'new', 1, 'import');
    const selection: LeadSelectionInput = { kind: 'query', query: { search: 'acme' } };
    const unconfirmed = await backend.handle('leads-bulk', { selection, action: { kind: 'delete' } });
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const stale = await backend.handle('leads-bulk', { selection, action: { kind: 'delete' }, confirmCount: 3 });
    expect(stale).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { count: 2 } } });

    // Alice came from a file keyed by an ID column: the key must come back with her.
    expect(leadKeyStore(db()).add(ids.alice!, 'Prospect ID', 'P-1')).toBe(true);
    const snapshot = lead(ids.alice!);
    const r = await backend.invoke('leads-bulk', { selection, action: { kind: 'delete' }, confirmCount: 2 });
    expect(r).toMatchObject({ affected: 2, label: 'Deleted 2 leads', undoable: true });
    expect(await backend.invoke('backups-list', {})).toEqual([
      expect.objectContaining({ kind: 'auto', reason: 'bulk delete', exists: true }),
    ]);
    expect(lead(ids.alice!)).toBeUndefined();
    expect(db().prepare('SELECT count(*) FROM activities WHERE lead_id = ?').pluck().get(ids.alice!)).toBe(0);
    expect((await backend.invoke('leads-query', { search: 'acme' })).total).toBe(0);
    expect((await backend.invoke('leads-counts', {})).total).toBe(3);

    expect(leadKeyStore(db()).find('Prospect ID', 'P-1')).toBeUndefined();
    const u = await backend.invoke('leads-bulk-undo', { batchId: r.batchId! });
    expect(u.restored).toBe(2);
    expect(lead(ids.alice!)).toEqual(snapshot);
    expect(leadKeyStore(db()).find('Prospect ID', 'P-1')).toBe(ids.alice!);
    expect(db().prepare('SELECT id FROM activities WHERE lead_id = ?').pluck().all(ids.alice!)).toEqual([a1]);
    const detail = await backend.invoke('lead-get', { id: ids.alice! });
    expect(detail.notes.map((n) => n.body)).toEqual(['Met at the fair']);
    expect(detail.stageHistory.length).toBeGreaterThan(0);
    expect((await backend.invoke('leads-query', { search: 'acme' })).total).toBe(2);
    expect(
      (await backend.invoke('leads-query', { filters: [{ column: 'tags', op: 'in', values: ['vip'] }] })).total,
    ).toBe(2);
  });

  it('refuses to restore deleted leads whose email came back meanwhile, changing nothing', async () => {
    const id = insertLead(db(), { email: 'temp@zeta.com', company: 'Zeta' });
    const r = await backend.invoke('leads-bulk', {
      selection: { kind: 'ids', ids: [id] },
      action: { kind: 'delete' },
      confirmCount: 1,
    });
    insertLead(db(), { email: 'temp@zeta.com', company: 'Zeta again' });
    const u = await backend.handle('leads-bulk-undo', { batchId: r.batchId! });
    expect(u).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(db().prepare("SELECT company FROM leads WHERE email_norm = 'temp@zeta.com'").pluck().all()).toEqual([
      'Zeta again',
    ]);
  });

  it('an empty selection does nothing and is not undoable', async () => {
    const r = await backend.invoke('leads-bulk', {
      selection: { kind: 'query', query: { search: 'no-such-lead-anywhere' } },
      action: { kind: 'add-tag', tag: 'x' },
    });
    expect(r).toEqual({ batchId: null, affected: 0, label: 'No leads selected', undoable: false });
  });
});
