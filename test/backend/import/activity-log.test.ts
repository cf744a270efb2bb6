/**
 * Activity logs are queued and inserted in lead order, one sorted flush at a time
 * (writer.ts): the result must be exactly what inserting row by row in file order gives:
 * de-duplicated on (lead, type, asset, time) with the first row winning, each person's
 * activities in file order, last activity times, counts; and a cancelled or failing import
 * with flushes already committed still leaves nothing behind.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../../shared/contract/import';
import { runImport } from '../../../electron/backend/services/import/run';
import { createWriter } from '../../../electron/backend/services/import/writer';
import { tempBackend, tempDir } from '../helpers';
import { contentDump } from './dump';

const NOW = 1_790_000_000_000;
const T0 = Date.UTC(2026, 0, 1);
const ROWS = 3000;
const PEOPLE = 150;
const KNOWN = 100;
const TYPES = [
  ['Page View', 'page_visit'],
  ['Email Opened', 'email_open'],
  ['Downloaded', 'download'],
] as const;
const ASSETS = ['/pricing', '/product', 'Playbook'];

type Row = { person: number; type: number; asset: number; at: number; duration: number | null; campaign: string };

let rows: Row[] = [];
let logFile = '';
let leadsFile = '';

beforeAll(() => {
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * n);
  };
  // Few distinct times per person, so many rows repeat an earlier (lead, type, asset, time)
  // with another duration: the first one must win.
  rows = Array.from({ length: ROWS }, () => ({
    person: rand(PEOPLE),
    type: rand(TYPES.length),
    asset: rand(ASSETS.length),
    at: T0 + rand(6) * 3_600_000,
    duration: rand(3) === 0 ? null : rand(600),
    // An unmapped column: kept on the activity as its detail.
    campaign: rand(7) === 0 ? `Note ${rand(4)}` : '',
  }));
  const dir = tempDir();
  logFile = join(dir, 'log.csv');
  writeFileSync(
    logFile,
    [
      'Email,Activity Type,Asset,Timestamp,Duration (seconds),Channel Note',
      ...rows.map(
        (r) =>
          `P${r.person}@Example.com,${TYPES[r.type]?.[0]},${ASSETS[r.asset]},${new Date(r.at).toISOString()},${r.duration ?? ''},${r.campaign}`,
      ),
      '',
    ].join('\r\n'),
  );
  leadsFile = join(dir, 'leads.csv');
  writeFileSync(
    leadsFile,
    ['Email,First Name', ...Array.from({ length: KNOWN }, (_, i) => `p${i}@example.com,Person ${i}`), ''].join('\n'),
  );
});

/** What row-by-row inserts in file order store: first row per identity, per person in file order. */
function expected() {
  const first = new Map<string, Row>();
  for (const r of rows) {
    const key = `${r.person}|${r.type}|${r.asset}|${r.at}`;
    if (!first.has(key)) first.set(key, r);
  }
  const byPerson = new Map<number, Row[]>();
  for (const r of first.values()) byPerson.set(r.person, [...(byPerson.get(r.person) ?? []), r]);
  return { unique: first.size, byPerson, created: [...byPerson.keys()].filter((p) => p >= KNOWN).length };
}

async function withLeads() {
  const b = tempBackend({ now: () => NOW });
  await b.invoke('import-run', { path: leadsFile, options: { kind: 'leads' } });
  return b;
}

const options = importOptionsSchema.parse({ kind: 'activities' });

describe('activity logs inserted in sorted flushes', () => {
  it.each([
    ['several flushes', 257],
    ['one flush at the end', undefined],
  ])('stores what row-by-row inserts would, %s', async (_label, activityFlushRows) => {
    const b = await withLeads();
    const db = b.context.db();
    const s = await runImport(b.context, logFile, options, undefined, {
      commitEveryMs: 0,
      ...(activityFlushRows === undefined ? {} : { activityFlushRows }),
    });
    const { unique, byPerson, created } = expected();
    expect(created).toBeGreaterThan(0);
    expect(s).toMatchObject({
      rowsTotal: ROWS,
      inserted: unique,
      unchanged: ROWS - unique,
      errors: 0,
      activitiesInserted: unique,
      leadsCreated: created,
    });

    const stored = db
      .prepare(
        `SELECT l.email_norm AS email, a.type, a.asset, a.occurred_at AS at, a.duration_sec AS duration, a.detail
           FROM activities a JOIN leads l ON l.id = a.lead_id ORDER BY a.lead_id, a.id`,
      )
      .all() as { email: string; type: string; asset: string; at: number; duration: number | null; detail: string }[];
    expect(stored).toHaveLength(unique);
    for (const [person, list] of byPerson) {
      const mine = stored.filter((r) => r.email === `p${person}@example.com`);
      // Each person's activities in file order (ids follow it), with the first row's duration.
      expect(mine).toEqual(
        list.map((r) => ({
          email: `p${person}@example.com`,
          type: TYPES[r.type]?.[1],
          asset: ASSETS[r.asset],
          at: r.at,
          duration: r.duration,
          detail: r.campaign ? JSON.stringify({ 'Channel Note': r.campaign }) : null,
        })),
      );
      const last = db
        .prepare('SELECT last_activity_at FROM leads WHERE email_norm = ?')
        .pluck()
        .get(`p${person}@example.com`);
      expect(last).toBe(Math.max(...list.map((r) => r.at)));
    }

    const before = contentDump(db, ['leads', 'lead_keys', 'activities', 'lead_scores']);
    const again = await runImport(b.context, logFile, options, undefined, {
      ...(activityFlushRows === undefined ? {} : { activityFlushRows }),
    });
    expect(again).toMatchObject({ rowsTotal: ROWS, inserted: 0, unchanged: ROWS, activitiesInserted: 0, rescored: 0 });
    expect(contentDump(db, ['leads', 'lead_keys', 'activities', 'lead_scores'])).toBe(before);
  });

  it('a flush can be taken in slices, in lead order, stable within a lead', async () => {
    const b = await withLeads();
    const db = b.context.db();
    const importId = Number(
      db
        .prepare(
          "INSERT INTO imports (file_name, file_path, kind, status, started_at) VALUES ('x', 'x', 'activities', 'running', 0)",
        )
        .run().lastInsertRowid,
    );
    const w = createWriter(db, {
      importId,
      mode: 'activities',
      update: 'fill',
      unknownLeads: 'create',
      now: NOW,
      leadKeyName: null,
    });
    const lead = (email: string) => ({ email, emailNorm: email, fields: {}, custom: {}, keys: [], createdAt: null });
    const act = (at: number) => ({
      type: 'page_visit' as const,
      asset: 'a',
      occurredAt: T0 + at,
      durationSec: null,
      detail: null,
    });
    const order = ['p5@example.com', 'p1@example.com', 'p5@example.com', 'p3@example.com', 'p1@example.com'];
    db.transaction(() => {
      order.forEach((email, i) => w.writeRow(lead(email), [act(i)]));
      w.writeRow(lead('p1@example.com'), [act(1)]); // the same as row 2: not inserted
    })();
    expect(w.queuedActivities()).toBe(6);
    const flushes = db.transaction(() => [w.flushActivities(4), w.flushActivities(4)])();
    expect(flushes.map((f) => [f.seen, f.inserted])).toEqual([
      [4, 3],
      [2, 2],
    ]);
    expect(w.queuedActivities()).toBe(0);
    const stored = db
      .prepare(
        'SELECT l.email_norm AS email, a.occurred_at - ? AS at FROM activities a JOIN leads l ON l.id = a.lead_id ORDER BY a.id',
      )
      .raw()
      .all(T0);
    expect(stored).toEqual([
      ['p1@example.com', 1],
      ['p1@example.com', 4],
      ['p3@example.com', 3],
      ['p5@example.com', 0],
      ['p5@example.com', 2],
    ]);
  });
});

describe('cancelled and failing activity logs', () => {
  it('a cancel after committed flushes leaves the content unchanged', async () => {
    const b = await withLeads();
    const db = b.context.db();
    const before = contentDump(db);
    const jobId = 'activity-cancel-test';
    let flushedRows = 0;
    const err = await runImport(b.context, logFile, options, jobId, {
      commitEveryMs: 0,
      activityFlushRows: 100,
      afterBatch: (rowsDone) => {
        flushedRows = db.prepare('SELECT count(*) FROM activities').pluck().get() as number;
        if (rowsDone > ROWS / 2) b.context.jobs.cancel(jobId);
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CANCELLED' });
    expect(flushedRows).toBeGreaterThan(0);
    expect(db.inTransaction).toBe(false);
    expect(contentDump(db)).toBe(before);
  });

  it('a failure inside a flush leaves the content unchanged', async () => {
    const b = await withLeads();
    const db = b.context.db();
    db.exec(`CREATE TRIGGER fail_activity BEFORE INSERT ON activities
             WHEN (SELECT count(*) FROM activities) >= ${ROWS / 3}
             BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END`);
    const before = contentDump(db);
    const err = await runImport(b.context, logFile, options, undefined, {
      commitEveryMs: 0,
      activityFlushRows: 100,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'IMPORT_FAILED' });
    expect((err as Error).message).toContain('simulated disk failure');
    expect(db.inTransaction).toBe(false);
    expect(contentDump(db)).toBe(before);
  });
});
