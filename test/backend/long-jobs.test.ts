/**
 * Reads and writes during the long jobs (import, a full rescore's save, a round-trip apply,
 * an export, learning, model health, a draft's preview), as the contract routes them
 * (backend.ts, write-queue.ts): a read issued while a job runs is answered at once, before
 * the job ends, with the data as last committed; a write issued during an import runs after
 * it, in its own transaction, so the import's rollback keeps it.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventName, Events, JobProgress } from '../../shared/contract';
import { DEFAULT_MODEL } from '../../shared/scoring';
import { publishVersion } from '../../electron/backend/services/scoring/models';
import { startFullRescore } from '../../electron/backend/services/scoring/rescore-job';
import { REAL_DATA, REPO_ROOT, tempBackend, tempDir } from './helpers';
import { NOW, seed } from './exchange/fixtures';
import { editCsv } from './exchange/sheet-edit';
import { seedPopulation } from './scoring/seed';

const XE = join(REAL_DATA, 'xeducation_leads.csv');

type Listener = (name: EventName, payload: Events[EventName]) => void;

/** A backend on a fresh workspace whose events the test can watch. */
function watchedBackend(now?: () => number) {
  let listener: Listener = () => undefined;
  const b = tempBackend({
    ...(now ? { now } : {}),
    emit: (name, payload) => listener(name, payload as Events[EventName]),
  });
  return Object.assign(b, { watch: (fn: Listener) => (listener = fn) });
}

/** The order in which things happened, by name. */
function timeline() {
  const order: string[] = [];
  const note =
    (what: string) =>
    <T>(value: T): T => {
      order.push(what);
      return value;
    };
  return { order, note };
}

describe('a read issued during a long job', () => {
  it('during an import: answered before the import ends, with the leads as last committed', async () => {
    const b = watchedBackend();
    await b.invoke('import-run', {
      path: join(REPO_ROOT, 'resources/samples/starter-leads.csv'),
      options: { kind: 'leads' },
    });
    const committed = await b.invoke('leads-counts', {});
    const { leadCount } = await b.invoke('workspace-info', {});
    const { order, note } = timeline();
    let read = null as Promise<unknown> | null;
    b.watch((name, payload) => {
      const p = payload as Events['job-progress'];
      if (read || name !== 'job-progress' || p.phase !== 'importing' || p.done === 0) return;
      read = Promise.all([b.invoke('leads-counts', {}), b.invoke('workspace-info', {}).then((i) => i.leadCount)]).then(
        note('read answered'),
      );
    });
    const imported = await b
      .invoke('import-run', { path: XE, options: { kind: 'leads', blankPlaceholders: true } })
      .then(note('import done'));
    expect(imported.inserted).toBe(9240);
    // The import's rows were not committed yet (its history row, 'running', was).
    expect(await read).toEqual([committed, leadCount]);
    expect(order).toEqual(['read answered', 'import done']);
    expect((await b.invoke('workspace-info', {})).leadCount).toBe(leadCount + 9240);
  });

  it("during a full rescore's save: answered before the save commits, with the previous scores", async () => {
    const b = tempBackend({ now: () => NOW });
    seedPopulation(b.context.db());
    expect((await startFullRescore(b.context).done).error).toBeNull();
    const query = { sort: { column: 'score_total', dir: 'desc' }, limit: 500 } as const;
    const before = await b.invoke('leads-query', query);
    publishVersion(
      b.context.db(),
      1,
      { ...DEFAULT_MODEL, engagement: DEFAULT_MODEL.engagement.map((r) => ({ ...r, points: r.points + 9 })) },
      null,
      NOW,
    );
    const { order, note } = timeline();
    let read = null as Promise<unknown> | null;
    const run = startFullRescore(b.context, {
      helpersFrom: Number.MAX_SAFE_INTEGER,
      save: {
        sliceRows: 4,
        onSlice: () => {
          read ??= b.invoke('leads-query', query).then(note('read answered'));
        },
      },
    });
    expect((await run.done.then(note('save committed'))).error).toBeNull();
    expect(((await read) as typeof before).rows).toEqual(before.rows);
    expect(order).toEqual(['read answered', 'save committed']);
    expect((await b.invoke('leads-query', query)).rows).not.toEqual(before.rows);
  });

  it('during a round-trip apply: answered before the apply ends, with the lead as last committed', async () => {
    const b = watchedBackend(() => NOW);
    const s = seed(b.context.db());
    const dir = tempDir();
    const pack = await b.invoke('export-owner-packs', {
      layout: 'files',
      format: 'csv',
      out: dir,
      columns: ['name', 'email', 'phone', 'company'],
      timeZone: 'UTC',
    });
    const file = pack.files[0]!.path;
    const lead = s.ids[0]!;
    editCsv(file, [
      { leadUid: s.uids[0]!, set: { Phone: '+1 415 555 0199' } },
      { leadUid: null, set: { Email: 'hal@theta.example', Name: 'Hal' } },
    ]);
    const preview = await b.invoke('roundtrip-inspect', { path: file });
    const committed = await b.invoke('lead-get', { id: lead });
    const counts = await b.invoke('leads-counts', {});
    const { order, note } = timeline();
    let read = null as Promise<unknown> | null;
    b.watch((name) => {
      // The apply has backed the workspace up and goes on to write the sheet.
      if (name !== 'backup-created' || read) return;
      read = Promise.all([b.invoke('lead-get', { id: lead }), b.invoke('leads-counts', {})]).then(
        note('read answered'),
      );
    });
    const applied = await b
      .invoke('roundtrip-apply', { path: file, fileSha256: preview.fileSha256 })
      .then(note('apply done'));
    expect(applied.applied).toMatchObject({ field: 1, 'new-lead': 1 });
    expect(await read).toEqual([committed, counts]);
    expect(order).toEqual(['read answered', 'apply done']);
    expect((await b.invoke('lead-get', { id: lead })).lead.phone).toBe('+1 415 555 0199');
  });
});

/**
 * Runs `job` and issues `reads` at the first progress its kind of job reports (not its last):
 * returns what the reads answered and whether they were answered before the job ended.
 */
async function readDuring<R>(
  b: ReturnType<typeof watchedBackend>,
  kind: JobProgress['kind'],
  job: () => Promise<unknown>,
  reads: () => Promise<R>,
  /** The phase the read is issued in (default: the first progress); the order then also notes the next phase. */
  phase?: string,
): Promise<{ order: string[]; answer: R | null }> {
  const { order, note } = timeline();
  let read = null as Promise<R> | null;
  b.watch((name, payload) => {
    const p = payload as JobProgress;
    if (name !== 'job-progress' || p.kind !== kind || p.finished) return;
    if (read) {
      if (phase !== undefined && p.phase !== phase && !order.includes(`${p.phase} reported`))
        order.push(`${p.phase} reported`);
      return;
    }
    if (phase !== undefined && p.phase !== phase) return;
    read = reads().then(note('read answered'));
  });
  await job().then(note('job done'));
  b.watch(() => undefined);
  return { order, answer: await read };
}

describe('a read issued during the other long jobs, on X Education with its outcome', () => {
  const b = watchedBackend();
  /** What the reads answer as last committed before each job. */
  const committed = () => Promise.all([b.invoke('leads-counts', {}), b.invoke('lead-get', { id: 1 })]);
  beforeAll(async () => {
    await b.invoke('import-run', {
      path: XE,
      options: { kind: 'leads', blankPlaceholders: true, outcome: { column: 'Converted', won: ['1'] } },
    });
  }, 120_000);

  it('during an export: answered before the export ends', async () => {
    const before = await committed();
    const out = join(tempDir(), 'all.csv');
    const run = await readDuring(
      b,
      'export',
      () => b.invoke('export-leads', { source: { kind: 'all' }, out, format: 'csv' }),
      committed,
    );
    expect(run.order).toEqual(['read answered', 'job done']);
    expect(run.answer).toEqual(before);
  });

  it('during learning from outcomes: answered before learning ends', async () => {
    const before = await committed();
    const run = await readDuring(b, 'learn', () => b.invoke('model-learn', {}), committed);
    expect(run.order).toEqual(['read answered', 'job done']);
    expect(run.answer).toEqual(before);
  }, 120_000);

  it("during learning's fit: answered while the regression is fitted (on its own thread), not after it", async () => {
    const before = await committed();
    const run = await readDuring(b, 'learn', () => b.invoke('model-learn', {}), committed, 'Fitting');
    // On the backend thread the fit ran to 'Rounding' before any request was served.
    expect(run.order.slice(0, 2)).toEqual(['read answered', 'Rounding reported']);
    expect(run.order.at(-1)).toBe('job done');
    expect(run.answer).toEqual(before);
  }, 120_000);

  it('during model health: answered before the report ends', async () => {
    const before = await committed();
    const run = await readDuring(b, 'learn', () => b.invoke('report-model', {}), committed);
    expect(run.order).toEqual(['read answered', 'job done']);
    expect(run.answer).toEqual(before);
  }, 120_000);

  it("during a draft's preview: answered before the preview ends", async () => {
    const before = await committed();
    const run = await readDuring(
      b,
      'rescore',
      () => b.invoke('model-preview', { modelId: 1, exampleLimit: 5 }),
      committed,
    );
    expect(run.order).toEqual(['read answered', 'job done']);
    expect(run.answer).toEqual(before);
  }, 120_000);
});

describe('a write issued during an import', () => {
  it('lands after the import, outside its transaction: a cancelled import rolls back without it', async () => {
    const b = watchedBackend();
    const leadsBefore = (await b.invoke('workspace-info', {})).leadCount;
    const { order, note } = timeline();
    let wrote = null as Promise<unknown> | null;
    b.watch((name, payload) => {
      const p = payload as Events['job-progress'];
      if (wrote || name !== 'job-progress' || p.phase !== 'importing' || p.done === 0) return;
      wrote = b
        .invoke('owner-save', { name: 'Dana Rep', email: 'dana@example.com', role: 'rep' })
        .then(note('write done'));
      // The write waits in the queue: the import is still running, and is cancelled now.
      void b.invoke('job-cancel', { jobId: p.jobId });
    });
    const imported = await b
      .invoke('import-run', { path: XE, options: { kind: 'leads' } })
      .then(
        () => 'finished',
        (err: { code?: string }) => err.code,
      )
      .then(note('import ended'));
    expect(imported).toBe('CANCELLED');
    await wrote;
    expect(order).toEqual(['import ended', 'write done']);
    // The import's rollback took none of the write along.
    expect((await b.invoke('owners-list', {})).map((o) => o.email)).toContain('dana@example.com');
    expect((await b.invoke('workspace-info', {})).leadCount).toBe(leadsBefore);
  });
});
