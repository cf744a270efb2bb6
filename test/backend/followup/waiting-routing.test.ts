/**
 * Routing from the first run: the app's user becomes the first owner of a workspace without
 * owners; MQLs that waited unassigned are routed when an owner or a rule arrives; rules are
 * ordered explicitly and a new rule goes above the catch-all, where it can fire.
 */
import { describe, expect, it } from 'vitest';
import { applyMqlTransitions } from '../../../electron/backend/services/followup/mql';
import { ensureMeOwner } from '../../../electron/backend/services/followup/waiting';
import { osUser } from '../../../electron/backend/os-user';
import { addLead, addOwner, followupBackend, leadRow } from './helpers';

describe('waiting MQLs and the first owner', () => {
  it('routes the MQLs that waited without owners once an owner is added', async () => {
    const { backend, db, clock } = followupBackend();
    const leads = [addLead(db, { grade: 'B1', is_mql: 1 }), addLead(db, { grade: 'C3', is_mql: 1 })];
    applyMqlTransitions(db, leads, clock.now);
    // No owners: both wait unassigned, in the queue.
    expect(leads.map((id) => leadRow(db, id).owner_id)).toEqual([null, null]);
    expect(await backend.invoke('followup-waiting', {})).toEqual({ unassigned: 2 });
    expect(await backend.invoke('followup-route-waiting', {})).toEqual({ routed: 0, left: 2 });

    const ivy = await backend.invoke('owner-save', {
      name: 'Ivy Inside',
      email: 'ivy@example.com',
      role: 'inside_sales',
    });
    expect(await backend.invoke('followup-waiting', {})).toEqual({ unassigned: 2 });
    expect(await backend.invoke('followup-route-waiting', {})).toEqual({ routed: 2, left: 0 });
    expect(leads.map((id) => leadRow(db, id).owner_id)).toEqual([ivy.id, ivy.id]);
    expect(await backend.invoke('followup-waiting', {})).toEqual({ unassigned: 0 });
    const queue = await backend.invoke('followup-queue', { scope: 'owner', ownerId: ivy.id });
    expect(queue.items.map((i) => i.leadId).sort()).toEqual([...leads].sort());
    // A lead whose owner is deactivated waits again.
    await backend.invoke('owner-save', {
      id: ivy.id,
      name: 'Ivy Inside',
      email: 'ivy@example.com',
      role: 'inside_sales',
      active: false,
    });
    expect(await backend.invoke('followup-waiting', {})).toEqual({ unassigned: 2 });
  });

  it('makes the app user the first owner and "me" of a workspace without owners, routing the waiting MQLs to them', async () => {
    const { backend, db, clock } = followupBackend();
    const lead = addLead(db, { grade: 'A1', is_mql: 1 });
    applyMqlTransitions(db, [lead], clock.now);
    expect(await backend.invoke('owner-me-ensure', {})).toEqual({ created: true });
    const owners = await backend.invoke('owners-list', {});
    expect(owners).toHaveLength(1);
    expect(owners[0]).toMatchObject({ name: osUser().name, email: osUser().email, role: 'inside_sales' });
    const me = (await backend.invoke('followup-settings-get', {})).meOwnerId;
    expect(me).toBe(owners[0]!.id);
    // A1 goes to field reps first; with none, the rules fall through to the catch-all: me.
    expect(leadRow(db, lead).owner_id).toBe(me);
    // The next MQL is routed to me at once, and "My leads" shows both.
    const next = addLead(db, { grade: 'C3', is_mql: 1 });
    applyMqlTransitions(db, [next], clock.now);
    expect((await backend.invoke('followup-queue', { scope: 'mine' })).total).toBe(2);
    // Only once, and never in a workspace that already has owners.
    expect(await backend.invoke('owner-me-ensure', {})).toEqual({ created: false });
    const other = followupBackend();
    addOwner(other.db, 'Ann Field', 'field_rep');
    expect(ensureMeOwner(other.db, { name: 'X', email: 'x@example.com' }, 0)).toEqual({ created: false });
  });

  it('takes the email from $EMAIL when it is one, else the login at localhost', () => {
    expect(osUser({ EMAIL: 'pat@example.org' }).email).toBe('pat@example.org');
    expect(osUser({ EMAIL: 'not an email' }).email).toMatch(/^[^@\s]+@localhost$/);
    expect(osUser({}).name.length).toBeGreaterThan(0);
  });
});

describe('rule order', () => {
  it('adds a new routing rule above the catch-all and routes by the order set with reorder', async () => {
    const { backend, db, clock } = followupBackend();
    const ann = addOwner(db, 'Ann Field', 'field_rep');
    const ivy = addOwner(db, 'Ivy Inside', 'inside_sales');
    const before = await backend.invoke('routing-rules-list', {});
    expect(before.at(-1)!.name).toBe('Everyone else to inside sales');
    const webinar = await backend.invoke('routing-rule-save', {
      name: 'Webinar leads to Ann',
      enabled: true,
      grades: [],
      segments: [],
      conditions: [{ field: 'source', op: 'eq', value: 'webinar' }],
      targetKind: 'owner',
      targetOwnerId: ann,
      targetGroup: null,
    });
    const order = (await backend.invoke('routing-rules-list', {})).map((r) => r.name);
    expect(order).toEqual([
      'A1–A2 to field reps',
      'B1 to inside sales',
      'Webinar leads to Ann',
      'Everyone else to inside sales',
    ]);
    const c3 = addLead(db, { grade: 'C3', is_mql: 1, source: 'webinar' });
    const b1 = addLead(db, { grade: 'B1', is_mql: 1, source: 'webinar' });
    applyMqlTransitions(db, [c3, b1], clock.now);
    // The new rule fires for C3 (it sits above the catch-all); B1's own rule comes first.
    expect([leadRow(db, c3).owner_id, leadRow(db, b1).owner_id]).toEqual([ann, ivy]);

    // Moved to the top, it wins for B1 too.
    const ids = (await backend.invoke('routing-rules-list', {})).map((r) => r.id);
    const reordered = await backend.invoke('routing-rules-reorder', {
      ids: [webinar.id, ...ids.filter((id) => id !== webinar.id)],
    });
    expect(reordered[0]!.name).toBe('Webinar leads to Ann');
    const b1b = addLead(db, { grade: 'B1', is_mql: 1, source: 'webinar' });
    applyMqlTransitions(db, [b1b], clock.now);
    expect(leadRow(db, b1b).owner_id).toBe(ann);
    await expect(backend.invoke('routing-rules-reorder', { ids: ids.slice(1) })).rejects.toMatchObject({
      code: 'VALIDATION',
    });

    // A second catch-all is added last, and so is a new SLA policy's place above "Everyone else".
    const policies = await backend.invoke('sla-policies-list', {});
    const base = policies.at(-1)!;
    const { id: _id, position: _p, ...seed } = base;
    await backend.invoke('sla-policy-save', { ...seed, name: 'Events', segments: ['Event'] });
    const names = (await backend.invoke('sla-policies-list', {})).map((p) => p.name);
    expect(names.slice(-2)).toEqual(['Events', 'Everyone else']);
  });
});
