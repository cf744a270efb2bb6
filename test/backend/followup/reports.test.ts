import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logAttempt } from '../../../electron/backend/services/followup/attempts';
import { changeStage } from '../../../electron/backend/services/followup/stages';
import { tempDir } from '../helpers';
import { addLead, addOwner, followupBackend } from './helpers';

const H = 3_600_000;

/**
 * 100 names: 40 become MQL, 20 of them are accepted (SAL), 5 qualified (SQL), 3 become
 * opportunities (one of which is later lost) and 2 are won; 10 MQLs are disqualified.
 * Leads 1-20 are grade A1 from "webinar", the rest C3 from "ads".
 */
function constructed() {
  const ctx = followupBackend('2026-01-05T09:00:00Z'); // Monday
  const { db, clock } = ctx;
  const ann = addOwner(db, 'Ann Field', 'field_rep');
  const ivy = addOwner(db, 'Ivy Inside', 'inside_sales');
  const created = Date.parse('2026-01-01T00:00:00Z');
  const ids = Array.from({ length: 100 }, (_, i) =>
    addLead(db, {
      grade: i < 20 ? 'A1' : 'C3',
      segment: i < 20 ? 'Hot' : 'Cold',
      source: i < 20 ? 'webinar' : 'ads',
      created_at: created + i * 60_000,
    }),
  );
  const range = (from: number, to: number) => ids.slice(from - 1, to);
  changeStage(db, range(1, 40), 'mql', 'system', 'crossed MQL threshold', clock.now);
  clock.advance(1);
  changeStage(db, range(1, 20), 'sal', 'rep', null, clock.now);
  changeStage(db, range(21, 30), 'disqualified', 'rep', 'spam', clock.now);
  clock.advance(24);
  changeStage(db, range(1, 5), 'sql', 'rep', null, clock.now);
  changeStage(db, range(1, 3), 'opportunity', 'rep', null, clock.now);
  changeStage(db, range(1, 2), 'won', 'rep', null, clock.now);
  changeStage(db, range(3, 3), 'lost', 'rep', 'went with a competitor', clock.now);
  return { ...ctx, ids, ann, ivy, created };
}

describe('funnel', () => {
  it('counts names -> MQL -> SAL -> SQL -> opportunity -> won with conversion at each step', async () => {
    const { backend } = constructed();
    const { data, table } = await backend.invoke('report-funnel', {});
    expect(data.steps.map((s) => [s.key, s.count, s.conversionPct, s.ofNamesPct])).toEqual([
      ['names', 100, 100, 100],
      ['mql', 40, 40, 40],
      ['sal', 20, 50, 20],
      ['sql', 5, 25, 5],
      ['opportunity', 3, 60, 3],
      ['won', 2, 66.7, 2],
    ]);
    expect(data.steps.map((s) => s.label)).toEqual([
      'All leads',
      'Reached MQL (ever)',
      'Reached Accepted by sales (SAL)',
      'Reached Qualified (SQL)',
      'Reached Opportunity',
      'Won',
    ]);
    expect(table.rows[1]).toEqual(['Reached MQL (ever)', 40, 40, 40]);
  });

  it('counts a won lead in every step before Won even without history; a lost one without history in none', async () => {
    const { db, backend } = constructed();
    addLead(db, { stage: 'won', source: 'crm' });
    addLead(db, { stage: 'lost', source: 'crm' });
    const { data } = await backend.invoke('report-funnel', { filter: { source: 'crm' } });
    expect(data.steps.map((s) => s.count)).toEqual([2, 1, 1, 1, 1, 1]);
  });

  it('filters by source, creation date range, owner and model', async () => {
    const { db, backend, ids, created, ann } = constructed();
    const webinar = await backend.invoke('report-funnel', { filter: { source: 'webinar' } });
    expect(webinar.data.steps.map((s) => s.count)).toEqual([20, 20, 20, 5, 3, 2]);
    const firstTen = await backend.invoke('report-funnel', { filter: { from: created, to: created + 10 * 60_000 } });
    expect(firstTen.data.steps.map((s) => s.count)).toEqual([10, 10, 10, 5, 3, 2]);
    // Routing gave leads to owners when they became MQL: A1 (1-20) to Ann.
    const anns = await backend.invoke('report-funnel', { filter: { ownerId: ann } });
    expect(anns.data.steps[0]!.count).toBe(20);

    // Another model's grades: only leads it scored count, with its grades.
    const model = Number(
      db.prepare("INSERT INTO models (name, created_at, updated_at) VALUES ('Alt', 0, 0)").run().lastInsertRowid,
    );
    const score = db.prepare(
      `INSERT INTO lead_scores (lead_id, model_id, model_version, fit, engagement, total, grade, segment, is_mql, ledger, scored_at)
       VALUES (?, ?, 1, 0, 0, 0, ?, 'Alt', 0, '[]', 0)`,
    );
    ids.slice(0, 4).forEach((id, i) => score.run(id, model, i < 2 ? 'B2' : 'D4'));
    const alt = await backend.invoke('report-grades', { filter: { modelId: model } });
    expect(alt.data.total).toBe(4);
    expect(alt.data.cells.filter((c) => c.count > 0).map((c) => [c.grade, c.count])).toEqual([
      ['B2', 2],
      ['D4', 2],
    ]);
    const altFunnel = await backend.invoke('report-funnel', { filter: { modelId: model } });
    expect(altFunnel.data.steps.map((s) => s.count)).toEqual([4, 4, 4, 4, 3, 2]);
  });
});

describe('grades, outcomes, SLA and dispositions', () => {
  it('counts leads per grade cell and segment', async () => {
    const { db, backend } = constructed();
    addLead(db, {});
    const { data, table } = await backend.invoke('report-grades', {});
    expect(data.total).toBe(101);
    expect(data.ungraded).toBe(1);
    expect(data.cells).toHaveLength(16);
    expect(data.cells.find((c) => c.grade === 'A1')).toEqual({ grade: 'A1', fit: 'A', engagement: 1, count: 20 });
    expect(data.cells.find((c) => c.grade === 'C3')!.count).toBe(80);
    expect(data.segments).toEqual([
      { segment: 'Cold', count: 80, pct: 79.2 },
      { segment: 'Hot', count: 20, pct: 19.8 },
      { segment: '(none)', count: 1, pct: 1 },
    ]);
    expect(table.rows.find((r) => r[1] === 'Ungraded')).toEqual(['Grade', 'Ungraded', 1, 1]);
  });

  it('reports conversion per grade and segment so the ranking can be judged', async () => {
    const { backend } = constructed();
    const { data } = await backend.invoke('report-outcomes', {});
    expect(data.byGrade).toEqual([
      { key: 'A1', leads: 20, mql: 20, sql: 5, opportunity: 3, won: 2, winRatePct: 10, mqlWinRatePct: 10 },
      { key: 'C3', leads: 80, mql: 20, sql: 0, opportunity: 0, won: 0, winRatePct: 0, mqlWinRatePct: 0 },
    ]);
    expect(data.bySegment.map((r) => r.key)).toEqual(['Cold', 'Hot']);
  });

  it('measures SLA compliance per owner and grade with the median time to first contact', async () => {
    const ctx = followupBackend('2026-01-05T09:00:00Z'); // Monday; A1 = 4 business hours, C3 = 48 h
    const { db, backend, clock } = ctx;
    const ann = addOwner(db, 'Ann Field', 'field_rep');
    const ivy = addOwner(db, 'Ivy Inside', 'inside_sales');
    const a = [1, 2, 3, 4].map(() => addLead(db, { grade: 'A1' }));
    const c = [1, 2].map(() => addLead(db, { grade: 'C3' }));
    changeStage(db, [...a, ...c], 'mql', 'system', null, clock.now);
    const actor = (ownerId: number) => ({ name: 'x', ownerId });
    const start = clock.now;
    logAttempt(
      db,
      { leadId: a[0]!, channel: 'call', outcome: 'connected', at: start + 1 * H },
      actor(ann),
      start + 1 * H,
    ); // met, 60 min
    logAttempt(
      db,
      { leadId: a[1]!, channel: 'call', outcome: 'no_answer', at: start + 3 * H },
      actor(ann),
      start + 3 * H,
    ); // met, 180 min
    logAttempt(
      db,
      { leadId: a[2]!, channel: 'call', outcome: 'no_answer', at: start + 6 * H },
      actor(ann),
      start + 6 * H,
    ); // breached, 360 min
    // a[3] never contacted: overdue once 4 h have passed.
    logAttempt(
      db,
      { leadId: c[0]!, channel: 'email', outcome: 'email_sent', at: start + 10 * H },
      actor(ivy),
      start + 10 * H,
    ); // met
    clock.set('2026-01-05T20:00:00Z'); // c[1] still inside its 48 h
    const { data, table } = await backend.invoke('report-sla', {});
    expect(data.overall).toMatchObject({
      total: 6,
      met: 3,
      breached: 1,
      overdue: 1,
      waiting: 1,
      compliancePct: 60,
      medianMinutesToFirstContact: 270,
    });
    expect(data.byOwner).toEqual([
      expect.objectContaining({
        label: 'Ann Field',
        total: 4,
        met: 2,
        breached: 1,
        overdue: 1,
        waiting: 0,
        compliancePct: 50,
        medianMinutesToFirstContact: 180,
      }),
      expect.objectContaining({
        label: 'Ivy Inside',
        total: 2,
        met: 1,
        breached: 0,
        overdue: 0,
        waiting: 1,
        compliancePct: 100,
        medianMinutesToFirstContact: 600,
      }),
    ]);
    expect(data.byGrade.map((r) => [r.label, r.met, r.breached, r.overdue])).toEqual([
      ['A1', 2, 1, 1],
      ['C3', 1, 0, 0],
    ]);
    expect(table.columns).toContain('Median minutes to first contact');
    // The period filter reads the leads' created date (0 here), as in every report.
    const none = await backend.invoke('report-sla', { filter: { from: 1 } });
    expect(none.data.overall.total).toBe(0);
    expect((await backend.invoke('report-sla', { filter: { to: 1 } })).data.overall.total).toBe(6);
  });

  it('counts disposition reasons with sub-reasons and exports any report as CSV', async () => {
    const ctx = followupBackend();
    const { db, backend } = ctx;
    const reasons = await backend.invoke('disposition-reasons-list', {});
    const reason = (key: string) => reasons.find((r) => r.key === key)!.id;
    const leads = Array.from({ length: 5 }, () => addLead(db, { grade: 'B1' }));
    changeStage(db, leads, 'mql', 'system', null, ctx.clock.now);
    await backend.invoke('disposition-set', { leadIds: leads.slice(0, 3), reasonId: reason('no_budget') });
    await backend.invoke('disposition-set', { leadIds: leads.slice(3, 4), reasonId: reason('student_journalist') });
    await backend.invoke('disposition-set', { leadIds: leads.slice(4), reasonId: reason('converted') });
    const { data } = await backend.invoke('report-dispositions', {});
    expect(data.total).toBe(5);
    expect(data.rows.map((r) => [r.parent, r.label, r.toStage, r.toStageLabel, r.count, r.pct])).toEqual([
      ['Unqualified', 'No budget', 'disqualified', 'Disqualified', 3, 60],
      [null, 'Converted to opportunity', 'opportunity', 'Opportunity', 1, 20],
      ['Unqualified', 'Student / journalist', 'disqualified', 'Disqualified', 1, 20],
    ]);

    const path = join(tempDir(), 'dispositions.csv');
    expect(await backend.invoke('report-export', { report: 'dispositions', path })).toEqual({ path, rows: 3 });
    expect(readFileSync(path, 'utf8')).toBe(
      'Reason,Sub-reason,Stage,Leads,Share %\r\nUnqualified,No budget,Disqualified,3,60\r\nConverted to opportunity,,Opportunity,1,20\r\nUnqualified,Student / journalist,Disqualified,1,20\r\n',
    );
    const funnelPath = join(tempDir(), 'funnel.csv');
    await backend.invoke('report-export', { report: 'funnel', path: funnelPath });
    expect(readFileSync(funnelPath, 'utf8').split('\r\n')[2]).toBe('Reached MQL (ever),5,100,100');
    await expect(
      backend.invoke('report-export', { report: 'funnel', path: join(tempDir(), 'no/such/dir/x.csv') }),
    ).rejects.toMatchObject({
      code: 'EXPORT_FAILED',
    });
    const options = await backend.invoke('report-filter-options', {});
    expect(options).toMatchObject({ sources: [], campaigns: [], owners: [] });
  });
});
