import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/backend/cli';
import { migrate, schemaVersion } from '../../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../../electron/backend/db/migrations';
import { changeStage } from '../../../electron/backend/services/followup/stages';
import { DEFAULT_STAGES } from '../../../shared/domain';
import { DEFAULT_SLA_POLICIES } from '../../../shared/followup/defaults';
import { tempDir } from '../helpers';
import { addLead, addOwner, followupBackend } from './helpers';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('migration 0050-followup', () => {
  it('adds the follow-up tables, leads.sla_due_at and the seeded defaults, on a database with leads', () => {
    const db = new Database(join(tempDir(), 'm.leadbench'));
    const upTo = MIGRATIONS.filter((m) => m.version < 50);
    migrate(db, upTo);
    db.prepare("INSERT INTO leads (uid, stage, created_at, updated_at) VALUES ('old', 'mql', 0, 0)").run();
    migrate(db, MIGRATIONS);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(tables).toEqual(
      expect.arrayContaining([
        'stage_config',
        'routing_rules',
        'sla_policies',
        'disposition_reasons',
        'lead_followup',
        'attempts',
        'dispositions',
      ]),
    );
    expect(db.prepare("SELECT sla_due_at FROM leads WHERE uid = 'old'").get()).toEqual({ sla_due_at: null });
    expect(
      (db.prepare('SELECT key FROM stage_config ORDER BY position').all() as { key: string }[]).map((r) => r.key),
    ).toEqual(DEFAULT_STAGES.map((s) => s.key));
    const policies = db
      .prepare('SELECT name, grades, hours, business_hours, attempts_required FROM sla_policies ORDER BY position')
      .all();
    expect(policies).toHaveLength(DEFAULT_SLA_POLICIES.length);
    expect(policies[0]).toEqual({
      name: 'A1 — hot, best fit',
      grades: '["A1"]',
      hours: 4,
      business_hours: 1,
      attempts_required: 3,
    });
    const reasons = db
      .prepare(
        'SELECT r.key, p.key AS parent FROM disposition_reasons r LEFT JOIN disposition_reasons p ON p.id = r.parent_id',
      )
      .all();
    expect(reasons).toEqual(
      expect.arrayContaining([
        { key: 'unqualified', parent: null },
        { key: 'no_budget', parent: 'unqualified' },
        { key: 'student_journalist', parent: 'unqualified' },
        { key: 'competitor', parent: 'unqualified' },
        { key: 'could_not_reach', parent: null },
        { key: 'converted', parent: null },
      ]),
    );
    db.close();
  });
});

describe('CLI', () => {
  function seeded() {
    const { backend, db, clock } = followupBackend('2026-01-06T09:00:00Z');
    const ann = addOwner(db, 'Ann Field', 'field_rep');
    addOwner(db, 'Ivy Inside', 'inside_sales');
    const leads = [
      addLead(db, { grade: 'A1', first_name: 'Alice', source: 'webinar' }),
      addLead(db, { grade: 'B1', first_name: 'Bert', source: 'ads' }),
      addLead(db, { grade: 'C3', first_name: 'Cleo', source: 'ads' }),
    ];
    changeStage(db, leads, 'mql', 'system', null, clock.now);
    changeStage(db, [leads[2]!], 'won', 'rep', null, clock.now);
    return { path: backend.path, ann, close: () => backend.close() };
  }

  it("queue lists the queue, or one owner's by email", async () => {
    const { path, close } = seeded();
    close();
    // The CLI runs on the real clock, long after these January 2026 due times.
    const all = await cli(['queue', '--db', path]);
    expect(all.code).toBe(0);
    const lines = all.out.split('\n');
    expect(lines[0]).toMatch(/^Due \(UTC\)\s+Status\s+Grade/);
    expect(lines[1]).toMatch(
      /^2026-01-06 13:00\s+Overdue\s+A1\s+0\/3\s+Ann Field\s+Alice\s+Call now and offer a product demo$/,
    );
    expect(lines[2]).toMatch(/^2026-01-07 09:00\s+Overdue\s+B1\s+0\/3\s+Ivy Inside\s+Bert/);
    expect(lines.at(-1)).toBe('2 leads: 2 overdue');
    const mine = await cli(['queue', '--db', path, '--owner', 'ANN.FIELD@example.com']);
    expect(mine.out.split('\n')).toHaveLength(3);
    const json = JSON.parse((await cli(['queue', '--db', path, '--json'])).out) as { total: number };
    expect(json.total).toBe(2);
    expect(await cli(['queue', '--db', path, '--owner', 'nobody@example.com'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/No owner/),
    });
    expect((await cli(['queue'])).code).toBe(2);
  });

  it('report funnel prints the funnel table; --csv writes it', async () => {
    const { path, close } = seeded();
    close();
    const r = await cli(['report', 'funnel', '--db', path]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      'Funnel',
      'Step                             Leads  Conversion from previous %  Of all leads %',
      'All leads                            3                         100             100',
      'Reached MQL (ever)                   3                         100             100',
      'Reached Accepted by sales (SAL)      1                        33.3            33.3',
      'Reached Qualified (SQL)              1                         100            33.3',
      'Reached Opportunity                  1                         100            33.3',
      'Won                                  1                         100            33.3',
    ]);
    const ads = await cli(['report', 'funnel', '--db', path, '--source', 'ads', '--json']);
    expect((JSON.parse(ads.out) as { steps: { count: number }[] }).steps.map((s) => s.count)).toEqual([
      2, 2, 1, 1, 1, 1,
    ]);
    const csv = join(tempDir(), 'f.csv');
    expect((await cli(['report', 'sla', '--db', path, '--csv', csv])).code).toBe(0);
    expect(readFileSync(csv, 'utf8').split('\r\n')[0]).toMatch(/^By,Name,With SLA clock,Met,Breached/);
    expect((await cli(['report', 'nonsense', '--db', path])).code).toBe(2);
    expect((await cli(['report', 'funnel', '--db', path, '--from', 'yesterday-ish'])).code).toBe(2);
  });
});
