/**
 * One definition per number (shared/followup/definitions.ts): the funnel, SLA compliance
 * and the two MQL counts after bulk stage moves, after Lost from each stage, and with
 * period filters on a file's own created dates (the real Olist file).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logAttempt } from '../../../electron/backend/services/followup/attempts';
import { applyMqlTransitions } from '../../../electron/backend/services/followup/mql';
import { changeStage } from '../../../electron/backend/services/followup/stages';
import { MQL_NOW, REACHED_MQL } from '../../../shared/followup/definitions';
import { REAL_DATA } from '../helpers';
import { addLead, addOwner, followupBackend } from './helpers';

type Backend = ReturnType<typeof followupBackend>['backend'];

async function funnelCounts(backend: Backend, filter = {}) {
  const { data } = await backend.invoke('report-funnel', { filter });
  return Object.fromEntries(data.steps.map((s) => [s.key, s.count]));
}

describe('numbers after bulk stage moves', () => {
  it('keeps "MQL now", "reached MQL" and "met SLA" apart when MQLs are bulk-moved to Won', async () => {
    const { backend, db, clock } = followupBackend('2026-01-05T09:00:00Z'); // Monday
    addOwner(db, 'Ivy Inside', 'inside_sales');
    // 10 leads the score calls MQL (grade B1: 24 h to first attempt), 20 it does not.
    const mqls = Array.from({ length: 10 }, () => addLead(db, { grade: 'B1', is_mql: 1 }));
    const others = Array.from({ length: 20 }, () => addLead(db, { grade: 'D4' }));
    expect(applyMqlTransitions(db, [...mqls, ...others], clock.now)).toBe(10);
    // Attempts on two of them, both within their 24 h; "No answer" is an attempt.
    clock.advance(2);
    logAttempt(
      db,
      { leadId: mqls[0]!, channel: 'call', outcome: 'no_answer' },
      { name: 'ivy', ownerId: null },
      clock.now,
    );
    logAttempt(
      db,
      { leadId: mqls[1]!, channel: 'call', outcome: 'connected' },
      { name: 'ivy', ownerId: null },
      clock.now,
    );

    // "MQL now" counts the open leads the score calls MQL.
    expect((await backend.invoke('leads-counts', {})).mql).toBe(10);

    // The converted ones (all ten MQLs and five of the others) are bulk-moved to Won.
    clock.advance(1);
    const won = [...mqls, ...others.slice(0, 5)];
    const moved = await backend.invoke('leads-bulk', {
      selection: { kind: 'ids', ids: won },
      action: { kind: 'set-stage', stage: 'won' },
    });
    expect(moved.affected).toBe(15);

    // The funnel counts leads whose history reached each step: a won lead passed them all.
    expect(await funnelCounts(backend)).toEqual({ names: 30, mql: 15, sal: 15, sql: 15, opportunity: 15, won: 15 });
    const { data } = await backend.invoke('report-funnel', {});
    expect(data.steps[1]!.label).toBe(REACHED_MQL.label);
    // The Leads screen's "MQL now" chip counts open leads the score calls MQL: the ten are won,
    // their score still qualifies, and they wait for no one. A different number, named apart.
    expect(db.prepare('SELECT count(*) FROM leads WHERE is_mql = 1').pluck().get()).toBe(10);
    expect((await backend.invoke('leads-counts', {})).mql).toBe(0);
    expect(MQL_NOW.short).not.toBe(REACHED_MQL.label);

    // SLA: only the two leads with an attempt met it; the eight closed by the move before their
    // due time without an attempt are neither met nor missed, and stay out of compliance.
    const sla = (await backend.invoke('report-sla', {})).data.overall;
    expect(sla).toMatchObject({ total: 10, met: 2, breached: 0, overdue: 0, waiting: 0, closedNoAttempt: 8 });
    expect(sla.compliancePct).toBe(100);
    // Leads that became MQL only through a move (no clock) are not in the SLA report at all.
    expect(sla.total).toBeLessThan(15);

    // Moved to Won after their due time without an attempt: that is a missed SLA.
    const late = Array.from({ length: 4 }, () => addLead(db, { grade: 'B1', is_mql: 1 }));
    applyMqlTransitions(db, late, clock.now);
    clock.advance(30);
    await backend.invoke('leads-bulk', {
      selection: { kind: 'ids', ids: late },
      action: { kind: 'set-stage', stage: 'won' },
    });
    const after = (await backend.invoke('report-sla', {})).data.overall;
    expect(after).toMatchObject({ total: 14, met: 2, breached: 4, closedNoAttempt: 8, compliancePct: 33.3 });
  });

  it('counts a lost lead only for the steps it reached before it was lost, from each stage', async () => {
    const { backend, db, clock } = followupBackend();
    const path = ['mql', 'sal', 'sql', 'opportunity'] as const;
    // One lead lost from each stage (and one lost straight from New), walked there by hand.
    const lostFrom = new Map<string, number>();
    for (const last of ['new', ...path]) {
      const id = addLead(db, { source: `lost-from-${last}` });
      for (const stage of path.slice(0, path.indexOf(last as (typeof path)[number]) + 1)) {
        changeStage(db, [id], stage, 'rep', null, clock.now);
        clock.advance(1);
      }
      changeStage(db, [id], 'lost', 'rep', 'went quiet', clock.now);
      lostFrom.set(last, id);
    }
    const expected: Record<string, number[]> = {
      new: [1, 0, 0, 0, 0, 0],
      mql: [1, 1, 0, 0, 0, 0],
      sal: [1, 1, 1, 0, 0, 0],
      sql: [1, 1, 1, 1, 0, 0],
      opportunity: [1, 1, 1, 1, 1, 0],
    };
    for (const [last, counts] of Object.entries(expected)) {
      expect(Object.values(await funnelCounts(backend, { source: `lost-from-${last}` })), last).toEqual(counts);
    }
    // Together: Lost from MQL is no opportunity, so only one lead reached Opportunity.
    expect(await funnelCounts(backend)).toEqual({ names: 5, mql: 4, sal: 3, sql: 2, opportunity: 1, won: 0 });

    // A bulk move out of Lost to Recycled and back to MQL keeps what the history reached.
    const fromSql = lostFrom.get('sql')!;
    await backend.invoke('leads-bulk', {
      selection: { kind: 'ids', ids: [fromSql] },
      action: { kind: 'set-stage', stage: 'recycled' },
    });
    expect(Object.values(await funnelCounts(backend, { source: 'lost-from-sql' }))).toEqual([1, 1, 1, 1, 0, 0]);

    // The outcomes report counts by the same rule.
    const outcomes = (await backend.invoke('report-outcomes', {})).data.bySegment[0]!;
    expect(outcomes).toMatchObject({ leads: 5, mql: 4, sql: 2, opportunity: 1, won: 0 });
  });

  it('SLA compliance after Lost from each queue stage: closing without an attempt is not "met"', async () => {
    const { backend, db, clock } = followupBackend('2026-01-05T09:00:00Z');
    const a = addLead(db, { grade: 'B1', is_mql: 1 });
    const b = addLead(db, { grade: 'B1', is_mql: 1 });
    applyMqlTransitions(db, [a, b], clock.now);
    clock.advance(1);
    // a: accepted by hand (SAL) without an attempt, then lost; b: reached (so accepted), then lost.
    changeStage(db, [a], 'sal', 'rep', null, clock.now);
    logAttempt(db, { leadId: b, channel: 'call', outcome: 'connected' }, { name: 'rep', ownerId: null }, clock.now);
    changeStage(db, [a, b], 'lost', 'rep', null, clock.now + 1);
    const sla = (await backend.invoke('report-sla', {})).data.overall;
    expect(sla).toMatchObject({ total: 2, met: 1, closedNoAttempt: 1, compliancePct: 100 });
    expect(await funnelCounts(backend)).toEqual({ names: 2, mql: 2, sal: 2, sql: 0, opportunity: 0, won: 0 });
  });
});

describe('"met SLA": a first attempt within the policy time, counted only for leads with a policy clock', () => {
  it('counts an attempt at the due time as met and one a moment later as breached; leads without a clock not at all', async () => {
    const { backend, db, clock } = followupBackend('2026-01-05T09:00:00Z'); // Monday, business hours
    const actor = { name: 'rep', ownerId: null };
    // Two leads with a clock (grade B1: 24 business hours to the first attempt).
    const onTime = addLead(db, { grade: 'B1', is_mql: 1 });
    const late = addLead(db, { grade: 'B1', is_mql: 1 });
    applyMqlTransitions(db, [onTime, late], clock.now);
    const due = (id: number) =>
      (db.prepare('SELECT due_at FROM lead_followup WHERE lead_id = ?').pluck().get(id) as number) ?? NaN;
    expect(due(onTime)).toBeGreaterThan(clock.now);

    // Two leads without one: MQL only through history recorded from a file's date column,
    // and a lead that never became MQL. Both get an attempt, within any policy's time.
    const fromFile = addLead(db, { grade: 'B1', custom: { mql_date: '2026-01-02' } });
    const neverMql = addLead(db, { grade: 'B1' });
    const backfill = await backend.invoke('stage-from-field', { field: 'mql_date', toStage: 'mql' });
    expect(backfill).toMatchObject({ changed: 1 });
    expect(
      db.prepare('SELECT count(*) FROM lead_followup WHERE lead_id IN (?, ?)').pluck().get(fromFile, neverMql),
    ).toBe(0);

    clock.advance(1);
    for (const id of [fromFile, neverMql])
      logAttempt(db, { leadId: id, channel: 'call', outcome: 'connected' }, actor, clock.now);
    // At the due time exactly: met. One millisecond after it: breached.
    const dueOnTime = due(onTime);
    const dueLate = due(late);
    clock.now = Math.max(dueOnTime, dueLate) + 1;
    logAttempt(db, { leadId: onTime, channel: 'call', outcome: 'no_answer', at: dueOnTime }, actor, clock.now);
    logAttempt(db, { leadId: late, channel: 'email', outcome: 'connected', at: dueLate + 1 }, actor, clock.now);

    const sla = (await backend.invoke('report-sla', {})).data.overall;
    expect(sla).toMatchObject({ total: 2, met: 1, breached: 1, overdue: 0, waiting: 0, compliancePct: 50 });
    // The two leads without a clock had attempts, yet are in no SLA figure.
    const byGrade = (await backend.invoke('report-sla', {})).data.byGrade.find((g) => g.key === 'B1')!;
    expect(byGrade.total).toBe(2);
  });
});

describe('period filters on a file\u2019s own created dates', () => {
  it('counts Olist leads by their first-contact date (DD-MM-YYYY), not by the day they were imported', async () => {
    const { backend } = followupBackend('2026-01-01T00:00:00Z');
    const run = await backend.invoke('import-run', {
      path: join(REAL_DATA, 'olist_marketing_qualified_leads.csv'),
      options: {
        kind: 'leads',
        mapping: { mql_id: 'key', origin: 'source', first_contact_date: 'created_date' },
        dateOrder: 'dmy',
      },
    });
    expect(run).toMatchObject({ status: 'done', inserted: 8000, errors: 0 });
    const before2018 = { to: Date.parse('2018-01-01T00:00:00Z') };
    // 2,002 of the file's rows have a 2017 first_contact_date (counted from the file itself).
    expect((await funnelCounts(backend, before2018)).names).toBe(2002);
    expect((await funnelCounts(backend, { from: Date.parse('2018-01-01T00:00:00Z') })).names).toBe(5998);
    // By import date instead, all 8,000 arrived in 2026.
    expect((await funnelCounts(backend, { ...before2018, dateBasis: 'imported' })).names).toBe(0);
    expect(
      (await funnelCounts(backend, { from: Date.parse('2026-01-01T00:00:00Z'), dateBasis: 'imported' })).names,
    ).toBe(8000);
    // Every report reads the same date.
    expect((await backend.invoke('report-grades', { filter: before2018 })).data.total).toBe(2002);

    // The created date backfills MQL history too; the funnel before 2018 then has 2,002 MQLs.
    const mql = await backend.invoke('stage-from-field', { field: 'created_at', toStage: 'mql' });
    expect(mql).toMatchObject({ matched: 8000, changed: 8000, unparsable: 0 });
    expect(await funnelCounts(backend, before2018)).toMatchObject({ names: 2002, mql: 2002, sal: 0 });
  });

  it('suggests "Lead created date" for a created-date column and refuses a row whose date is not one', async () => {
    const { backend } = followupBackend();
    const { writeFileSync } = await import('node:fs');
    const { tempDir } = await import('../helpers');
    const file = join(tempDir(), 'created.csv');
    writeFileSync(file, 'Email,Created Date\na@example.com,2025-03-04\nb@example.com,someday\n');
    const plan = await backend.invoke('import-inspect', { path: file });
    expect(plan.mapping['Created Date']).toBe('created_date');
    const run = await backend.invoke('import-run', { path: file, options: { kind: 'leads' } });
    expect(run).toMatchObject({ inserted: 1, errors: 1 });
    const errors = await backend.invoke('import-errors', { importId: run.importId, limit: 10, offset: 0 });
    expect(errors.rows[0]).toMatchObject({ row: 3, column: 'Created Date', reason: '"someday" is not a date.' });
    expect((await funnelCounts(backend, { to: Date.parse('2025-03-05T00:00:00Z') })).names).toBe(1);
  });
});
