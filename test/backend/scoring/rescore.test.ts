import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../electron/backend/backend';
import { fullRescore } from '../../../electron/backend/services/scoring/full-rescore';
import { publishVersion } from '../../../electron/backend/services/scoring/models';
import { rescoreLeads } from '../../../electron/backend/services/scoring/rescore';
import { startFullRescore } from '../../../electron/backend/services/scoring/rescore-job';
import { DEFAULT_MODEL, type ScoringModel } from '../../../shared/scoring';
import { tempBackend } from '../helpers';
import { DAY, leadScoreColumns, NOW, scoreRows, seedLeads, seedPopulation } from './seed';

function backendAt(now = NOW): Backend {
  return tempBackend({ now: () => now });
}

async function full(b: Backend, options: Parameters<typeof fullRescore>[3] = {}) {
  const job = b.context.jobs.start('rescore');
  try {
    return await fullRescore(b.context.db(), job, b.context.now(), options);
  } finally {
    b.context.jobs.finish(job.id);
  }
}

const SECOND_MODEL: ScoringModel = {
  ...DEFAULT_MODEL,
  name: 'Enterprise',
  appliesTo: { field: 'company_size', op: 'between', min: 100 },
  fit: [{ id: 'big', name: 'Big company', when: { field: 'company_size', op: 'between', min: 300 }, points: 50 }],
  // Engagement from a lead field: the incremental and the full rescore must agree on it too.
  fieldEngagement: [
    { id: 'size', name: 'People', field: 'company_size', points: 1, per: 25, unit: 'quarter hundred', cap: 12 },
  ],
};

function addSecondModel(b: Backend): number {
  const db = b.context.db();
  const id = Number(
    db.prepare("INSERT INTO models (name, is_primary, created_at, updated_at) VALUES ('Enterprise', 0, 0, 0)").run()
      .lastInsertRowid,
  );
  publishVersion(db, id, SECOND_MODEL, null, NOW);
  return id;
}

describe('incremental and full rescore', () => {
  // Batches of 7 leads; and one batch of every lead, whose staged rows (more than 50, both
  // models) take several of the staging INSERTs (full-rescore.ts: STAGE_ROWS a statement).
  it.each([7, 1000])(
    'give identical scores, ledgers and lead columns (every model), %i leads a batch',
    async (batchSize) => {
      const a = backendAt();
      const b = backendAt();
      const idsA = seedPopulation(a.context.db());
      seedPopulation(b.context.db());
      addSecondModel(a);
      addSecondModel(b);
      const inc = rescoreLeads(a.context.db(), idsA, NOW);
      const outcome = await full(b, { batchSize });
      expect(scoreRows(b.context.db()).length).toBeGreaterThan(50);
      expect(inc.scored).toBe(outcome.scored);
      expect(inc.frozen).toBe(outcome.frozen);
      expect(inc.frozen).toBeGreaterThan(0);
      expect(scoreRows(a.context.db())).toEqual(scoreRows(b.context.db()));
      expect(leadScoreColumns(a.context.db())).toEqual(leadScoreColumns(b.context.db()));
      expect((scoreRows(a.context.db()) as { model_id: number }[]).some((r) => r.model_id !== 1)).toBe(true);
      // The second model's field engagement rule gave points (ledger entries of kind 7) in both.
      expect((scoreRows(a.context.db()) as { ledger: string }[]).filter((r) => r.ledger.includes('[7,')).length).toBe(
        (scoreRows(b.context.db()) as { ledger: string }[]).filter((r) => r.ledger.includes('[7,')).length,
      );
      expect((scoreRows(a.context.db()) as { ledger: string }[]).some((r) => r.ledger.includes('[7,'))).toBe(true);
      // Applicability: the second model scores only big companies.
      const small = a.context
        .db()
        .prepare(
          'SELECT count(*) AS n FROM lead_scores s JOIN leads l ON l.id = s.lead_id WHERE s.model_id <> 1 AND l.company_size < 100',
        )
        .get();
      expect(small).toEqual({ n: 0 });
    },
  );

  it('a save that rewrites most lead rows keeps its indexes row by row (no rebuild step): same scores, same schema', async () => {
    // 4,000 leads (about 2,700 open) scored for the first time: nearly every lead row is rewritten.
    const a = backendAt();
    const b = backendAt();
    const idsA = seedPopulation(a.context.db(), 4000);
    seedPopulation(b.context.db(), 4000);
    const schema = (db: ReturnType<Backend['context']['db']>) =>
      db.prepare("SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'leads' ORDER BY name").all();
    const schemaBefore = schema(b.context.db());
    rescoreLeads(a.context.db(), idsA, NOW);
    // A rebuild would drop the store's index mid-save and build it in one step that serves nothing.
    let indexMissingMidSave = false;
    await full(b, {
      save: {
        holdWrites: b.context.writes.hold,
        sliceRows: 500,
        onSlice: () => {
          const idx = b.context.db().prepare("SELECT 1 FROM sqlite_schema WHERE name = 'leads_g_scores'").get();
          if (idx === undefined) indexMissingMidSave = true;
        },
      },
    });
    expect(indexMissingMidSave).toBe(false);
    expect(schema(b.context.db())).toEqual(schemaBefore);
    expect(scoreRows(a.context.db())).toEqual(scoreRows(b.context.db()));
    expect(leadScoreColumns(a.context.db())).toEqual(leadScoreColumns(b.context.db()));
    const plan = b.context
      .db()
      .prepare('EXPLAIN QUERY PLAN SELECT count(segment || score_total) FROM leads INDEXED BY leads_g_scores')
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('COVERING INDEX leads_g_scores');
  });

  it('after a publish, a full rescore over stored scores equals an incremental rescore under the new version', async () => {
    const a = backendAt();
    const b = backendAt();
    const idsA = seedPopulation(a.context.db());
    seedPopulation(b.context.db());
    await full(a, { batchSize: 5 });
    await full(b, { batchSize: 5 });
    // Points of one engagement rule change: leads whose ledger cites it change, the others
    // keep their numbers and ledger and only move to the new version.
    const changed: ScoringModel = {
      ...DEFAULT_MODEL,
      engagement: DEFAULT_MODEL.engagement.map((r, i) => (i === 0 ? { ...r, points: r.points + 7 } : r)),
    };
    publishVersion(a.context.db(), 1, changed, null, NOW);
    publishVersion(b.context.db(), 1, changed, null, NOW);
    rescoreLeads(a.context.db(), idsA, NOW);
    const outcome = await full(b, { batchSize: 5 });
    expect(outcome.changed).toBeGreaterThan(0);
    expect(scoreRows(b.context.db())).toEqual(scoreRows(a.context.db()));
    expect(leadScoreColumns(b.context.db())).toEqual(leadScoreColumns(a.context.db()));
    const versions = b.context.db().prepare('SELECT DISTINCT model_version FROM lead_scores').pluck().all();
    expect(versions).toEqual([2]);
  });

  it('after a publish, a score the new version gives again only moves to that version: its scored_at, lead row and history are kept, in the full rescore as in the incremental one', async () => {
    const a = backendAt();
    const b = backendAt();
    const idsA = seedPopulation(a.context.db());
    seedPopulation(b.context.db());
    addSecondModel(a);
    addSecondModel(b);
    await full(a, { batchSize: 5 });
    await full(b, { batchSize: 5 });
    const changed: ScoringModel = {
      ...DEFAULT_MODEL,
      engagement: DEFAULT_MODEL.engagement.map((r, i) => (i === 0 ? { ...r, points: r.points + 7 } : r)),
    };
    publishVersion(a.context.db(), 1, changed, null, NOW);
    publishVersion(b.context.db(), 1, changed, null, NOW);
    // A second later: a row written by this rescore says so in its scored_at.
    const later = NOW + 1000;
    const db = (x: Backend) => x.context.db();
    const leadRows = (x: Backend) =>
      db(x).prepare('SELECT id, score_total, grade, segment, is_mql, scored_at FROM leads ORDER BY id').all();
    const stored = (x: Backend) =>
      db(x)
        .prepare(
          'SELECT lead_id, model_id, model_version, total, ledger, scored_at FROM lead_scores ORDER BY lead_id, model_id',
        )
        .all() as {
        lead_id: number;
        model_id: number;
        model_version: number;
        total: number;
        ledger: string;
        scored_at: number;
      }[];
    const before = stored(b);
    const leadsBefore = leadRows(b) as { id: number; scored_at: number | null }[];
    const historyBefore = db(b).prepare('SELECT count(*) FROM score_history').pluck().get() as number;
    rescoreLeads(db(a), idsA, later);
    const job = b.context.jobs.start('rescore');
    const outcome = await fullRescore(db(b), job, later, {
      batchSize: 5,
      save: { holdWrites: b.context.writes.hold, sliceRows: 7 },
    }).finally(() => b.context.jobs.finish(job.id));

    const after = stored(b);
    expect(after).toEqual(stored(a));
    expect(leadRows(b)).toEqual(leadRows(a));
    const keyOf = (r: { lead_id: number; model_id: number }) => `${r.lead_id}:${r.model_id}`;
    const old = new Map(before.map((r) => [keyOf(r), r]));
    const primary = after.filter((r) => r.model_id === 1);
    const same = primary.filter((r) => old.get(keyOf(r))?.ledger === r.ledger);
    const moved = primary.filter((r) => old.get(keyOf(r))?.ledger !== r.ledger);
    expect(same.length).toBeGreaterThan(0);
    expect(moved.length).toBeGreaterThan(0);
    expect(primary.every((r) => r.model_version === 2)).toBe(true);
    // Unmoved: the version alone changed; the row and the lead row keep their scored_at.
    expect(same.every((r) => r.scored_at === NOW)).toBe(true);
    const leadBefore = new Map(leadsBefore.map((l) => [l.id, l]));
    const leadAfter = new Map((leadRows(b) as { id: number; scored_at: number | null }[]).map((l) => [l.id, l]));
    expect(same.every((r) => leadAfter.get(r.lead_id)!.scored_at === NOW)).toBe(true);
    expect(same.every((r) => leadBefore.get(r.lead_id)!.scored_at === NOW)).toBe(true);
    // Moved: rewritten, with this rescore's time on the score and the lead row.
    expect(moved.every((r) => r.scored_at === later && leadAfter.get(r.lead_id)!.scored_at === later)).toBe(true);
    // History only for what the user sees change.
    const added = (db(b).prepare('SELECT count(*) FROM score_history').pluck().get() as number) - historyBefore;
    expect(added).toBe(outcome.changed);
    expect(added).toBeLessThanOrEqual(moved.length);
    // The second model was not republished: its rows are identical and untouched.
    expect(after.filter((r) => r.model_id !== 1)).toEqual(before.filter((r) => r.model_id !== 1));
  });

  it('after a publish that moves leads into MQL and out of the primary model, full equals incremental: scores, lead columns, history, stage moves and the count of changes', async () => {
    const a = backendAt();
    const b = backendAt();
    const idsA = seedPopulation(a.context.db(), 120);
    seedPopulation(b.context.db(), 120);
    await full(a, { batchSize: 7 });
    await full(b, { batchSize: 7 });
    // A lower MQL threshold makes new MQLs (the transition to the MQL stage lands with the
    // scores); small companies fall out of the model (their lead columns are cleared).
    const changed: ScoringModel = {
      ...DEFAULT_MODEL,
      appliesTo: { field: 'company_size', op: 'between', min: 60 },
      mql: { threshold: 25, minFitGrade: null },
    };
    publishVersion(a.context.db(), 1, changed, null, NOW);
    publishVersion(b.context.db(), 1, changed, null, NOW);
    const db = (x: Backend) => x.context.db();
    // Some leads suppressed by hand: the one lead-row score column with an index of its own
    // (suppressed_reason's) changes for them and for no other lead.
    for (const x of [a, b])
      db(x).prepare("UPDATE leads SET manual_suppression = 'Asked not to be called' WHERE id % 10 = 1").run();
    const historyBefore = db(b).prepare('SELECT max(id) FROM score_history').pluck().get() as number;
    const mqlBefore = db(b).prepare("SELECT count(*) FROM leads WHERE stage = 'mql'").pluck().get() as number;
    rescoreLeads(db(a), idsA, NOW);
    const outcome = await full(b, { batchSize: 7 });

    expect(scoreRows(db(b))).toEqual(scoreRows(db(a)));
    expect(leadScoreColumns(db(b))).toEqual(leadScoreColumns(db(a)));
    const stages = (x: Backend) => db(x).prepare('SELECT id, stage FROM leads ORDER BY id').all();
    expect(stages(b)).toEqual(stages(a));
    const history = (x: Backend) =>
      db(x)
        .prepare(
          `SELECT lead_id, model_id, model_version, total, fit, engagement, grade, segment, is_mql, scored_at
             FROM score_history ORDER BY lead_id, model_id, id`,
        )
        .all();
    expect(history(b)).toEqual(history(a));
    // What this rescore did, so the test cannot pass on a change that did nothing.
    expect(db(b).prepare("SELECT count(*) FROM leads WHERE stage = 'mql'").pluck().get()).toBeGreaterThan(mqlBefore);
    expect(
      db(b).prepare('SELECT count(*) FROM leads WHERE company_size < 60 AND score_total IS NOT NULL').pluck().get(),
    ).toBe(0);
    expect(
      db(b).prepare("SELECT count(*) FROM leads WHERE suppressed_reason = 'Asked not to be called'").pluck().get(),
    ).toBeGreaterThan(0);
    const added = db(b)
      .prepare('SELECT count(*) FROM score_history WHERE model_id = 1 AND id > ?')
      .pluck()
      .get(historyBefore) as number;
    expect(outcome.changed).toBe(added);
    expect(added).toBeGreaterThan(0);
  });

  it('a second run that changes nothing writes nothing (history and scored_at kept)', async () => {
    const b = backendAt();
    seedPopulation(b.context.db());
    await full(b);
    const db = b.context.db();
    const history = db.prepare('SELECT count(*) AS n FROM score_history').get();
    const scoredAt = db.prepare('SELECT max(scored_at) AS t FROM lead_scores').get();
    // Every stored row is compared with its ledger and kept: nothing is staged for the save.
    const staged: number[] = [];
    const again = await full(b, {
      save: { holdWrites: b.context.writes.hold, onSlice: (_, total) => void staged.push(total) },
    });
    expect(again.changed).toBe(0);
    expect(staged.length).toBeGreaterThan(0);
    expect(staged.every((total) => total === 0)).toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM score_history').get()).toEqual(history);
    expect(db.prepare('SELECT max(scored_at) AS t FROM lead_scores').get()).toEqual(scoredAt);
  });

  it('records history when a score changes and moves new MQLs into the MQL stage', () => {
    const b = backendAt();
    const db = b.context.db();
    const [id] = seedLeads(db, [{ email: 'ceo@acme.com', title: 'CEO', activities: [['download', 'Guide', 2]] }]);
    rescoreLeads(db, [id!], NOW);
    const before = db.prepare('SELECT score_total, is_mql, stage FROM leads WHERE id = ?').get(id) as {
      score_total: number;
      is_mql: number;
      stage: string;
    };
    expect(before.is_mql).toBe(0);
    db.prepare(
      "INSERT INTO activities (lead_id, type, asset, occurred_at) VALUES (?, 'form_fill', 'Request a demo', ?)",
    ).run(id, NOW - DAY);
    const r = rescoreLeads(db, [id!], NOW);
    expect(r.changed).toBe(1);
    const after = db.prepare('SELECT score_total, is_mql, stage, segment FROM leads WHERE id = ?').get(id) as {
      score_total: number;
      is_mql: number;
      stage: string;
      segment: string;
    };
    expect(after.score_total).toBeGreaterThan(before.score_total);
    expect(after.is_mql).toBe(1);
    expect(after.segment).toBe('hot');
    expect(after.stage).toBe('mql');
    const history = db.prepare('SELECT total FROM score_history WHERE lead_id = ? ORDER BY id').all(id) as {
      total: number;
    }[];
    expect(history.map((h) => h.total)).toEqual([before.score_total, after.score_total]);
  });
});

describe('concurrent work', () => {
  it('a lead rescored incrementally while a full rescore runs keeps its fresh score', async () => {
    const b = backendAt();
    const db = b.context.db();
    const [first] = seedLeads(db, [{ email: 'first@acme.com', title: 'Manager' }]);
    seedPopulation(db, 30);
    let fresh: unknown = null;
    const outcome = await full(b, {
      batchSize: 5,
      onBatch: (done) => {
        if (done !== 5) return;
        // An import adds activity to a lead the full rescore has already staged.
        db.prepare(
          "INSERT INTO activities (lead_id, type, asset, occurred_at) VALUES (?, 'form_fill', 'Request a demo', ?)",
        ).run(first, NOW - DAY);
        rescoreLeads(db, [first!], NOW);
        fresh = db.prepare('SELECT total, ledger FROM lead_scores WHERE lead_id = ? AND model_id = 1').get(first);
      },
    });
    expect(fresh).not.toBeNull();
    expect(db.prepare('SELECT total, ledger FROM lead_scores WHERE lead_id = ? AND model_id = 1').get(first)).toEqual(
      fresh,
    );
    // The count of changed leads leaves out the lead whose staged score gave way.
    const others = db
      .prepare('SELECT count(*) FROM score_history WHERE model_id = 1 AND lead_id <> ?')
      .pluck()
      .get(first);
    expect(outcome.changed).toBe(others);
    expect((fresh as { total: number }).total).toBeGreaterThan(12);
  });
});

describe('frozen scores', () => {
  it('closed leads keep the score they closed with unless rescored explicitly', async () => {
    const b = backendAt();
    const db = b.context.db();
    const [open, won] = seedLeads(db, [
      { email: 'open@acme.com', title: 'VP Sales', activities: [['download', 'Guide', 3]] },
      { email: 'won@acme.com', title: 'VP Sales', activities: [['download', 'Guide', 3]] },
    ]);
    await full(b);
    const frozenBefore = db.prepare('SELECT score_total, scored_at FROM leads WHERE id = ?').get(won);
    db.prepare("UPDATE leads SET stage = 'won' WHERE id = ?").run(won);
    publishVersion(
      db,
      1,
      { ...DEFAULT_MODEL, fit: DEFAULT_MODEL.fit.map((r) => ({ ...r, points: r.points * 2 })) },
      'double fit',
      NOW,
    );
    const outcome = await full(b);
    expect(outcome.frozen).toBe(1);
    expect(db.prepare('SELECT score_total, scored_at FROM leads WHERE id = ?').get(won)).toEqual(frozenBefore);
    const openTotal = (db.prepare('SELECT score_total FROM leads WHERE id = ?').get(open) as { score_total: number })
      .score_total;
    expect(openTotal).toBeGreaterThan((frozenBefore as { score_total: number }).score_total);
    // Incremental rescoring (an import touching the lead) leaves it frozen too.
    expect(rescoreLeads(db, [won!], NOW)).toEqual({ scored: 0, frozen: 1, changed: 0 });
    // An explicit rescore unfreezes.
    rescoreLeads(db, [won!], NOW, { includeClosed: true });
    expect(
      (db.prepare('SELECT score_total FROM leads WHERE id = ?').get(won) as { score_total: number }).score_total,
    ).toBe(openTotal);
  });

  it('a full rescore with includeClosed rescores closed leads', async () => {
    const b = backendAt();
    const db = b.context.db();
    const [lost] = seedLeads(db, [{ email: 'lost@acme.com', title: 'CEO', stage: 'lost' }]);
    expect((await full(b)).frozen).toBe(1);
    expect(db.prepare('SELECT score_total FROM leads WHERE id = ?').get(lost)).toEqual({ score_total: null });
    expect((await full(b, { includeClosed: true })).frozen).toBe(0);
    expect(
      (db.prepare('SELECT score_total FROM leads WHERE id = ?').get(lost) as { score_total: number }).score_total,
    ).toBeGreaterThan(0);
  });
});

describe('crash safety', () => {
  async function prepared() {
    const b = backendAt();
    const db = b.context.db();
    seedPopulation(db, 40);
    await full(b);
    publishVersion(
      db,
      1,
      { ...DEFAULT_MODEL, engagement: DEFAULT_MODEL.engagement.map((r) => ({ ...r, points: r.points + 7 })) },
      'more',
      NOW,
    );
    return {
      b,
      db,
      scores: scoreRows(db),
      leads: leadScoreColumns(db),
      history: db.prepare('SELECT count(*) AS n FROM score_history').get(),
    };
  }

  it('a failure mid-way leaves the previous scores intact', async () => {
    const { b, db, scores, leads, history } = await prepared();
    await expect(
      full(b, {
        batchSize: 5,
        onBatch: (done) => {
          if (done >= 20) throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    expect(scoreRows(db)).toEqual(scores);
    expect(leadScoreColumns(db)).toEqual(leads);
    expect(db.prepare('SELECT count(*) AS n FROM score_history').get()).toEqual(history);
    // And the next run completes normally.
    expect((await full(b)).changed).toBeGreaterThan(0);
    expect(scoreRows(db)).not.toEqual(scores);
  });

  it('a cancelled job leaves the previous scores intact', async () => {
    const { b, db, scores, leads } = await prepared();
    const events: string[] = [];
    const run = startFullRescore(b.context, {
      batchSize: 5,
      onBatch: () => {
        if (events.push('batch') === 2) b.context.jobs.cancel(run.jobId);
      },
    });
    const { outcome, error } = await run.done;
    expect(outcome).toBeNull();
    expect(error?.code).toBe('CANCELLED');
    expect(scoreRows(db)).toEqual(scores);
    expect(leadScoreColumns(db)).toEqual(leads);
  });

  it('a crash of the whole process before the swap: nothing staged lands, and opening completes the rescore', async () => {
    const { b, db, scores } = await prepared();
    // Staging lives in TEMP tables of the connection: closing it (as a crash would) drops them.
    const job = b.context.jobs.start('rescore');
    const pending = fullRescore(db, job, NOW, { batchSize: 5, onBatch: () => b.close() }).catch((e: unknown) => e);
    expect(await pending).toBeInstanceOf(Error);
    // The published version 2 must not stay beside version 1's scores: opening rescores.
    const reopened = tempBackendReopen(b);
    const rdb = reopened.context.db();
    const healed = scoreRows(rdb);
    expect(healed).not.toEqual(scores);
    expect(rdb.prepare('SELECT DISTINCT model_version FROM lead_scores WHERE model_id = 1').pluck().all()).toEqual([2]);
    expect(rdb.prepare("SELECT count(*) FROM workspace_meta WHERE key = 'rescore_pending'").pluck().get()).toBe(0);
    // What opening wrote is what a full rescore writes.
    await full(reopened);
    expect(scoreRows(rdb)).toEqual(healed);
  });
});

function tempBackendReopen(b: Backend & { path?: string }): Backend {
  const r = tempBackend({ now: () => NOW });
  r.context.openWorkspace((b as Backend & { path: string }).path, false);
  return r;
}
