// The full rescore with scoring helper threads: the real helper entry (through tsx, as the
// benchmark runs it, and the bundled one the CLI runs) sharing batches with the backend thread.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../electron/backend/backend';
import { fullRescore, type FullRescoreOptions } from '../../../electron/backend/services/scoring/full-rescore';
import { publishVersion } from '../../../electron/backend/services/scoring/models';
import { previewModel } from '../../../electron/backend/services/scoring/preview';
import { startFullRescore } from '../../../electron/backend/services/scoring/rescore-job';
import { DEFAULT_MODEL } from '../../../shared/scoring';
import { builtCli, tempBackend, tempDir } from '../helpers';
import { leadScoreColumns, NOW, scoreRows, seedPopulation } from './seed';

async function full(b: Backend, options: FullRescoreOptions) {
  const job = b.context.jobs.start('rescore');
  try {
    return await fullRescore(b.context.db(), job, b.context.now(), options);
  } finally {
    b.context.jobs.finish(job.id);
  }
}

const SHARED = { batchSize: 4, helpersFrom: 0 } as const;
const MORE_POINTS = {
  ...DEFAULT_MODEL,
  engagement: DEFAULT_MODEL.engagement.map((r) => ({ ...r, points: r.points + 3 })),
  // A field engagement rule too: helpers read the lead fields it counts as the backend does.
  fieldEngagement: [
    { id: 'size', name: 'Company size', field: 'company_size', points: 2, per: 50, unit: 'fifty people', cap: 9 },
  ],
};

/** Two identical workspaces: one rescored on the backend thread alone, one with helpers. */
function pair(helperCount: number, entry?: string) {
  const alone = tempBackend({ now: () => NOW, scoringHelperEntry: null });
  const shared = tempBackend({
    now: () => NOW,
    scoringHelperCount: helperCount,
    ...(entry ? { scoringHelperEntry: entry } : {}),
  });
  seedPopulation(alone.context.db(), 120);
  seedPopulation(shared.context.db(), 120);
  return { alone, shared };
}

function history(b: Backend): unknown[] {
  return b.context
    .db()
    .prepare('SELECT lead_id, model_id, model_version, total, grade, segment, is_mql FROM score_history ORDER BY id')
    .all()
    .map((r) => r);
}

describe('full rescore with scoring helper threads', () => {
  it('stores exactly what the backend thread alone stores, while the helpers take batches', async () => {
    const { alone, shared } = pair(2);
    const seen: number[] = [];
    const a = await full(alone, SHARED);
    const s = await full(shared, { ...SHARED, helpers: shared.context.scoringHelpers, onBatch: (d) => seen.push(d) });
    expect(s).toEqual({ ...a, durationMs: s.durationMs });
    expect(scoreRows(shared.context.db())).toEqual(scoreRows(alone.context.db()));
    expect(leadScoreColumns(shared.context.db())).toEqual(leadScoreColumns(alone.context.db()));
    // Every batch was staged once: progress reached every lead exactly.
    expect(seen.at(-1)).toBe(120);
    expect(seen.length).toBe(30);

    // A model change, rescored again: history and lead rows still identical.
    for (const b of [alone, shared]) publishVersion(b.context.db(), 1, MORE_POINTS, 'more', NOW);
    await full(alone, SHARED);
    expect(await shared.context.scoringHelpers.warm()).toBe(2);
    let byHelpers = 0;
    const again = await full(shared, {
      ...SHARED,
      helpers: shared.context.scoringHelpers,
      onBatch: (_, byHelper) => {
        if (byHelper) byHelpers++;
        // A busy backend thread (as when it writes a big batch): the helpers take the rest.
        else for (const until = Date.now() + 20; Date.now() < until;);
      },
    });
    expect(again.changed).toBeGreaterThan(0);
    // The helpers started during the first run; now warm, they share the batches.
    expect(byHelpers).toBeGreaterThan(0);
    expect(scoreRows(shared.context.db())).toEqual(scoreRows(alone.context.db()));
    expect(leadScoreColumns(shared.context.db())).toEqual(leadScoreColumns(alone.context.db()));
    expect(history(shared).length).toBe(history(alone).length);
  });

  it('the bundled helper (out/cli/score-helper.js, what the built CLI starts) stores the same scores', async () => {
    const { alone, shared } = pair(1, join(builtCli().dir, 'score-helper.js'));
    await full(alone, SHARED);
    expect(await shared.context.scoringHelpers.warm()).toBe(1);
    let byHelper = 0;
    await full(shared, {
      ...SHARED,
      helpers: shared.context.scoringHelpers,
      onBatch: (_, helped) => {
        if (helped) byHelper++;
        else for (const until = Date.now() + 20; Date.now() < until;);
      },
    });
    expect(byHelper).toBeGreaterThan(0);
    expect(scoreRows(shared.context.db())).toEqual(scoreRows(alone.context.db()));
    expect(leadScoreColumns(shared.context.db())).toEqual(leadScoreColumns(alone.context.db()));
  });

  it('a helper that cannot start only costs speed: the backend thread scores its batches', async () => {
    const broken = join(tempDir(), 'broken-helper.mjs');
    writeFileSync(broken, "throw new Error('this helper does not start');\n");
    const { alone, shared } = pair(1, broken);
    await full(alone, SHARED);
    const s = await full(shared, { ...SHARED, helpers: shared.context.scoringHelpers });
    expect(s.scored).toBeGreaterThan(0);
    expect(scoreRows(shared.context.db())).toEqual(scoreRows(alone.context.db()));
    expect(leadScoreColumns(shared.context.db())).toEqual(leadScoreColumns(alone.context.db()));
    // It is not started again for every later job.
    expect(await shared.context.scoringHelpers.warm()).toBe(0);
  });

  it('a helper that dies holding claimed batches only costs speed: those batches are scored here', async () => {
    // A helper that claims two batches, then stops without delivering them.
    const dying = join(tempDir(), 'dying-helper.mjs');
    writeFileSync(
      dying,
      `import { parentPort } from 'node:worker_threads';
       parentPort.on('message', (m) => {
         if (m.type === 'ping') return parentPort.postMessage({ type: 'pong', jobId: -1 });
         const counter = new Int32Array(m.job.counter);
         Atomics.add(counter, 0, 1);
         Atomics.add(counter, 0, 1);
         process.exit(3);
       });\n`,
    );
    const { alone, shared } = pair(1, dying);
    await full(alone, SHARED);
    expect(await shared.context.scoringHelpers.warm()).toBe(1);
    const seen: number[] = [];
    const s = await full(shared, {
      ...SHARED,
      helpers: shared.context.scoringHelpers,
      onBatch: (done, byHelper) => {
        expect(byHelper).toBe(false);
        seen.push(done);
      },
    });
    expect(seen.length).toBe(30);
    expect(s.scored).toBeGreaterThan(0);
    expect(scoreRows(shared.context.db())).toEqual(scoreRows(alone.context.db()));
    expect(leadScoreColumns(shared.context.db())).toEqual(leadScoreColumns(alone.context.db()));
  });

  it('a cancelled job with helpers leaves the previous scores intact, and the next one completes', async () => {
    const { shared } = pair(1);
    const db = shared.context.db();
    await full(shared, SHARED);
    publishVersion(db, 1, MORE_POINTS, 'more', NOW);
    const scores = scoreRows(db);
    const leads = leadScoreColumns(db);
    let batches = 0;
    const run = startFullRescore(shared.context, {
      ...SHARED,
      onBatch: () => {
        if (++batches === 3) shared.context.jobs.cancel(run.jobId);
      },
    });
    const { outcome, error } = await run.done;
    expect(outcome).toBeNull();
    expect(error?.code).toBe('CANCELLED');
    expect(scoreRows(db)).toEqual(scores);
    expect(leadScoreColumns(db)).toEqual(leads);
    const next = await startFullRescore(shared.context, SHARED).done;
    expect(next.outcome?.changed).toBeGreaterThan(0);
    expect(scoreRows(db)).not.toEqual(scores);
  });

  it("the save's COMMIT leaves the write-ahead log to a helper, which copies it into the file", async () => {
    const { alone, shared } = pair(1);
    const db = shared.context.db();
    await full(shared, SHARED);
    await full(alone, SHARED);
    publishVersion(db, 1, MORE_POINTS, 'more', NOW);
    publishVersion(alone.context.db(), 1, MORE_POINTS, 'more', NOW);
    const helpers = shared.context.scoringHelpers;
    const seen: { path: string; autoCheckpoint: unknown }[] = [];
    let checkpointed: Promise<boolean> = Promise.resolve(false);
    const run = startFullRescore(shared.context, {
      ...SHARED,
      helpers: {
        ...helpers,
        checkpoint: (path) => {
          // Called after the COMMIT: auto-checkpoint is still off on the backend's connection.
          seen.push({ path, autoCheckpoint: db.pragma('wal_autocheckpoint', { simple: true }) });
          checkpointed = helpers.checkpoint(path);
          return checkpointed;
        },
      },
    });
    expect((await run.done).outcome?.changed).toBeGreaterThan(0);
    expect(seen).toEqual([{ path: db.name, autoCheckpoint: 0 }]);
    expect(await checkpointed).toBe(true);
    // The helper copied every frame: nothing is left for this connection to checkpoint.
    const [left] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    expect(left!.log).toBe(left!.checkpointed);
    await Promise.resolve();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await full(alone, SHARED);
    expect(scoreRows(db)).toEqual(scoreRows(alone.context.db()));
  });

  it('a draft preview shared with helpers finds exactly what the backend thread alone finds', async () => {
    const { alone, shared } = pair(1);
    await full(alone, SHARED);
    await full(shared, SHARED);
    expect(await shared.context.scoringHelpers.warm()).toBe(1);
    const draft = { ...MORE_POINTS, mql: { threshold: 30, minFitGrade: null } };
    const expected = await previewModel(alone.context.db(), 1, draft, NOW, null, { batchSize: 4, exampleLimit: 5 });
    let byHelpers = 0;
    const got = await previewModel(shared.context.db(), 1, draft, NOW, null, {
      batchSize: 4,
      exampleLimit: 5,
      helpers: shared.context.scoringHelpers,
      helpersFrom: 0,
      onBatch: (byHelper) => {
        if (byHelper) byHelpers++;
        // A busy backend thread: the helper takes batches meanwhile.
        else for (const until = Date.now() + 20; Date.now() < until;);
      },
    });
    expect(byHelpers).toBeGreaterThan(0);
    expect(got.leadsChanged).toBeGreaterThan(0);
    expect(got.examples).toHaveLength(5);
    expect({ ...got, durationMs: 0 }).toEqual({ ...expected, durationMs: 0 });
  });

  it('closing the helpers lets a checkpoint in flight finish instead of terminating its thread inside SQLite', async () => {
    // A thread terminated inside SQLite aborts the whole process when SQLite then fails (seen
    // as "FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal" after an import filled the disk).
    const { shared } = pair(1);
    const db = shared.context.db();
    const helpers = shared.context.scoringHelpers;
    expect(await helpers.warm()).toBe(1);
    db.pragma('wal_autocheckpoint = 0');
    db.exec("UPDATE leads SET company = company || ' Ltd'");
    const checkpointed = helpers.checkpoint(db.name);
    // The request reaches the helper's thread; then the backend closes.
    await new Promise((r) => setImmediate(r));
    await helpers.close();
    expect(await checkpointed).toBe(true);
    const [left] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    expect(left!.log).toBe(left!.checkpointed);
  });
});
