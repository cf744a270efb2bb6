/**
 * The SLA status rule exists twice: slaStatus (TypeScript, reports and panels) and
 * SLA_STATUS_SQL (the queue filters and counts in SQL). This runs both over every kind of
 * follow-up row on a real SQLite database, so they cannot drift apart.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SLA_STATUS_SQL, SLA_STATUSES, slaStatus, type SlaState } from '../../../shared/followup/sla';

const H = 3_600_000;

describe('SLA status rule', () => {
  it('gives the same status in TypeScript and in SQL for every case', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE f (mql_at INTEGER, due_at INTEGER, first_contact_at INTEGER, closed_at INTEGER)');
    const start = 1_000 * H;
    const due = start + 4 * H;
    const instants = [null, start, start + H, due - 1, due, due + 1, due + 10 * H];
    const nows = [start, start + H, start + 3 * H, due, due + 1, due + 20 * H];
    const cases: SlaState[] = [];
    for (const firstContactAt of instants)
      for (const closedAt of instants) cases.push({ startAt: start, dueAt: due, firstContactAt, closedAt });
    // A zero-length clock (due at the start) too.
    cases.push({ startAt: start, dueAt: start, firstContactAt: null, closedAt: null });
    const insert = db.prepare('INSERT INTO f VALUES (?, ?, ?, ?)');
    for (const c of cases) insert.run(c.startAt, c.dueAt, c.firstContactAt, c.closedAt);
    const select = db.prepare(`SELECT ${SLA_STATUS_SQL} AS status FROM f ORDER BY rowid`).pluck();
    const seen = new Set<string>();
    for (const now of nows) {
      for (const fraction of [0.25, 0.5]) {
        const sql = select.all({ now, fraction }) as string[];
        const ts = cases.map((c) => slaStatus(c, now, fraction));
        expect(sql).toEqual(ts);
        ts.forEach((s) => seen.add(s));
      }
    }
    // The cases reach every status, so no branch of either side goes untested.
    expect([...seen].sort()).toEqual([...SLA_STATUSES].sort());
    db.close();
  });
});
