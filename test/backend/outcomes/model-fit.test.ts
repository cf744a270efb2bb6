/**
 * "When the model doesn't fit the data": on the real X Education file the default model
 * leaves every lead at 0 points (the file has none of its fields), which model-fit reports
 * (one computation for the Leads and Scoring banners), with learning offered once enough
 * leads are closed; "Start a model from your columns" makes a draft whose fit rules are the
 * file's own columns and most common values, at 0 points. A file the default model does
 * score is not flagged.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEAD_FIELDS } from '../../../shared/domain';
import { activeRescore } from '../../../electron/backend/services/scoring/rescore-job';
import { DEFAULT_MODEL, validateModel, type FieldCondition, type ScoringModel } from '../../../shared/scoring';
import { REAL_DATA, tempBackend, tempDir } from '../helpers';

const XE = join(REAL_DATA, 'xeducation_leads.csv');

describe('model-fit and the starter model on X Education', () => {
  it('flags the default model, offers learning only with outcomes, and starts a model from the columns', async () => {
    const b = tempBackend();
    await b.invoke('import-run', { path: XE, options: { kind: 'leads', blankPlaceholders: true } });
    const fit = await b.invoke('model-fit', {});
    expect(fit.leads).toBe(9240);
    expect(fit.atZero).toBe(9240);
    expect(fit.misfit).toBe(true);
    expect(fit.closedLeads).toBe(0);
    expect(fit.canLearn).toBe(false);

    const started = await b.invoke('model-start-from-columns', {});
    const detail = await b.invoke('model-get', { modelId: started.modelId });
    const model = detail.draft as ScoringModel;
    expect(validateModel(model).ok).toBe(true);
    expect(model.fit).toHaveLength(started.rules);
    expect(model.fit.length).toBeGreaterThanOrEqual(10);
    expect(model.fit.every((r) => r.points === 0)).toBe(true);
    // Every rule names a column of the file and a value leads really have.
    const d = new Database(b.path, { readonly: true });
    const customCount = d
      .prepare(
        "SELECT count(*) FROM leads WHERE CAST((SELECT json_extract(custom, '$[' || slot || ']') FROM custom_field_slots WHERE name = ?) AS TEXT) = ?",
      )
      .pluck();
    const standard = new Set<string>(LEAD_FIELDS.map((f) => f.key));
    for (const r of model.fit) {
      const c = r.when as FieldCondition;
      expect(c.op).toBe('equals');
      const leads = c.field.startsWith('custom.')
        ? (customCount.get(c.field.slice(7), c.value) as number)
        : standard.has(c.field)
          ? (d.prepare(`SELECT count(*) FROM leads WHERE CAST(${c.field} AS TEXT) = ?`).pluck().get(c.value) as number)
          : 0;
      expect(leads, r.name).toBeGreaterThan(0);
    }
    // The file's own categories, never its id, its key or its free text.
    const fields = new Set(model.fit.map((r) => (r.when as FieldCondition).field));
    expect(fields).toContain('custom.Lead Origin');
    expect(fields).toContain('source');
    expect(fields).not.toContain('custom.Prospect ID');
    expect(fields).not.toContain('custom.Lead Number');
    expect(model.fit.find((r) => r.name === 'Lead Origin is Landing Page Submission')).toBeDefined();
    d.close();
  }, 120_000);

  it('with the outcome column imported, enough leads are closed to suggest a model instead', async () => {
    const b = tempBackend();
    await b.invoke('import-run', {
      path: XE,
      options: { kind: 'leads', blankPlaceholders: true, outcome: { column: 'Converted', won: ['1'] } },
    });
    const fit = await b.invoke('model-fit', {});
    expect(fit.misfit).toBe(true);
    expect(fit.closedLeads).toBe(9240);
    expect(fit.canLearn).toBe(true);
  }, 120_000);

  it('after learning and publishing, leads that arrived closed carry the learned scores: no misfit, grades as in Model health', async () => {
    const b = tempBackend();
    await b.invoke('import-run', {
      path: XE,
      options: { kind: 'leads', blankPlaceholders: true, outcome: { column: 'Converted', won: ['1'] } },
    });
    const learned = await b.invoke('model-learn', {});
    await b.invoke('model-publish', { modelId: 1, definition: learned.model });
    const run = activeRescore(b.context.db());
    if (run) await run.done;
    const fit = await b.invoke('model-fit', {});
    expect(fit.frozenOlder).toBe(0);
    expect(fit.leads).toBe(9240);
    expect(fit.atZero).toBeLessThan(0.05 * 9240);
    expect(fit.misfit).toBe(false);
    // The grid's grade counts (the stored scores) are Model health's for the same leads.
    const counts = await b.invoke('leads-counts', {});
    const health = await b.invoke('report-model', {});
    const byGrade = Object.fromEntries(health.health.byGrade.map((g) => [g.key, g.leads]));
    expect(Object.keys(byGrade).length).toBeGreaterThan(4);
    expect(Object.fromEntries(Object.entries(counts.grades).filter(([, n]) => n > 0))).toEqual(byGrade);
  }, 180_000);

  it("leads closed here with an older version's score are not counted against the published one", async () => {
    const b = tempBackend();
    const path = join(tempDir(), 'people.csv');
    // 20 leads the default model gives 0 points (no field it reads).
    writeFileSync(path, ['email', ...Array.from({ length: 20 }, (_, i) => `p${i}@acme.com`)].join('\n'));
    await b.invoke('import-run', { path, options: { kind: 'leads' } });
    const ids = b.context.db().prepare('SELECT id FROM leads ORDER BY id').pluck().all() as number[];
    // A rep closes 19 of them: they keep version 1's 0 points.
    await b.invoke('stage-change', { leadIds: ids.slice(1), toStage: 'lost' });
    await b.invoke('model-publish', {
      modelId: 1,
      definition: {
        ...DEFAULT_MODEL,
        fit: [{ id: 'any', name: 'Has an email', when: { field: 'email', op: 'is_not_blank' }, points: 10 }],
      },
    });
    const run = activeRescore(b.context.db());
    if (run) await run.done;
    const fit = await b.invoke('model-fit', {});
    expect(fit).toMatchObject({ leads: 1, frozenOlder: 19, atZero: 0, misfit: false });
  });

  it('a file the default model scores is not flagged', async () => {
    const b = tempBackend();
    const path = join(tempDir(), 'people.csv');
    writeFileSync(
      path,
      [
        'email,Job Title,Phone',
        'ann@acme.com,CEO,555-0101',
        'bo@beta.io,VP Sales,',
        'cy@gamma.org,Intern,',
        'di@delta.net,Head of Marketing,555-0104',
      ].join('\n'),
    );
    await b.invoke('import-run', { path, options: { kind: 'leads' } });
    const fit = await b.invoke('model-fit', {});
    expect(fit.leads).toBe(4);
    expect(fit.atZero).toBe(1);
    expect(fit.shareAtZero).toBe(0.25);
    expect(fit.misfit).toBe(false);
  });
});
