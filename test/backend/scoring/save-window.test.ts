/**
 * A full rescore saves its scores in slices inside one transaction, with the UI served
 * between slices (write-queue.ts, save-staged.ts): reads see the previous scores, writes
 * wait for the commit, a cancel rolls the whole save back.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../electron/backend/backend';
import { publishVersion } from '../../../electron/backend/services/scoring/models';
import { startFullRescore } from '../../../electron/backend/services/scoring/rescore-job';
import type { SaveOptions } from '../../../electron/backend/services/scoring/save-staged';
import { DEFAULT_MODEL, type ScoringModel } from '../../../shared/scoring';
import { tempBackend } from '../helpers';
import { leadScoreColumns, NOW, scoreRows, seedPopulation } from './seed';
import { customEncoder } from '../../../electron/backend/services/leads/custom-store';

/** Every engagement rule worth 9 more points: most active leads change. */
function richer(step: number): ScoringModel {
  return { ...DEFAULT_MODEL, engagement: DEFAULT_MODEL.engagement.map((r) => ({ ...r, points: r.points + 9 * step })) };
}

async function rescore(b: Backend, save: SaveOptions = {}) {
  const run = startFullRescore(b.context, { helpersFrom: Number.MAX_SAFE_INTEGER, save: { sliceRows: 4, ...save } });
  return { run, ...(await run.done) };
}

const page = { sort: { column: 'email', dir: 'asc' }, limit: 1000 } as const;

/** A page of the grid without its timing. */
async function gridRows(b: Backend) {
  return (await b.invoke('leads-query', page)).rows;
}

async function scored(): Promise<{ b: Backend; ids: number[] }> {
  const b = tempBackend({ now: () => NOW });
  const ids = seedPopulation(b.context.db());
  const first = await rescore(b);
  expect(first.error).toBeNull();
  // The page's sort index is built on first use, by a write; built now, before the publish:
  // a write that takes the writer lock with no job of its own running heals a publication
  // whose rescore has not started (services/recovery/heal.ts), as it would a dead process's.
  await gridRows(b);
  publishVersion(b.context.db(), 1, richer(1), null, NOW);
  return { b, ids };
}

describe('saving a full rescore in slices', () => {
  it('serves reads from the previous scores and runs writes after the commit', async () => {
    const { b, ids } = await scored();
    const before = await gridRows(b);
    const countsBefore = await b.invoke('leads-counts', {});
    const lead = ids.find((id) => before.find((r) => r.id === id)?.score_total !== null)!;
    const order: string[] = [];
    let slices = 0;
    let adjusted: Promise<unknown> | null = null;
    const outcome = await rescore(b, {
      onSlice: async () => {
        slices++;
        if (slices !== 2) return;
        // Mid-save: the transaction is open on the workspace connection.
        expect(b.context.writes.busy()).toBe(true);
        expect(await gridRows(b)).toEqual(before);
        expect(await b.invoke('leads-counts', {})).toEqual(countsBefore);
        order.push('read answered');
        adjusted = b.invoke('score-adjust', { leadId: lead, points: 7, reason: 'called back' }).then(() => {
          order.push('write done');
        });
      },
    });
    order.push('rescore done');
    expect(outcome.error).toBeNull();
    expect(slices).toBeGreaterThan(2);
    await adjusted;
    expect(order).toEqual(['read answered', 'rescore done', 'write done']);
    // The write came after the save: the adjustment is in the lead's stored score.
    expect(await gridRows(b)).not.toEqual(before);
    const explained = await b.invoke('lead-explain', { leadId: lead });
    expect(JSON.stringify(explained)).toContain('called back');
  });

  it('gives exactly the scores of a save in one go', async () => {
    const sliced = await scored();
    const whole = await scored();
    await rescore(sliced.b, { sliceRows: 3 });
    await rescore(whole.b, { inSlices: false });
    const db = (x: { b: Backend }) => x.b.context.db();
    expect(scoreRows(db(sliced))).toEqual(scoreRows(db(whole)));
    expect(leadScoreColumns(db(sliced))).toEqual(leadScoreColumns(db(whole)));
    const history = (x: { b: Backend }) =>
      db(x)
        .prepare('SELECT lead_id, model_id, model_version, total, grade, segment FROM score_history ORDER BY id')
        .all();
    expect(history(sliced)).toEqual(history(whole));
  });

  it('a cancel between slices rolls the whole save back', async () => {
    const { b } = await scored();
    const rows = scoreRows(b.context.db());
    const columns = leadScoreColumns(b.context.db());
    let slices = 0;
    const run = startFullRescore(b.context, {
      helpersFrom: Number.MAX_SAFE_INTEGER,
      save: {
        sliceRows: 4,
        onSlice: async () => {
          if (++slices === 2) expect(await b.invoke('job-cancel', { jobId: run.jobId })).toEqual({ cancelled: true });
        },
      },
    });
    const { error } = await run.done;
    expect(slices).toBe(2);
    expect(error?.code).toBe('CANCELLED');
    expect(scoreRows(b.context.db())).toEqual(rows);
    expect(leadScoreColumns(b.context.db())).toEqual(columns);
    expect(b.context.writes.busy()).toBe(false);
  });

  it('a read that needs a write (a first-use grid index) runs after the commit', async () => {
    const { b, ids } = await scored();
    const db = b.context.db();
    db.prepare('UPDATE leads SET custom = ? WHERE id = ?').run(customEncoder(db).encode({ Region: 'West' }), ids[0]);
    const order: string[] = [];
    let pending: Promise<unknown> | null = null;
    await rescore(b, {
      onSlice: (saved) => {
        if (saved !== 4) return;
        pending = b
          .invoke('leads-query', { sort: { column: 'custom.Region', dir: 'asc' }, limit: 5 })
          .then(() => order.push('sorted by a custom field'));
      },
    });
    order.push('rescore done');
    await pending;
    expect(order).toEqual(['rescore done', 'sorted by a custom field']);
  });

  it('waits for the write that holds the queue (an import), then saves in slices after it', async () => {
    const { b } = await scored();
    const order: string[] = [];
    const releaseImport = await b.context.writes.hold();
    let asked!: () => void;
    const saveAsked = new Promise<void>((resolve) => (asked = resolve));
    let slices = 0;
    const done = rescore(b, {
      onSlice: () => void slices++,
      holdWrites: async () => {
        order.push('save asks for the queue');
        asked();
        const release = await b.context.writes.hold();
        order.push('save holds the queue');
        return release;
      },
    });
    await saveAsked;
    order.push('import done');
    releaseImport();
    const { error } = await done;
    expect(error).toBeNull();
    expect(order).toEqual(['save asks for the queue', 'import done', 'save holds the queue']);
    expect(slices).toBeGreaterThan(0);
    expect(b.context.writes.busy()).toBe(false);
  });

  it('cached grid counts of the snapshot connection follow commits made on the workspace connection', async () => {
    const { b } = await scored();
    const seen: unknown[] = [];
    const countsMidSave = async (): Promise<void> => void seen.push(await b.invoke('leads-counts', {}));
    let first = true;
    const once = async () => {
      if (!first) return;
      first = false;
      await countsMidSave();
    };
    await rescore(b, { onSlice: once });
    const committed = await b.invoke('leads-counts', {});
    publishVersion(b.context.db(), 1, richer(2), null, NOW);
    first = true;
    await rescore(b, { onSlice: once });
    // The second save's snapshot shows what the first one committed, not a cached count.
    expect(seen[1]).toEqual(committed);
    expect(seen[0]).not.toEqual(committed);
  });

  it('moves the leads that became MQL in parts between slices: the same stages, owners, follow-ups and stage history as in one go, none seen before the commit', async () => {
    /** A scored workspace with three inside-sales reps (round-robin routing), then a model that makes many leads MQL. */
    const mqlScored = async (): Promise<Backend> => {
      const { b } = await scored();
      for (const name of ['Ann', 'Bob', 'Cy'])
        await b.invoke('owner-save', { name, email: `${name.toLowerCase()}@example.com`, role: 'inside_sales' });
      publishVersion(b.context.db(), 1, { ...richer(1), mql: { threshold: 10, minFitGrade: null } }, null, NOW);
      return b;
    };
    const sliced = await mqlScored();
    const whole = await mqlScored();
    const db = (b: Backend) => b.context.db();
    const mqlCount = (b: Backend) =>
      db(b).prepare("SELECT count(*) FROM leads WHERE stage = 'mql'").pluck().get() as number;
    const mqlBefore = mqlCount(sliced);
    const before = await gridRows(sliced);
    // Steps after the last slice (every staged row saved) are the MQL parts, then the commit's.
    const movedAtStep: number[] = [];
    const outcome = await rescore(sliced, {
      sliceRows: 3,
      onSlice: async (saved, total) => {
        if (saved !== total) return;
        movedAtStep.push(mqlCount(sliced) - mqlBefore);
        // Inside the transaction: readers still get the last committed stages and scores.
        expect(await gridRows(sliced)).toEqual(before);
      },
    });
    expect(outcome.error).toBeNull();
    await rescore(whole, { inSlices: false });

    const moved = mqlCount(sliced) - mqlBefore;
    expect(moved).toBeGreaterThan(6);
    // Parts of 3 leads, each its own step: the count grows by at most 3 a step, to the end.
    expect(movedAtStep.length).toBeGreaterThanOrEqual(Math.ceil(moved / 3));
    movedAtStep.forEach((n, i) => expect(n - (movedAtStep[i - 1] ?? 0)).toBeLessThanOrEqual(3));
    expect(movedAtStep.at(-1)).toBe(moved);

    const leads = (b: Backend) =>
      db(b).prepare('SELECT id, stage, owner_id, sla_due_at, updated_at FROM leads ORDER BY id').all();
    expect(leads(sliced)).toEqual(leads(whole));
    expect(db(sliced).prepare('SELECT count(DISTINCT owner_id) FROM leads WHERE stage = ?').pluck().get('mql')).toBe(3);
    const stageChanges = (b: Backend) =>
      db(b)
        .prepare('SELECT id, lead_id, from_stage, to_stage, changed_at, actor, reason FROM stage_changes ORDER BY id')
        .all();
    expect(stageChanges(sliced)).toEqual(stageChanges(whole));
    const followups = (b: Backend) => db(b).prepare('SELECT * FROM lead_followup ORDER BY lead_id').all();
    expect(followups(sliced)).toEqual(followups(whole));
    expect(scoreRows(db(sliced))).toEqual(scoreRows(db(whole)));
    const history = (b: Backend) =>
      db(b)
        .prepare(
          'SELECT lead_id, model_id, model_version, total, grade, segment, is_mql FROM score_history ORDER BY id',
        )
        .all();
    expect(history(sliced)).toEqual(history(whole));
  });
});
