/**
 * The number of leads kept in `lead_total` (migration 0800: an insert and a delete trigger,
 * replayed by a bulk load) is the grid's whole-workspace total. It must equal
 * `count(*)` after every kind of write, and a workspace without it still gets the count.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leadPageArgsSchema } from '../../../shared/contract/leads';
import { importOptionsSchema } from '../../../shared/contract/import';
import { runImport } from '../../../electron/backend/services/import/run';
import { leadCounts, leadsQuery } from '../../../electron/backend/services/leads/grid';
import { addLeadTotal } from '../../../electron/backend/db/migrations/0800-lead-total';
import { openReadConnection } from '../../../electron/backend/db/open';
import { REAL_DATA, tempBackend } from '../helpers';

const NOW = 1_790_000_000_000;
const XEDUCATION = join(REAL_DATA, 'xeducation_leads.csv');
const OPTIONS = { kind: 'leads', blankPlaceholders: true, mapping: { 'Prospect ID': 'key' } } as const;

describe('the kept lead total', () => {
  const b = tempBackend({ now: () => NOW });
  const db = () => b.context.db();
  const counted = () => db().prepare('SELECT count(*) FROM leads').pluck().get() as number;
  const kept = () => db().prepare('SELECT n FROM lead_total').pluck().get() as number;

  it('equals the count after a sample load, a bulk import, a row-by-row import, deletes, undos and SQL writes', async () => {
    await b.invoke('sample-load', { id: 'starter' });
    expect(kept()).toBe(counted());
    const bulk = await b.invoke('import-run', { path: XEDUCATION, options: OPTIONS });
    expect(bulk.inserted).toBeGreaterThan(9000);
    expect(kept()).toBe(counted());
    await b.invoke('import-undo', { importId: bulk.importId });
    expect(kept()).toBe(counted());
    // Committed batches, no bulk load: the insert trigger counts each lead.
    const rows = await b.context.writes.run(() =>
      runImport(b.context, XEDUCATION, importOptionsSchema.parse(OPTIONS), undefined, { commitEveryMs: 0 }),
    );
    expect(rows.inserted).toBeGreaterThan(9000);
    expect(kept()).toBe(counted());
    const ids = db().prepare('SELECT id FROM leads ORDER BY id LIMIT 25').pluck().all() as number[];
    const deleted = await b.invoke('leads-bulk', {
      selection: { kind: 'ids', ids },
      action: { kind: 'delete' },
      confirmCount: ids.length,
    });
    expect(kept()).toBe(counted());
    await b.invoke('leads-bulk-undo', { batchId: deleted.batchId! });
    expect(kept()).toBe(counted());
    db().exec(
      "DELETE FROM leads WHERE id % 7 = 0; INSERT INTO leads (uid, email, created_at, updated_at) VALUES ('t-1', 't1@x.example', 1, 1)",
    );
    expect(kept()).toBe(counted());
    expect(counted()).toBeGreaterThan(8000);
  });

  it('a failed bulk load leaves it as it was', async () => {
    const before = kept();
    const err = await b.context.writes
      .run(() =>
        runImport(b.context, XEDUCATION, importOptionsSchema.parse(OPTIONS), undefined, {
          afterBatch: () => {
            throw new Error('disk gone');
          },
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeTruthy();
    expect(kept()).toBe(before);
    expect(kept()).toBe(counted());
  });

  it("is the grid's whole-workspace total and the counts' total, on the read connection too", () => {
    // Off by five on purpose: the totals show the kept row, not a count.
    db().prepare('UPDATE lead_total SET n = n + 5').run();
    try {
      const reader = openReadConnection(b.path);
      try {
        for (const conn of [db(), reader]) {
          expect(leadsQuery(conn, leadPageArgsSchema.parse({ limit: 10 })).total).toBe(counted() + 5);
          expect(leadCounts(conn).total).toBe(counted() + 5);
        }
      } finally {
        reader.close();
      }
    } finally {
      db().prepare('UPDATE lead_total SET n = n - 5').run();
    }
  });

  it('a workspace without it (past version 800 before 0800 existed) counts; the migration counts what is there', () => {
    db().exec('DROP TRIGGER leads_total_insert; DROP TRIGGER leads_total_delete; DROP TABLE lead_total');
    expect(leadsQuery(db(), leadPageArgsSchema.parse({ limit: 10 })).total).toBe(counted());
    addLeadTotal(db());
    expect(kept()).toBe(counted());
  });
});
