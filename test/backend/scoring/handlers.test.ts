import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../electron/backend/backend';
import { ledgerTexts } from '../../../electron/backend/services/scoring/explain';
import { activeRescore } from '../../../electron/backend/services/scoring/rescore-job';
import type { EventName, RescoreOutcome } from '../../../shared/contract';
import { changedPerModel } from '../../../shared/scoring/changed-per-model';
import { DEFAULT_MODEL, type ScoringModel } from '../../../shared/scoring';
import { tempBackend, tempDir } from '../helpers';
import { NOW, seedLeads, seedPopulation } from './seed';

function setup(): { b: Backend; events: [EventName, unknown][]; ids: number[] } {
  const events: [EventName, unknown][] = [];
  const b = tempBackend({ now: () => NOW, emit: (name, payload) => events.push([name, payload]) });
  const ids = seedLeads(b.context.db(), [
    {
      email: 'ceo@acme.com',
      title: 'CEO',
      activities: [
        ['download', 'Pricing guide', 29],
        ['page_visit', '/pricing', 10],
      ],
    },
    { email: 'vp@acme.com', title: 'VP Sales', activities: [['page_visit', '/careers', 3]] },
    { email: 'student@uni.edu', title: 'Student', activities: [['download', 'Guide', 2]] },
  ]);
  seedPopulation(b.context.db(), 30);
  return { b, events, ids };
}

async function settle(b: Backend): Promise<void> {
  const run = activeRescore(b.context.db());
  if (run) await run.done;
}

describe('scoring handlers', () => {
  it('list, get, validate and save drafts with readable issues', async () => {
    const { b } = setup();
    const list = await b.invoke('models-list', {});
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      name: 'Default',
      isPrimary: true,
      publishedVersion: 1,
      versionCount: 1,
      hasDraft: false,
    });
    const detail = await b.invoke('model-get', { modelId: 1 });
    expect(detail.published).toEqual(DEFAULT_MODEL);

    const bad = {
      ...DEFAULT_MODEL,
      engagement: DEFAULT_MODEL.engagement.map((r, i) => (i === 2 ? { ...r, points: 'lots' } : r)),
    };
    const v = await b.invoke('model-validate', { definition: bad });
    expect(v.ok).toBe(false);
    expect(v.issues[0]).toEqual({
      path: ['engagement', 2, 'points'],
      message: "engagement rule 'Demo request page' (#3): points must be a number",
    });

    const saved = await b.invoke('model-save-draft', { modelId: 1, definition: bad });
    expect(saved.ok).toBe(false);
    const withDraft = await b.invoke('model-get', { modelId: 1 });
    expect(withDraft.hasDraft).toBe(true);
    expect(withDraft.draft).toEqual(bad);
    expect(withDraft.draftIssues).toHaveLength(1);

    // Publishing an invalid draft is refused as error data, with the issues as details.
    const r = await b.handle('model-publish', { modelId: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('MODEL_INVALID');
      expect(r.error.message).toContain("engagement rule 'Demo request page' (#3): points must be a number");
      expect((r.error.details as { issues: unknown[] }).issues).toHaveLength(1);
    }
    expect((await b.invoke('model-discard-draft', { modelId: 1 })).hasDraft).toBe(false);
    expect((await b.handle('model-get', { modelId: 99 })).ok).toBe(false);
    expect((await b.handle('score-adjust', { leadId: 1, points: 2.5, reason: 'x' })).ok).toBe(false);
  });

  it('withdraws a publication whose rescore fails: the model stays as it was, the draft kept', async () => {
    const { b, events } = setup();
    await b.invoke('scores-rescore', {});
    await settle(b);
    const draft: ScoringModel = {
      ...DEFAULT_MODEL,
      fit: DEFAULT_MODEL.fit.map((r) => ({ ...r, points: r.points + 3 })),
    };
    await b.invoke('model-save-draft', { modelId: 1, definition: draft });
    const scoresBefore = b.context.db().prepare('SELECT * FROM lead_scores ORDER BY lead_id, model_id').all();
    // The save of scores fails as a full disk would make it fail: a real SQLite error mid-save.
    for (const op of ['INSERT', 'UPDATE'])
      b.context
        .db()
        .exec(
          `CREATE TRIGGER fail_${op} BEFORE ${op} ON lead_scores BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`,
        );
    const published = await b.invoke('model-publish', { modelId: 1, note: 'fit +3' });
    await settle(b);
    const finished = events.find(
      ([n, p]) => n === 'rescore-finished' && (p as { jobId: string }).jobId === published.jobId,
    )?.[1] as { error: string | null };
    expect(finished.error).toMatch(/^The model was not published, because its rescore failed: /);
    const detail = await b.invoke('model-get', { modelId: 1 });
    expect(detail.publishedVersion).toBe(1);
    expect(detail.published).toEqual(DEFAULT_MODEL);
    expect(detail.draft).toEqual(draft);
    expect((await b.invoke('model-versions', { modelId: 1 })).map((v) => v.version)).toEqual([1]);
    expect(b.context.db().prepare('SELECT * FROM lead_scores ORDER BY lead_id, model_id').all()).toEqual(scoresBefore);
    // Published again once the disk has room: the number withdrawn is used again.
    for (const op of ['INSERT', 'UPDATE']) b.context.db().exec(`DROP TRIGGER fail_${op}`);
    expect((await b.invoke('model-publish', { modelId: 1, note: 'fit +3' })).version).toBe(2);
    await settle(b);
    expect((await b.invoke('model-get', { modelId: 1 })).published).toEqual(draft);
  });

  it('previews a new, never-published model against what the leads show today', async () => {
    const { b } = setup();
    await b.invoke('scores-rescore', {});
    await settle(b);
    const created = await b.invoke('model-create', { name: 'Second opinion', copyOf: 1 });
    const preview = await b.invoke('model-preview', { modelId: created.id, exampleLimit: 5 });
    // The copy scores every lead exactly as the primary model does: nothing moves, and no lead
    // comes "from Not scored", which is what comparing with the new model's own (no) scores gave.
    expect(preview.comparedWith).toEqual({ modelId: 1, name: expect.any(String) as string });
    expect(preview.leadsChanged).toBe(0);
    expect(preview.segmentMatrix.every((c) => c.from !== null && c.from === c.to)).toBe(true);
    expect(preview.mqlBefore).toBe(preview.mqlAfter);
  });

  it('preview, publish with a rescore job, versions and restore', async () => {
    const { b, events, ids } = setup();
    await b.invoke('scores-rescore', {});
    await settle(b);
    const before = await b.invoke('lead-explain', { leadId: ids[1]! });
    expect(before.score?.segment).toBe('cold');

    const draft: ScoringModel = {
      ...DEFAULT_MODEL,
      segments: {
        ...DEFAULT_MODEL.segments,
        bands: DEFAULT_MODEL.segments.bands.map((x) => (x.key === 'warm' ? { ...x, min: 5 } : x)),
      },
    };
    await b.invoke('model-save-draft', { modelId: 1, definition: draft });
    const preview = await b.invoke('model-preview', { modelId: 1, exampleLimit: 5 });
    expect(preview.leadsChanged).toBeGreaterThan(0);
    expect(preview.segmentMatrix.find((c) => c.from === 'cold' && c.to === 'warm')?.count).toBeGreaterThan(0);
    expect(preview.segmentMatrix.reduce((s, c) => s + c.count, 0)).toBe(preview.leadsConsidered);
    expect(preview.gradeMatrix.reduce((s, c) => s + c.count, 0)).toBe(preview.leadsConsidered);
    expect(preview.examples.length).toBeGreaterThan(0);
    expect(preview.examples.length).toBeLessThanOrEqual(5);
    expect(preview.examples[0]).toMatchObject({ fromSegment: 'cold', toSegment: 'warm' });
    // Preview wrote nothing.
    expect((await b.invoke('lead-explain', { leadId: ids[1]! })).score?.segment).toBe('cold');

    const published = await b.invoke('model-publish', { modelId: 1, note: 'warm from 5' });
    expect(published.version).toBe(2);
    // Publishing is destructive for scores: an automatic backup of the workspace came first.
    const backups = await b.invoke('backups-list', {});
    expect(backups).toEqual([expect.objectContaining({ kind: 'auto', reason: 'model publish', exists: true })]);
    await settle(b);
    expect(
      events.some(([n, p]) => n === 'rescore-finished' && (p as { jobId: string }).jobId === published.jobId),
    ).toBe(true);
    expect(events.some(([n]) => n === 'job-progress')).toBe(true);
    expect(events.some(([n, p]) => n === 'data-changed' && (p as { tables: string[] }).tables.includes('scores'))).toBe(
      true,
    );
    const after = await b.invoke('lead-explain', { leadId: ids[1]! });
    expect(after.score?.segment).toBe('warm');
    expect(after.history.map((h) => h.segment)).toEqual(['cold', 'warm']);

    const versions = await b.invoke('model-versions', { modelId: 1 });
    expect(versions.map((v) => [v.version, v.note, v.isCurrent])).toEqual([
      [2, 'warm from 5', true],
      [1, 'Default model', false],
    ]);
    const restored = await b.invoke('model-restore', { modelId: 1, version: 1 });
    expect(restored.version).toBe(3);
    await settle(b);
    expect((await b.invoke('lead-explain', { leadId: ids[1]! })).score?.segment).toBe('cold');
    expect((await b.invoke('model-versions', { modelId: 1 }))[0]).toMatchObject({
      version: 3,
      note: 'Restored version 1',
    });
  });

  it('explains a lead in plain words; adjustments appear in the ledger', async () => {
    const { b, ids } = setup();
    await b.invoke('scores-rescore', {});
    await settle(b);
    const ex = await b.invoke('lead-explain', { leadId: ids[0]! });
    expect(ex.frozen).toBe(false);
    expect(ex.text).toContain("+15 Downloaded 'Pricing guide' on 3 Mar 2026 (Content download)");
    expect(ex.score!.ledger.reduce((s, e) => s + e.points, 0)).toBe(ex.score!.total);
    // The batch form used by exports renders the same words (without the heading line).
    const texts = ledgerTexts(b.context.db(), [ids[0]!, ids[1]!, 99_999], 1);
    expect([...texts.keys()]).toEqual([ids[0]!, ids[1]!]);
    expect(texts.get(ids[0]!)).toBe(ex.text.split('\n').slice(1).join('\n'));
    const student = await b.invoke('lead-explain', { leadId: ids[2]! });
    expect(student.score?.suppressedReason).toBe('Student');
    expect(student.text).toContain('Suppressed: Student');

    const adjusted = await b.invoke('score-adjust', {
      leadId: ids[0]!,
      points: -12,
      reason: 'Budget frozen',
      actor: 'Sam',
    });
    expect(adjusted.score!.total).toBe(ex.score!.total - 12);
    expect(adjusted.adjustments).toMatchObject([{ points: -12, reason: 'Budget frozen', actor: 'Sam' }]);
    expect(adjusted.text).toContain('-12 Manual adjustment by Sam on 1 Apr 2026: Budget frozen');
    const removed = await b.invoke('score-adjustment-delete', { adjustmentId: adjusted.adjustments[0]!.id });
    expect(removed.score!.total).toBe(ex.score!.total);
    expect(removed.history.map((h) => h.total)).toEqual([ex.score!.total, ex.score!.total - 12, ex.score!.total]);
  });

  it('import/export JSON files, several models, primary switch', async () => {
    const { b, ids } = setup();
    const dir = tempDir();
    const out = join(dir, 'default.json');
    const exported = await b.invoke('model-export-json', { modelId: 1, path: out });
    expect(exported.version).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(DEFAULT_MODEL);

    const enterprise: ScoringModel = {
      ...DEFAULT_MODEL,
      name: 'Enterprise',
      fit: [{ id: 'all', name: 'Everyone', when: { field: 'email', op: 'is_not_blank' }, points: 100 }],
    };
    const file = join(dir, 'enterprise.json');
    writeFileSync(file, JSON.stringify(enterprise));
    const imported = await b.invoke('model-import-json', { path: file });
    expect(imported.issues).toEqual([]);
    expect(imported.model).toMatchObject({
      name: 'Enterprise',
      isPrimary: false,
      publishedVersion: null,
      hasDraft: true,
    });
    const id = imported.model.id;

    writeFileSync(join(dir, 'broken.json'), '{ nope');
    const broken = await b.handle('model-import-json', { path: join(dir, 'broken.json') });
    expect(broken.ok ? null : broken.error.code).toBe('MODEL_INVALID');
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ ...enterprise, mql: { threshold: 'high' } }));
    const withIssues = await b.invoke('model-import-json', { path: invalid, modelId: id });
    expect(withIssues.issues.map((i) => i.message)).toEqual(['mql: threshold must be a number']);
    await b.invoke('model-save-draft', { modelId: id, definition: enterprise });

    expect((await b.handle('model-set-primary', { modelId: id })).ok).toBe(false); // not published yet
    await b.invoke('model-publish', { modelId: id });
    await settle(b);
    const both = await b.invoke('lead-explain', { leadId: ids[1]! });
    expect(both.models.map((m) => m.modelName)).toEqual(['Default', 'Enterprise']);
    const models = await b.invoke('model-set-primary', { modelId: id });
    expect(models[0]).toMatchObject({ id, isPrimary: true });
    const lead = b.context.db().prepare('SELECT score_total FROM leads WHERE id = ?').get(ids[1]!) as {
      score_total: number;
    };
    expect(lead.score_total).toBe(both.models[1]!.total);
    expect((await b.handle('model-delete', { modelId: id })).ok).toBe(false); // primary
    await b.invoke('model-set-primary', { modelId: 1 });
    expect(await b.invoke('model-delete', { modelId: id })).toHaveLength(1);
  });

  it('explicit lead rescore unfreezes closed leads; a second full rescore is BUSY while one runs', async () => {
    const { b, ids } = setup();
    const db = b.context.db();
    db.prepare("UPDATE leads SET stage = 'won' WHERE id = ?").run(ids[0]!);
    const job = await b.invoke('scores-rescore', {});
    const busy = await b.handle('scores-rescore', {});
    expect(busy.ok ? null : busy.error.code).toBe('BUSY');
    await settle(b);
    expect(job.jobId).toMatch(/^rescore-/);
    expect((await b.invoke('lead-explain', { leadId: ids[0]! })).score).toBeNull();
    expect(await b.invoke('leads-rescore', { leadIds: [ids[0]!] })).toEqual({ scored: 1, frozen: 0, changed: 1 });
    const ex = await b.invoke('lead-explain', { leadId: ids[0]! });
    expect(ex.frozen).toBe(true);
    expect(ex.text).toContain('(frozen: stage won)');
  });

  it('reports changed scores per model: publishing a model that is not primary moves its own, not 0', async () => {
    const { b, events } = setup();
    await b.invoke('scores-rescore', {});
    await settle(b);
    const created = await b.invoke('model-create', { name: 'Second opinion', copyOf: 1 });
    const published = await b.invoke('model-publish', { modelId: created.id });
    await settle(b);
    const finished = events.find(
      ([n, p]) => n === 'rescore-finished' && (p as { jobId: string }).jobId === published.jobId,
    )?.[1] as { outcome: RescoreOutcome };
    const db = b.context.db();
    const history = (modelId: number) =>
      db.prepare('SELECT count(*) FROM score_history WHERE model_id = ? AND model_version = 1').pluck().get(modelId);
    // The new model scores every lead for the first time: each a change and a history entry.
    // The primary's scores did not move: its figure, the one the notice showed alone, is 0.
    expect(finished.outcome.changed).toBe(0);
    expect(finished.outcome.changedByModel).toEqual([
      { modelId: 1, changed: 0 },
      { modelId: created.id, changed: history(created.id) },
    ]);
    const models = await b.invoke('models-list', {});
    expect(changedPerModel(finished.outcome, created.id, models)).toBe(
      `${(history(created.id) as number).toLocaleString('en-US')} under "Second opinion", 0 under "Default"`,
    );
  });

  it('model-create copies the default model as an unpublished draft', async () => {
    const { b } = setup();
    const m = await b.invoke('model-create', { name: 'Default' });
    expect(m.name).toBe('Default (2)');
    expect(m.publishedVersion).toBeNull();
    expect(m.draftIssues).toEqual([]);
    expect(
      await b.invoke('model-export-json', { modelId: m.id, path: join(tempDir(), 'd.json'), draft: true }),
    ).toMatchObject({ version: null });
  });
});
