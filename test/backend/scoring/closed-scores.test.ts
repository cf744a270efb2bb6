/**
 * Which closed leads keep a frozen score (services/scoring/closed-scores.ts): a lead that
 * arrived closed (the import that created it closed it from its outcome column) takes the
 * published model's score, as it stood when it closed, in every publish, full rescore,
 * incremental rescore and preview; a lead closed in this workspace (a rep's move, a later
 * import's outcome column on a lead that was open here, a lead reopened and closed again)
 * keeps the score it closed with. Stored scores stay those of a fresh full rescore.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../electron/backend/backend';
import { closedLeads, evaluateLeads } from '../../../electron/backend/services/outcomes/evaluate';
import { fullRescoreNow } from '../../../electron/backend/services/scoring/full-rescore';
import { rescoreLeads } from '../../../electron/backend/services/scoring/rescore';
import { activeRescore } from '../../../electron/backend/services/scoring/rescore-job';
import { DEFAULT_MODEL, type ScoringModel } from '../../../shared/scoring';
import { tempBackend, tempDir } from '../helpers';
import { DAY, NOW } from './seed';

/** The default model with every fit rule worth `times` as much: a new version that moves scores. */
const scaled = (times: number): ScoringModel => ({
  ...DEFAULT_MODEL,
  fit: DEFAULT_MODEL.fit.map((r) => ({ ...r, points: r.points * times })),
});

async function settle(b: Backend): Promise<void> {
  const run = activeRescore(b.context.db());
  if (run) await run.done;
}

async function publish(b: Backend, model: ScoringModel): Promise<void> {
  await b.invoke('model-publish', { modelId: 1, definition: model });
  await settle(b);
}

function csv(lines: string[]): string {
  const path = join(tempDir(), 'leads.csv');
  writeFileSync(path, lines.join('\n'));
  return path;
}

/** An import with an outcome column: a1, a2 closed (dated 2025), a3, a4 open. */
async function workspace(): Promise<{ b: Backend; id: (email: string) => number }> {
  const b = tempBackend({ now: () => NOW });
  const r = await b.invoke('import-run', {
    path: csv([
      'email,Job Title,Status,Closed on',
      'a1@acme.com,CEO,won,2025-03-01',
      'a2@acme.com,VP Sales,lost,2025-03-02',
      'a3@acme.com,CEO,,',
      'a4@acme.com,VP Sales,,',
    ]),
    options: {
      kind: 'leads',
      outcome: { column: 'Status', won: ['won'], dateColumn: 'Closed on' },
    },
  });
  expect(r.outcomes).toEqual({ won: 1, lost: 1, open: 2 });
  const db = b.context.db();
  const id = (email: string): number => db.prepare('SELECT id FROM leads WHERE email = ?').pluck().get(email) as number;
  return { b, id };
}

const total = (b: Backend, id: number): number | null =>
  b.context.db().prepare('SELECT score_total FROM leads WHERE id = ?').pluck().get(id) as number | null;

/** Every stored score (lead_scores and the lead row's mirror), for comparing with a fresh full rescore. */
function stored(b: Backend): unknown[] {
  const db = b.context.db();
  return [
    db
      .prepare(
        'SELECT lead_id, model_id, model_version, total, fit, engagement, grade, segment, is_mql, ledger FROM lead_scores ORDER BY 1, 2',
      )
      .all(),
    db.prepare('SELECT id, score_total, grade, segment, is_mql FROM leads ORDER BY id').all(),
  ];
}

describe('closed leads: arrived closed follow the model, closed here stay frozen', () => {
  it('a publish rescores leads that arrived closed, and leaves leads closed in the workspace alone', async () => {
    const { b, id } = await workspace();
    const [a1, a2, a3, a4] = ['a1', 'a2', 'a3', 'a4'].map((k) => id(`${k}@acme.com`)) as [
      number,
      number,
      number,
      number,
    ];
    const v1 = { a1: total(b, a1)!, a2: total(b, a2)!, a3: total(b, a3)! };
    expect(v1.a1).toBeGreaterThan(0);
    expect(v1.a1).toBe(v1.a3); // Same title, no activities: closed or not, the same score.

    // A rep closes a3 in the app: it keeps the score it closed with.
    await b.invoke('stage-change', { leadIds: [a3], toStage: 'won' });
    await publish(b, scaled(2));
    expect(total(b, a1)).toBeGreaterThan(v1.a1);
    expect(total(b, a2)).toBeGreaterThan(v1.a2);
    expect(total(b, a3)).toBe(v1.a3);
    const v2 = { a1: total(b, a1)!, a2: total(b, a2)!, a4: total(b, a4)! };

    // A later import's outcome column closes a4, which was open here: frozen with v2's score.
    await b.invoke('import-run', {
      path: csv(['email,Status', 'a4@acme.com,lost']),
      options: { kind: 'leads', outcome: { column: 'Status', won: ['won'] } },
    });
    // a1 is reopened by a rep and closed again: it now has a score it closed with.
    await b.invoke('stage-change', { leadIds: [a1], toStage: 'recycled' });
    await b.invoke('stage-change', { leadIds: [a1], toStage: 'won' });
    await publish(b, scaled(3));
    expect(total(b, a4)).toBe(v2.a4);
    expect(total(b, a1)).toBe(v2.a1);
    expect(total(b, a2)).toBeGreaterThan(v2.a2); // Arrived closed and never reopened: it follows.
    expect((await b.invoke('lead-explain', { leadId: a2 })).frozen).toBe(false);
    expect((await b.invoke('lead-explain', { leadId: a4 })).frozen).toBe(true);
    expect(stored(b)).toEqual((fullRescoreNow(b.context.db(), NOW), stored(b)));
  }, 60_000);

  it('full and incremental rescores score a lead that arrived closed as it stood when it closed', async () => {
    const { b, id } = await workspace();
    const db = b.context.db();
    const a1 = id('a1@acme.com');
    const a3 = id('a3@acme.com');
    await b.invoke('stage-change', { leadIds: [a3], toStage: 'lost' });
    const closedOn = Date.UTC(2025, 2, 1);
    // Activities after a1 closed (a customer still reading) must not count; one before does.
    const act = db.prepare(
      "INSERT INTO activities (lead_id, type, asset, occurred_at, duration_sec) VALUES (?, 'download', 'Guide', ?, NULL)",
    );
    act.run(a1, closedOn + 5 * DAY);
    act.run(a3, NOW - DAY);
    const inc = rescoreLeads(db, [a1, a3], NOW);
    expect(inc).toMatchObject({ scored: 1, frozen: 1 });
    const withoutEarlier = total(b, a1);
    act.run(a1, closedOn - 2 * DAY);
    rescoreLeads(db, [a1], NOW);
    expect(total(b, a1)).toBeGreaterThan(withoutEarlier!);

    // Exactly what Model health / `report model` say of the same lead (evaluate.ts).
    const set = closedLeads(db);
    const [health] = await evaluateLeads(db, [DEFAULT_MODEL], set, NOW);
    const at = set.ids.indexOf(a1);
    const row = db.prepare('SELECT score_total, grade FROM leads WHERE id = ?').get(a1) as {
      score_total: number;
      grade: string;
    };
    expect([row.score_total, row.grade]).toEqual([health!.total[at], health!.grade[at]]);

    // A full rescore agrees with the incremental one, and counts the lead as arrived closed.
    const before = stored(b);
    const job = b.context.jobs.start('rescore');
    const { fullRescore } = await import('../../../electron/backend/services/scoring/full-rescore');
    const outcome = await fullRescore(db, job, NOW);
    b.context.jobs.finish(job.id);
    expect(outcome).toMatchObject({ arrivedClosed: 2, frozen: 1, changed: 0 });
    expect(stored(b)).toEqual(before);
  }, 60_000);

  it('the preview counts leads that arrived closed as moving, leads closed here as frozen', async () => {
    const { b, id } = await workspace();
    await b.invoke('stage-change', { leadIds: [id('a3@acme.com')], toStage: 'won' });
    await b.invoke('model-save-draft', { modelId: 1, definition: scaled(2) });
    const preview = await b.invoke('model-preview', { modelId: 1 });
    expect(preview.leadsFrozen).toBe(1);
    expect(preview.leadsConsidered).toBe(3);
    expect(preview.leadsChanged).toBe(3);
  }, 60_000);
});
