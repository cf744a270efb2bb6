/**
 * The score store kept current across writes (score-store.ts, lead-write-journal.ts): after
 * each kind of write the backend makes (an edit, a stage move, an owner change, a bulk edit,
 * a delete and its undo, an import), after a rolled-back transaction and after a commit by
 * another connection, every view the store answers equals the plain query (same ids, order
 * and totals, both directions, several offsets). The store is patched from the written ids
 * where this process wrote, and read whole where it cannot know what changed: each step
 * checks which of the two happened, so a patch that is never taken cannot pass unseen.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { leadPageArgsSchema, type LeadFilter } from '../../../shared/contract/leads';
import { leadTableColumns, leadsQuery } from '../../../electron/backend/services/leads/grid';
import { buildLeadQuerySql } from '../../../electron/backend/services/leads/lead-query-sql';
import { SCORE_COLUMNS, scoreStoreReads, warmScoreStore } from '../../../electron/backend/services/leads/score-store';
import { changeStamp } from '../../../electron/backend/services/leads/grid-cache';
import { startFullRescore } from '../../../electron/backend/services/scoring/rescore-job';
import { MQL_NOW_SQL, REPO_ROOT, tempBackend } from '../helpers';

const backend = tempBackend();
const writer = () => backend.context.db();
const LEADS = 3000;

/** Every column the store holds, each a sort the store answers. */
const SORTS = [...SCORE_COLUMNS];
const FILTERS: { filters?: LeadFilter[]; search?: string }[] = [
  {},
  { filters: [{ column: 'segment', op: 'in', values: ['Hot'] }] },
  { filters: [{ column: 'score_total', op: 'range', min: 20, max: 80 }] },
  { filters: [{ column: 'stage', op: 'in', values: ['mql'] }] },
  { search: 'company 1' },
];

function plain(db: Database.Database, args: ReturnType<typeof leadPageArgsSchema.parse>) {
  const s = buildLeadQuerySql(args, { leadColumns: leadTableColumns(db) });
  return {
    ids: db
      .prepare(`SELECT leads.id FROM leads WHERE ${s.where} ORDER BY ${s.orderBy} LIMIT ? OFFSET ?`)
      .pluck()
      .all(...s.params, args.limit, args.offset) as number[],
    total: db
      .prepare(`SELECT count(*) FROM leads WHERE ${s.where}`)
      .pluck()
      .get(...s.params) as number,
  };
}

/** Every store view through the backend's read path equals the plain query on the writer. */
async function sameViews(step: string): Promise<void> {
  const size = writer().prepare('SELECT count(*) FROM leads').pluck().get() as number;
  for (const view of FILTERS) {
    for (const column of SORTS) {
      for (const dir of ['asc', 'desc'] as const) {
        for (const offset of [0, 611, Math.max(0, size - 40)]) {
          const args = leadPageArgsSchema.parse({ ...view, sort: { column, dir }, limit: 50, offset });
          const page = await backend.invoke('leads-query', args);
          const expected = plain(writer(), args);
          expect({ step, view, column, dir, offset, ids: page.rows.map((r) => r.id), total: page.total }).toEqual({
            step,
            view,
            column,
            dir,
            offset,
            ids: expected.ids,
            total: expected.total,
          });
        }
      }
    }
  }
  const counts = await backend.invoke('leads-counts', {});
  expect(counts.mql).toBe(writer().prepare(MQL_NOW_SQL).pluck().get());
}

/** Runs a step and checks the read connection's store was patched (or read whole) for it. */
async function afterStep(
  step: string,
  expected: 'patched' | 'whole' | 'kept',
  write: () => Promise<unknown> | unknown,
) {
  const before = scoreStoreReads();
  await write();
  await sameViews(step);
  const after = scoreStoreReads();
  if (expected !== 'whole') expect({ step, whole: after.whole - before.whole }).toEqual({ step, whole: 0 });
  if (expected === 'patched') expect(after.patched).toBeGreaterThan(before.patched);
  else if (expected === 'whole') expect(after.whole).toBeGreaterThan(before.whole);
}

describe('the score store is patched after each kind of write', () => {
  it('seeds leads and reads every view once (the store read whole)', async () => {
    writer().exec(`
      WITH RECURSIVE n(i, r) AS (SELECT 1, 777 UNION ALL SELECT i + 1, (r * 1103515245 + 12345) % 2147483648 FROM n WHERE i < ${LEADS})
      INSERT INTO leads (uid, email, email_norm, first_name, last_name, company, stage,
                         score_total, score_fit, score_engagement, grade, segment, is_mql, scored_at,
                         created_at, updated_at, last_activity_at, company_size)
      SELECT 'w' || i, 'w' || i || '@x.com', 'w' || i || '@x.com', 'F' || (r % 41), 'L' || (r % 300),
             'Company ' || (r % 500), CASE r % 10 WHEN 0 THEN 'mql' WHEN 1 THEN 'sal' ELSE 'new' END,
             CASE WHEN i % 11 = 0 THEN NULL ELSE (r / 7) % 100 END,
             CASE WHEN i % 11 = 0 THEN NULL ELSE (r / 11) % 50 END,
             CASE WHEN i % 11 = 0 THEN NULL ELSE (r / 13) % 50 END,
             CASE WHEN i % 11 = 0 THEN NULL ELSE substr('ABCD', 1 + (r / 3) % 4, 1) END,
             CASE WHEN i % 11 = 0 THEN NULL WHEN (r / 7) % 100 >= 60 THEN 'Hot' WHEN (r / 7) % 100 >= 30 THEN 'Warm' ELSE 'Cold' END,
             CASE WHEN i % 11 <> 0 AND (r / 7) % 100 >= 60 THEN 1 ELSE 0 END,
             CASE WHEN i % 11 = 0 THEN NULL ELSE 1000 + (r / 17) % 50 END,
             5000 + (r / 19) % 300, 5000 + (r / 19) % 300,
             CASE WHEN r % 6 = 0 THEN NULL ELSE 9000 + (r / 29) % 500 END,
             CASE WHEN r % 8 = 0 THEN NULL ELSE (r / 23) % 90 END
      FROM n;
    `);
    await backend.invoke('leads-query', leadPageArgsSchema.parse({ sort: { column: 'score_total', dir: 'desc' } }));
    await sameViews('seeded');
    expect(scoreStoreReads().whole).toBeGreaterThan(0);
  });

  it('a single-lead edit (size and stage), in the middle of every order', async () => {
    await afterStep('edit', 'patched', () =>
      backend.invoke('lead-update', { id: 1500, fields: { company_size: 5000, stage: 'mql' } }),
    );
  });

  it("a score change written by SQL on the backend's own connection (as the rescore save writes)", async () => {
    await afterStep('scores', 'patched', () =>
      writer()
        .prepare(
          "UPDATE leads SET score_total = 101, segment = 'Hot', grade = 'A', is_mql = 1, score_fit = NULL WHERE id IN (3, 700, 2999)",
        )
        .run(),
    );
  });

  it('an owner change and a bulk stage move', async () => {
    const owner = writer()
      .prepare("INSERT INTO owners (name, email, created_at) VALUES ('Ada', 'ada@x.com', 1) RETURNING id")
      .pluck()
      .get() as number;
    await afterStep('assign', 'patched', () =>
      backend.invoke('lead-assign', { leadIds: [10, 20, 30], ownerId: owner }),
    );
    await afterStep('bulk stage', 'patched', () =>
      backend.invoke('leads-bulk', {
        selection: { kind: 'ids', ids: [11, 12, 13, 2000] },
        action: { kind: 'set-stage', stage: 'sal' },
      }),
    );
    // Leads the score calls MQL, closed: "MQL now" leaves them out (the store's mask less the
    // closed ones, checked against SQL in afterStep).
    const mqls = writer()
      .prepare('SELECT id FROM leads WHERE is_mql = 1 ORDER BY id LIMIT 7')
      .pluck()
      .all() as number[];
    await afterStep('bulk won', 'patched', () =>
      backend.invoke('leads-bulk', {
        selection: { kind: 'ids', ids: mqls },
        action: { kind: 'set-stage', stage: 'won' },
      }),
    );
    expect((await backend.invoke('leads-counts', {})).mql).toBe(
      (writer().prepare('SELECT count(*) FROM leads WHERE is_mql = 1').pluck().get() as number) - 7,
    );
  });

  it('a bulk delete and its undo (leads gone from, then back in the middle of the arrays)', async () => {
    let batchId = 0;
    await afterStep('delete', 'patched', async () => {
      const r = await backend.invoke('leads-bulk', {
        selection: { kind: 'ids', ids: [1, 2, 1499, 1500, 1501, 3000] },
        action: { kind: 'delete' },
        confirmCount: 6,
      });
      batchId = r.batchId!;
    });
    await afterStep('undo', 'patched', () => backend.invoke('leads-bulk-undo', { batchId }));
  });

  it('an import of new leads', async () => {
    await afterStep('import', 'patched', () =>
      backend.invoke('import-run', {
        path: join(REPO_ROOT, 'resources/samples/starter-leads.csv'),
        options: { kind: 'leads' },
      }),
    );
  });

  it('a rolled-back transaction on the writer changes nothing the reader sees', async () => {
    const rollback = writer().transaction(() => {
      writer().prepare('UPDATE leads SET score_total = -5 WHERE id BETWEEN 100 AND 140').run();
      throw new Error('roll back');
    });
    await afterStep('rollback', 'patched', async () => {
      expect(() => rollback()).toThrow('roll back');
      // A commit after it, so the reader's snapshot moves and the store is refreshed.
      writer().prepare('UPDATE leads SET score_total = 7 WHERE id = 50').run();
    });
  });

  it('a commit by another connection (another process) makes the store read whole', async () => {
    const other = new Database(backend.path);
    try {
      await afterStep('other connection', 'whole', () =>
        other.prepare('UPDATE leads SET score_total = 99, segment = ? WHERE id IN (60, 61)').run('Hot'),
      );
    } finally {
      other.close();
    }
    // And the next write of this process is patched again.
    await afterStep('after other', 'patched', () =>
      backend.invoke('lead-update', { id: 61, fields: { company_size: 1 } }),
    );
  });

  it('a write of more leads than the journal follows, read again in parts with writes between the parts', async () => {
    const reader = backend.context.readDb!()!;
    writer().exec('UPDATE leads SET score_total = score_total + 1 WHERE score_total IS NOT NULL');
    const before = scoreStoreReads();
    let parts = 0;
    for (const _ of warmScoreStore(reader, changeStamp(reader), 700)) {
      parts++;
      // Writes between the parts: one in a part already read, one ahead, a new lead and a deleted one.
      if (parts === 2) {
        await backend.invoke('lead-update', { id: 10, fields: { company_size: 7 } });
        writer().prepare('UPDATE leads SET score_total = 3, segment = ? WHERE id = 2900').run('Warm');
        writer()
          .prepare(
            "INSERT INTO leads (uid, email, email_norm, stage, score_total, segment, created_at, updated_at) VALUES ('w-new', 'n@x.com', 'n@x.com', 'new', 55, 'Warm', 1, 1)",
          )
          .run();
        writer().prepare('DELETE FROM leads WHERE id = 2950').run();
      }
    }
    expect(parts).toBeGreaterThanOrEqual(4);
    expect(scoreStoreReads().whole).toBe(before.whole + 1);
    // The parts' read is kept; what was written meanwhile is patched in, not read whole again.
    await afterStep('after parts', 'patched', () => undefined);
  });

  it('a full rescore (every lead written) leaves the grid its store read, views as the plain query', async () => {
    const before = scoreStoreReads();
    const { outcome, error } = await startFullRescore(backend.context).done;
    expect(error).toBeNull();
    expect(outcome).not.toBeNull();
    expect(scoreStoreReads().whole).toBe(before.whole + 1);
    await afterStep('after full rescore', 'kept', () => undefined);
  });

  it('the writer reading its own writes (no read connection): patched, and right after a rollback', () => {
    const args = leadPageArgsSchema.parse({ sort: { column: 'score_total', dir: 'desc' }, limit: 30 });
    const ids = () => leadsQuery(writer(), args).rows.map((r) => r.id);
    expect(ids()).toEqual(plain(writer(), args).ids);
    const before = scoreStoreReads();
    writer().prepare('UPDATE leads SET score_total = 500 WHERE id = 900').run();
    expect(ids()).toEqual(plain(writer(), args).ids);
    expect(ids()[0]).toBe(900);
    writer().exec('BEGIN');
    writer().prepare('UPDATE leads SET score_total = 600 WHERE id = 901').run();
    expect(ids()[0]).toBe(901);
    writer().exec('ROLLBACK');
    expect(ids()).toEqual(plain(writer(), args).ids);
    expect(ids()[0]).toBe(900);
    const after = scoreStoreReads();
    expect(after.whole).toBe(before.whole);
    expect(after.patched).toBeGreaterThanOrEqual(before.patched + 3);
  });
});
