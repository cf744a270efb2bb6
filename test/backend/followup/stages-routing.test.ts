import type Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { applyMqlTransitions, MQL_REASON } from '../../../electron/backend/services/followup/mql';
import { assignOwner, changeStage, routeLeads } from '../../../electron/backend/services/followup/stages';
import { recomputeOpenDueTimes } from '../../../electron/backend/services/followup/state';
import { addLead, addOwner, followupBackend, leadRow } from './helpers';

const H = 3_600_000;

describe('automatic MQL transition', () => {
  it('moves eligible leads into MQL, records the change, starts the SLA clock and routes them', () => {
    const { db, clock } = followupBackend('2026-01-06T09:00:00Z');
    const rep = addOwner(db, 'Fiona Field', 'field_rep');
    const a1 = addLead(db, { grade: 'A1', is_mql: 1 });
    const recycled = addLead(db, { grade: 'A1', is_mql: 1, stage: 'recycled' });
    const notMql = addLead(db, { grade: 'A1', is_mql: 0 });
    const scoringSuppressed = addLead(db, { grade: 'A1', is_mql: 1, suppressed_reason: 'competitor domain' });
    const handSuppressed = addLead(db, { grade: 'A1', is_mql: 1, manual_suppression: 'asked not to be contacted' });
    const alreadySal = addLead(db, { grade: 'A1', is_mql: 1, stage: 'sal' });

    const moved = applyMqlTransitions(
      db,
      [a1, recycled, notMql, scoringSuppressed, handSuppressed, alreadySal],
      clock.now,
    );

    expect(moved).toBe(2);
    expect(leadRow(db, a1)).toMatchObject({ stage: 'mql', owner_id: rep, sla_due_at: clock.now + 4 * H });
    expect(leadRow(db, recycled).stage).toBe('mql');
    for (const id of [notMql, scoringSuppressed, handSuppressed])
      expect(leadRow(db, id)).toMatchObject({ stage: 'new', owner_id: null });
    expect(leadRow(db, alreadySal).stage).toBe('sal');

    const changes = db.prepare('SELECT * FROM stage_changes WHERE lead_id = ?').all(a1);
    expect(changes).toEqual([
      expect.objectContaining({
        from_stage: 'new',
        to_stage: 'mql',
        changed_at: clock.now,
        actor: 'system',
        reason: MQL_REASON,
      }),
    ]);
    const f = db.prepare('SELECT * FROM lead_followup WHERE lead_id = ?').get(a1) as Record<string, unknown>;
    expect(f).toMatchObject({ mql_at: clock.now, due_at: clock.now + 4 * H, status: 'open', attempts: 0 });

    // Running it again (the next rescore) changes nothing.
    clock.advance(1);
    expect(applyMqlTransitions(db, [a1, recycled], clock.now)).toBe(0);
    expect(db.prepare('SELECT count(*) AS n FROM stage_changes').get()).toEqual({ n: 2 });
  });

  it('keeps an active owner a lead already has', () => {
    const { db, clock } = followupBackend();
    addOwner(db, 'Fiona Field', 'field_rep');
    const mine = addOwner(db, 'Ian Inside', 'inside_sales');
    const lead = addLead(db, { grade: 'A1', is_mql: 1, owner_id: mine });
    applyMqlTransitions(db, [lead], clock.now);
    expect(leadRow(db, lead).owner_id).toBe(mine);
  });

  it('handles large id lists in chunks', () => {
    const { db, clock } = followupBackend();
    const ids = Array.from({ length: 1200 }, (_, i) => addLead(db, { grade: 'C3', is_mql: i % 2 }));
    expect(applyMqlTransitions(db, ids, clock.now)).toBe(600);
  });
});

describe('stage changes', () => {
  it('records time, from, to, who and why; skips leads already there; refuses unknown stages', () => {
    const { db, clock } = followupBackend();
    const a = addLead(db);
    const b = addLead(db, { stage: 'sql' });
    expect(changeStage(db, [a, b, 9999], 'sql', 'ann@example.com', 'qualified on call', clock.now)).toEqual({
      changed: 1,
      skipped: 2,
    });
    expect(
      db.prepare('SELECT lead_id, from_stage, to_stage, actor, reason, changed_at FROM stage_changes').all(),
    ).toEqual([
      {
        lead_id: a,
        from_stage: 'new',
        to_stage: 'sql',
        actor: 'ann@example.com',
        reason: 'qualified on call',
        changed_at: clock.now,
      },
    ]);
    expect(() => changeStage(db, [a], 'nowhere', 'x', null, clock.now)).toThrow(/Unknown stage/);
  });

  it('manual MQL starts the clock; leaving the queue stages closes the follow-up', () => {
    const { db, clock } = followupBackend('2026-01-09T16:00:00Z'); // Friday 16:00 UTC
    addOwner(db, 'Fiona Field', 'field_rep');
    const lead = addLead(db, { grade: 'A1' });
    changeStage(db, [lead], 'mql', 'ann', null, clock.now);
    // 4 business hours in UTC from Friday 16:00: 1h Friday + 3h Monday.
    expect(leadRow(db, lead).sla_due_at).toBe(Date.parse('2026-01-12T12:00:00Z'));
    changeStage(db, [lead], 'sal', 'ann', null, clock.now);
    expect(leadRow(db, lead).sla_due_at).not.toBeNull();
    clock.advance(1);
    changeStage(db, [lead], 'disqualified', 'ann', 'spam', clock.now);
    expect(leadRow(db, lead).sla_due_at).toBeNull();
    expect(db.prepare('SELECT status, closed_at FROM lead_followup WHERE lead_id = ?').get(lead)).toEqual({
      status: 'closed',
      closed_at: clock.now,
    });
  });

  it('assigns owners by hand and refuses inactive ones', () => {
    const { db, clock } = followupBackend();
    const o = addOwner(db, 'Olga', 'inside_sales');
    const gone = addOwner(db, 'Gone', 'inside_sales');
    db.prepare('UPDATE owners SET active = 0 WHERE id = ?').run(gone);
    const a = addLead(db);
    const b = addLead(db, { owner_id: o });
    expect(assignOwner(db, [a, b], o, clock.now)).toBe(1);
    expect(() => assignOwner(db, [a], gone, clock.now)).toThrow(/inactive/);
    expect(assignOwner(db, [a], null, clock.now)).toBe(1);
    expect(leadRow(db, a).owner_id).toBeNull();
  });
});

describe('routing', () => {
  it('routes by grade with the default rules: A1-A2 to field reps, B1 and the rest to inside sales', () => {
    const { db, clock } = followupBackend();
    const field = addOwner(db, 'Fiona Field', 'field_rep');
    const inside = addOwner(db, 'Ian Inside', 'inside_sales');
    const ids = ['A1', 'A2', 'B1', 'C3', 'D4'].map((grade) => addLead(db, { grade, is_mql: 1 }));
    applyMqlTransitions(db, ids, clock.now);
    expect(ids.map((id) => leadRow(db, id).owner_id)).toEqual([field, field, inside, inside, inside]);
  });

  it('hands leads out round robin within a group, continuing across calls', () => {
    const { db, clock } = followupBackend();
    const reps = ['Ann', 'Bob', 'Cid'].map((n) => addOwner(db, n, 'field_rep'));
    const first = Array.from({ length: 4 }, () => addLead(db, { grade: 'A1', is_mql: 1 }));
    applyMqlTransitions(db, first, clock.now);
    const second = Array.from({ length: 3 }, () => addLead(db, { grade: 'A2', is_mql: 1 }));
    applyMqlTransitions(db, second, clock.now);
    expect([...first, ...second].map((id) => leadRow(db, id).owner_id)).toEqual([
      reps[0],
      reps[1],
      reps[2],
      reps[0],
      reps[1],
      reps[2],
      reps[0],
    ]);
  });

  it('skips inactive members and falls through when a group has nobody', async () => {
    const { db, backend, clock } = followupBackend();
    const [ann, bob] = ['Ann', 'Bob'].map((n) => addOwner(db, n, 'inside_sales'));
    await backend.invoke('owner-save', {
      id: bob!,
      name: 'Bob',
      email: 'bob@example.com',
      role: 'inside_sales',
      active: false,
    });
    // No field reps at all: A1 falls through to "everyone else to inside sales".
    const leads = [addLead(db, { grade: 'A1', is_mql: 1 }), addLead(db, { grade: 'B1', is_mql: 1 })];
    applyMqlTransitions(db, leads, clock.now);
    expect(leads.map((id) => leadRow(db, id).owner_id)).toEqual([ann, ann]);
  });

  it('matches field conditions and segment lists, and can target one owner or a team', async () => {
    const { db, backend, clock } = followupBackend();
    const emea = [addOwner(db, 'Eva', 'inside_sales', 'EMEA'), addOwner(db, 'Emil', 'inside_sales', 'EMEA')];
    const vip = addOwner(db, 'Victor', 'manager');
    const vipRule = await backend.invoke('routing-rule-save', {
      name: 'Enterprise to Victor',
      segments: ['Enterprise'],
      targetKind: 'owner',
      targetOwnerId: vip,
    });
    const emeaRule = await backend.invoke('routing-rule-save', {
      name: 'Germany and France to EMEA',
      conditions: [{ field: 'country', op: 'in', value: 'Germany, France' }],
      targetKind: 'team',
      targetGroup: 'EMEA',
    });
    const rules = await backend.invoke('routing-rules-list', {});
    await backend.invoke('routing-rules-reorder', {
      ids: [
        vipRule.id,
        emeaRule.id,
        ...rules.filter((r) => r.id !== vipRule.id && r.id !== emeaRule.id).map((r) => r.id),
      ],
    });
    const leads = [
      addLead(db, { grade: 'C3', is_mql: 1, segment: 'Enterprise', country: 'Germany' }),
      addLead(db, { grade: 'C3', is_mql: 1, country: 'germany' }),
      addLead(db, { grade: 'C3', is_mql: 1, country: 'France' }),
      addLead(db, { grade: 'C3', is_mql: 1, country: 'Spain' }),
    ];
    applyMqlTransitions(db, leads, clock.now);
    // Spain matches neither new rule: the default "everyone else to inside sales" rule keeps its own rotation.
    expect(leads.map((id) => leadRow(db, id).owner_id)).toEqual([vip, emea[0], emea[1], emea[0]]);
    expect(
      (
        db.prepare('SELECT routed_rule_id FROM lead_followup WHERE lead_id = ?').get(leads[0]) as {
          routed_rule_id: number;
        }
      ).routed_rule_id,
    ).toBe(vipRule.id);

    // Custom spreadsheet columns can be tested too.
    await backend.invoke('routing-rule-save', {
      id: emeaRule.id,
      name: 'Partners to EMEA',
      conditions: [{ field: 'Partner tier', op: 'eq', value: 'gold' }],
      targetKind: 'team',
      targetGroup: 'EMEA',
    });
    const partner = addLead(db, { grade: 'C3', is_mql: 1, custom: { 'Partner Tier': 'Gold' } });
    applyMqlTransitions(db, [partner], clock.now);
    expect(leadRow(db, partner).owner_id).toBe(emea[0]);
  });

  it('refuses a rule without a target', async () => {
    const { backend } = followupBackend();
    await expect(
      backend.invoke('routing-rule-save', { name: 'x', targetKind: 'role', targetGroup: ' ' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(
      backend.invoke('routing-rule-save', { name: 'x', targetKind: 'owner', targetOwnerId: 77 }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });
});

/** Counts the statements `db` prepares that read the custom field slot list (custom-store.ts loadSlots). */
function countSlotReads(db: Database.Database): () => number {
  const prepare = vi.spyOn(db, 'prepare');
  return () => prepare.mock.calls.filter(([sql]) => /FROM custom_field_slots\b/.test(sql)).length;
}

describe('custom field slots in a batch', () => {
  it('are read once per batch by stage changes, re-routing and the due-time recompute; leads match as before', async () => {
    const { db, backend, clock } = followupBackend();
    const emea = [addOwner(db, 'Eva', 'field_rep', 'EMEA'), addOwner(db, 'Emil', 'field_rep', 'EMEA')];
    const inside = addOwner(db, 'Ian Inside', 'inside_sales');
    const partners = await backend.invoke('routing-rule-save', {
      name: 'Partners to EMEA',
      conditions: [{ field: 'Partner tier', op: 'eq', value: 'gold' }],
      targetKind: 'team',
      targetGroup: 'EMEA',
    });
    const others = (await backend.invoke('routing-rules-list', {})).filter((r) => r.id !== partners.id);
    await backend.invoke('routing-rules-reorder', { ids: [partners.id, ...others.map((r) => r.id)] });
    // Every third lead a gold partner; the others carry another custom field only.
    const leads = Array.from({ length: 12 }, (_, i) =>
      addLead(db, {
        grade: 'C3',
        is_mql: 1,
        custom: i % 3 === 0 ? { Region: `R${i}`, 'Partner Tier': 'Gold' } : { Region: `R${i}` },
      }),
    );
    const expected = (first: number) => {
      let next = first;
      return leads.map((_, i) => (i % 3 === 0 ? emea[next++ % 2] : inside));
    };

    const reads = countSlotReads(db);
    applyMqlTransitions(db, leads, clock.now);
    expect(leads.map((id) => leadRow(db, id).owner_id)).toEqual(expected(0));
    expect(reads()).toBeLessThanOrEqual(1);

    // The manual re-route: the round robin goes on where it stopped (4 partners so far).
    const before = reads();
    expect(routeLeads(db, leads, clock.now)).toBe(12);
    expect(leads.map((id) => leadRow(db, id).owner_id)).toEqual(expected(4));
    expect(reads() - before).toBeLessThanOrEqual(1);

    const dues = leads.map((id) => leadRow(db, id).sla_due_at);
    const beforeRecompute = reads();
    expect(recomputeOpenDueTimes(db)).toBe(12);
    expect(leads.map((id) => leadRow(db, id).sla_due_at)).toEqual(dues);
    expect(reads() - beforeRecompute).toBeLessThanOrEqual(1);
  });
});
