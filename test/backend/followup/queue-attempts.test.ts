import { describe, expect, it } from 'vitest';
import { applyMqlTransitions } from '../../../electron/backend/services/followup/mql';
import { addLead, addOwner, followupBackend, leadRow } from './helpers';

const H = 3_600_000;

async function setup() {
  const ctx = followupBackend('2026-01-06T09:00:00Z'); // Tuesday
  const { db, backend } = ctx;
  const ann = addOwner(db, 'Ann Field', 'field_rep');
  const ivy = addOwner(db, 'Ivy Inside', 'inside_sales');
  await backend.invoke('followup-settings-save', { meOwnerId: ann });
  const reasons = await backend.invoke('disposition-reasons-list', {});
  const reason = (key: string) => reasons.find((r) => r.key === key)!.id;
  return { ...ctx, ann, ivy, reason };
}

describe('the queue', () => {
  it('lists my open leads by due time with status, recommended action and attempts', async () => {
    const { db, backend, clock, ann, ivy } = await setup();
    const a1 = addLead(db, { grade: 'A1', is_mql: 1, first_name: 'Alice', company: 'Acme' });
    const a2 = addLead(db, { grade: 'A2', is_mql: 1, first_name: 'Bert' });
    const b1 = addLead(db, { grade: 'B1', is_mql: 1, first_name: 'Cleo' });
    applyMqlTransitions(db, [a1, a2, b1], clock.now);

    const mine = await backend.invoke('followup-queue', { scope: 'mine' });
    expect(mine.ownerId).toBe(ann);
    expect(mine.items.map((i) => [i.leadId, i.dueAt, i.status])).toEqual([
      [a1, clock.now + 4 * H, 'on_time'],
      [a2, clock.now + 48 * H, 'on_time'],
    ]);
    expect(mine.items[0]).toMatchObject({
      name: 'Alice',
      company: 'Acme',
      grade: 'A1',
      stage: 'mql',
      ownerName: 'Ann Field',
      attempts: 0,
      attemptsRequired: 3,
      recommendedAction: 'Call now and offer a product demo',
      channel: 'call',
    });
    const all = await backend.invoke('followup-queue', { scope: 'all' });
    expect(all.items.map((i) => i.leadId)).toEqual([a1, b1, a2]);
    expect(all.items[1]!.ownerId).toBe(ivy);
    const ivys = await backend.invoke('followup-queue', { scope: 'owner', ownerId: ivy });
    expect(ivys.items.map((i) => i.leadId)).toEqual([b1]);

    clock.advance(3.5); // within the last quarter of A1's 4 hours
    let q = await backend.invoke('followup-queue', { scope: 'mine' });
    expect(q.items[0]!.status).toBe('due_soon');
    expect(q.counts).toMatchObject({ due_soon: 1, on_time: 1 });
    clock.advance(1);
    q = await backend.invoke('followup-queue', { scope: 'mine', statuses: ['overdue'] });
    expect(q.items.map((i) => i.leadId)).toEqual([a1]);
    expect(q.total).toBe(1);
    expect(
      (await backend.invoke('followup-queue', { scope: 'all', search: 'cle' })).items.map((i) => i.leadId),
    ).toEqual([b1]);
  });

  it('needs "me" for scope mine', async () => {
    const { backend } = followupBackend();
    await expect(backend.invoke('followup-queue', { scope: 'mine' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('notifies once per lead when my lead becomes due soon, unless turned off', async () => {
    const { db, backend, clock } = await setup();
    const a1 = addLead(db, { grade: 'A1', is_mql: 1 });
    applyMqlTransitions(db, [a1], clock.now);
    expect(await backend.invoke('followup-due-soon', {})).toEqual([]);
    clock.advance(3.2);
    expect((await backend.invoke('followup-due-soon', {})).map((i) => i.leadId)).toEqual([a1]);
    expect(await backend.invoke('followup-due-soon', {})).toEqual([]);

    const other = addLead(db, { grade: 'A1', is_mql: 1 });
    applyMqlTransitions(db, [other], clock.now);
    await backend.invoke('followup-settings-save', { notifyDueSoon: false });
    clock.advance(3.5);
    expect(await backend.invoke('followup-due-soon', {})).toEqual([]);
  });
});

describe('attempts and dispositions', () => {
  it('"No answer" is a first attempt: it meets the SLA but leaves the lead in MQL; reaching the lead accepts it (SAL)', async () => {
    const { db, backend, clock, ann } = await setup();
    const a1 = addLead(db, { grade: 'A1', is_mql: 1 });
    applyMqlTransitions(db, [a1], clock.now);
    const mqlAt = clock.now;
    clock.advance(2);
    const { attempt, item } = await backend.invoke('attempt-log', {
      leadId: a1,
      channel: 'call',
      outcome: 'no_answer',
      note: 'rang twice',
    });
    expect(attempt).toMatchObject({
      leadId: a1,
      ownerId: ann,
      channel: 'call',
      outcome: 'no_answer',
      note: 'rang twice',
      attemptedAt: clock.now,
      actor: 'ann.field@example.com',
    });
    expect(item).toMatchObject({
      status: 'met',
      attempts: 1,
      firstContactAt: clock.now,
      stage: 'mql',
      nextAt: clock.now + 24 * H,
    });
    expect(item!.recommendedAction).toBe('Attempt 2 of 3: Call now and offer a product demo');
    expect(leadRow(db, a1)).toMatchObject({ stage: 'mql', sla_due_at: null });
    // Voicemail is no contact either; a connected call is, and accepts the lead.
    clock.advance(1);
    await backend.invoke('attempt-log', { leadId: a1, channel: 'call', outcome: 'left_voicemail' });
    expect(leadRow(db, a1).stage).toBe('mql');
    clock.advance(1);
    const reached = await backend.invoke('attempt-log', { leadId: a1, channel: 'call', outcome: 'connected' });
    expect(reached.item).toMatchObject({ status: 'met', attempts: 3, firstContactAt: mqlAt + 2 * H, stage: 'sal' });
    const detail = await backend.invoke('followup-lead', { leadId: a1 });
    expect(detail.stageChanges.map((c) => [c.fromStage, c.toStage, c.actor])).toEqual([
      ['mql', 'sal', 'ann.field@example.com'],
      ['new', 'mql', 'system'],
    ]);
    expect(detail.item!.mqlAt).toBe(mqlAt);
  });

  it("moves stages on attempts by the workspace's stage rule: any attempt, reached only, or by hand", async () => {
    const { db, backend, clock } = await setup();
    const leads = [1, 2, 3].map(() => addLead(db, { grade: 'A1', is_mql: 1 }));
    applyMqlTransitions(db, leads, clock.now);
    expect((await backend.invoke('followup-settings-get', {})).acceptOn).toBe('reached');
    const rules = ['any_attempt', 'manual', 'reached'] as const;
    for (const [i, acceptOn] of rules.entries()) {
      await backend.invoke('followup-settings-save', { acceptOn });
      await backend.invoke('attempt-log', { leadId: leads[i]!, channel: 'call', outcome: 'no_answer' });
    }
    expect(leads.map((id) => leadRow(db, id).stage)).toEqual(['sal', 'mql', 'mql']);
    await backend.invoke('followup-settings-save', { acceptOn: 'manual' });
    await backend.invoke('attempt-log', { leadId: leads[1]!, channel: 'call', outcome: 'meeting_booked' });
    expect(leadRow(db, leads[1]!).stage).toBe('mql');
    await expect(backend.invoke('followup-settings-save', { acceptOn: 'sometimes' as never })).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
    });
  });

  it('marks a late first contact as breached', async () => {
    const { db, backend, clock } = await setup();
    const a1 = addLead(db, { grade: 'A1', is_mql: 1 });
    applyMqlTransitions(db, [a1], clock.now);
    clock.advance(5);
    const { item } = await backend.invoke('attempt-log', { leadId: a1, channel: 'email', outcome: 'email_sent' });
    expect(item!.status).toBe('breached');
  });

  it('refuses "could not reach" before the required attempts, then closes the follow-up as recycled', async () => {
    const { db, backend, clock, reason } = await setup();
    const a1 = addLead(db, { grade: 'A1', is_mql: 1 });
    applyMqlTransitions(db, [a1], clock.now);
    for (let i = 0; i < 2; i++) {
      clock.advance(1);
      await backend.invoke('attempt-log', { leadId: a1, channel: 'call', outcome: 'left_voicemail' });
    }
    await expect(
      backend.invoke('disposition-set', { leadIds: [a1], reasonId: reason('could_not_reach') }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/needs 3 attempts first \(2 logged\)/),
    });
    clock.advance(1);
    await backend.invoke('attempt-log', { leadId: a1, channel: 'call', outcome: 'bad_number' });
    expect((await backend.invoke('followup-lead', { leadId: a1 })).item!.recommendedAction).toMatch(
      /Bad contact details/,
    );
    const r = await backend.invoke('disposition-set', {
      leadIds: [a1],
      reasonId: reason('could_not_reach'),
      note: 'three strikes',
    });
    expect(r).toEqual({ changed: 1, refused: [] });
    expect(leadRow(db, a1).stage).toBe('recycled');
    expect((await backend.invoke('followup-queue', { scope: 'mine' })).items).toEqual([]);
    const detail = await backend.invoke('followup-lead', { leadId: a1 });
    expect(detail.dispositions).toEqual([expect.objectContaining({ label: 'Could not reach', note: 'three strikes' })]);
    expect(detail.stageChanges[0]).toMatchObject({
      fromStage: 'mql',
      toStage: 'recycled',
      reason: 'disposition: Could not reach',
    });
  });

  it('dispositions with a sub-reason move the lead to the reason stage; a recycled lead can become MQL again', async () => {
    const { db, backend, clock, reason } = await setup();
    const [x, y] = [addLead(db, { grade: 'A1', is_mql: 1 }), addLead(db, { grade: 'A2', is_mql: 1 })];
    applyMqlTransitions(db, [x, y], clock.now);
    await backend.invoke('disposition-set', { leadIds: [x], reasonId: reason('no_budget') });
    expect(leadRow(db, x).stage).toBe('disqualified');
    await backend.invoke('disposition-set', { leadIds: [y], reasonId: reason('not_now') });
    expect(leadRow(db, y).stage).toBe('recycled');
    clock.advance(30 * 24);
    applyMqlTransitions(db, [x, y], clock.now);
    expect(leadRow(db, x).stage).toBe('disqualified');
    expect(leadRow(db, y)).toMatchObject({ stage: 'mql', sla_due_at: clock.now + 48 * H });
    const item = (await backend.invoke('followup-lead', { leadId: y })).item!;
    expect(item).toMatchObject({ attempts: 0, mqlAt: clock.now, status: 'on_time' });
  });

  it('validates attempt input at the boundary', async () => {
    const { db, backend, clock } = await setup();
    const lead = addLead(db);
    const bad = await backend.handle('attempt-log', { leadId: lead, channel: 'fax', outcome: 'connected' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    await expect(
      backend.invoke('attempt-log', { leadId: 424242, channel: 'call', outcome: 'connected' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      backend.invoke('attempt-log', { leadId: lead, channel: 'call', outcome: 'connected', at: clock.now + 2 * H }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('SLA policies and settings', () => {
  it('a policy edit re-plans waiting leads; bad zones and schedules are refused', async () => {
    const { db, backend, clock } = await setup();
    const c3 = addLead(db, { grade: 'C3', is_mql: 1 });
    applyMqlTransitions(db, [c3], clock.now);
    expect(leadRow(db, c3).sla_due_at).toBe(clock.now + 48 * H);
    const policy = (await backend.invoke('sla-policies-list', {})).find((p) => p.grades.includes('C3'))!;
    await backend.invoke('sla-policy-save', { ...policy, hours: 8, businessHours: true, timeZone: 'Europe/Berlin' });
    // Tuesday 09:00 UTC = 10:00 Berlin; 8 business hours (09-17) end Wednesday 10:00 Berlin = 09:00 UTC.
    expect(leadRow(db, c3).sla_due_at).toBe(Date.parse('2026-01-07T09:00:00Z'));
    await expect(backend.invoke('sla-policy-save', { ...policy, timeZone: 'Mars/Base' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    await expect(
      backend.invoke('sla-policy-save', { ...policy, businessHours: true, schedule: closed }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    const created = await backend.invoke('sla-policy-save', {
      ...policy,
      id: undefined,
      name: 'Enterprise',
      segments: ['Enterprise'],
    });
    const all = await backend.invoke('sla-policies-list', {});
    // A new policy goes above the catch-all "Everyone else", where it can apply.
    expect(all.at(-2)!.id).toBe(created.id);
    expect(all.at(-1)!.name).toBe('Everyone else');
    await backend.invoke('sla-policies-reorder', {
      ids: [created.id, ...all.filter((p) => p.id !== created.id).map((p) => p.id)],
    });
    expect((await backend.invoke('sla-policies-list', {}))[0]!.name).toBe('Enterprise');
    await backend.invoke('sla-policy-delete', { id: created.id });
  });

  it('moves every policy to one time zone and re-plans waiting leads', async () => {
    const { db, backend, clock } = await setup(); // Tuesday 09:00 UTC = 04:00 in New York
    const a1 = addLead(db, { grade: 'A1', is_mql: 1 });
    applyMqlTransitions(db, [a1], clock.now);
    expect(leadRow(db, a1).sla_due_at).toBe(Date.parse('2026-01-06T13:00:00Z'));
    const all = await backend.invoke('sla-policies-set-zone', { timeZone: 'America/New_York' });
    expect(new Set(all.map((p) => p.timeZone))).toEqual(new Set(['America/New_York']));
    // New York opens at 09:00 EST = 14:00 UTC; 4 business hours end at 18:00 UTC.
    expect(leadRow(db, a1).sla_due_at).toBe(Date.parse('2026-01-06T18:00:00Z'));
    await expect(backend.invoke('sla-policies-set-zone', { timeZone: 'Nowhere/City' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('stages can be renamed and reordered but not dropped', async () => {
    const { backend } = await setup();
    const stages = await backend.invoke('stages-list', {});
    expect(stages.map((s) => s.key)).toEqual([
      'new',
      'mql',
      'sal',
      'sql',
      'opportunity',
      'won',
      'lost',
      'recycled',
      'disqualified',
    ]);
    const renamed = stages.map((s) => ({ key: s.key, label: s.key === 'sal' ? 'Accepted' : s.label })).reverse();
    const saved = await backend.invoke('stages-save', { stages: renamed });
    expect(saved[0]!.key).toBe('disqualified');
    expect(saved.find((s) => s.key === 'sal')!.label).toBe('Accepted');
    await expect(backend.invoke('stages-save', { stages: renamed.slice(1) })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });

  it('owners CRUD with unique emails; deleting unassigns their leads', async () => {
    const { db, backend } = await setup();
    const o = await backend.invoke('owner-save', { name: 'Zed', email: 'zed@example.com', role: 'sdr', team: 'North' });
    expect(o).toMatchObject({ name: 'Zed', role: 'sdr', team: 'North', active: true, openLeads: 0 });
    await expect(
      backend.invoke('owner-save', { name: 'Zed 2', email: 'ZED@example.com', role: 'sdr' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    const lead = addLead(db, { owner_id: o.id });
    await backend.invoke('owner-delete', { id: o.id });
    expect(leadRow(db, lead).owner_id).toBeNull();
    expect((await backend.invoke('owners-list', {})).map((x) => x.name)).toEqual(['Ann Field', 'Ivy Inside']);
  });

  it('disposition reasons are configurable, one level of sub-reasons', async () => {
    const { backend, reason } = await setup();
    const r = await backend.invoke('disposition-reason-save', {
      label: 'Wrong country',
      parentId: reason('unqualified'),
      toStage: 'disqualified',
    });
    expect(r.key).toBe('wrong_country');
    await expect(
      backend.invoke('disposition-reason-save', { label: 'Deeper', parentId: r.id, toStage: 'disqualified' }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
