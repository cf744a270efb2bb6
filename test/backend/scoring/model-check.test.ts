/**
 * Models checked against a real workspace (X Education, typed custom fields): a numeric rule
 * matches exactly the leads plain SQL counts, every rule's match count, model-file problems
 * with their exact messages in the CLI and in the handler the editor calls, and field
 * pickers that never show one label twice. Engagement and negative rules count their leads
 * too (the starter samples' activities), exactly as Model health counts a rule's leads.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/backend/cli';
import { openWorkspaceDb } from '../../../electron/backend/db/open';
import { gridMeta } from '../../../electron/backend/services/leads/grid';
import { checkModel } from '../../../electron/backend/services/scoring/model-check';
import { fieldOptions } from '../../../renderer/src/sections/scoring/words';
import type { ModelHealthReport } from '../../../shared/contract';
import { DEFAULT_MODEL, parseModel, type ScoringModel } from '../../../shared/scoring';
import { REAL_DATA, REPO_ROOT, tempBackend, tempDir } from '../helpers';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const XE = join(REAL_DATA, 'xeducation_leads.csv');
const rows = Papa.parse<Record<string, string>>(readFileSync(XE, 'utf8'), { header: true, skipEmptyLines: true }).data;
/** A custom field's value by name in plain SQL: its slot in the stored array (custom-store.ts). */
const TIME_SQL = `(SELECT json_extract(custom, '$[' || slot || ']') FROM custom_field_slots WHERE name = 'Total Time Spent on Website')`;

function model(over: Partial<ScoringModel>): ScoringModel {
  return {
    ...DEFAULT_MODEL,
    name: 'Checked',
    fit: [],
    engagement: [],
    negative: [],
    suppression: { rules: [], emails: [], domains: [] },
    ...over,
  };
}

const timeRule = {
  id: 'time',
  name: 'Time on website',
  when: { field: 'custom.Total Time Spent on Website', op: 'gte' as const, value: 1000 },
  points: 10,
};

describe('model checks on X Education', () => {
  const ws = join(tempDir(), 'xe.leadbench');
  const dir = tempDir();

  it('"Total Time Spent on Website ≥ 1000" matches the leads a plain SQL count finds, in the check and in the scores', async () => {
    expect((await cli('import', XE, '--db', ws)).code).toBe(0);
    const file = join(dir, 'time.json');
    writeFileSync(
      file,
      JSON.stringify(
        model({
          fit: [
            timeRule,
            {
              id: 'origin',
              name: 'Origin',
              when: { field: 'custom.Lead Origin', op: 'in', values: ['Lead Add Form'] },
              points: 5,
            },
            { id: 'email', name: 'No emails', when: { field: 'custom.Do Not Email', op: 'is_yes' }, points: 1 },
          ],
        }),
      ),
    );
    const db = openWorkspaceDb(ws);
    let sqlIds: number[];
    try {
      sqlIds = db.prepare(`SELECT id FROM leads WHERE ${TIME_SQL} >= 1000 ORDER BY id`).pluck().all() as number[];
      const fromFile = rows.filter((r) => Number(r['Total Time Spent on Website']) >= 1000).length;
      expect(sqlIds.length).toBe(fromFile);
      expect(fromFile).toBeGreaterThan(1000);
      const check = checkModel(db, parseModel(JSON.parse(readFileSync(file, 'utf8'))), {}, Date.now());
      expect(check.leads).toBe(rows.length);
      expect(check.problems).toEqual([]);
      expect(check.rules.map((r) => [r.name, r.condition, r.matches])).toEqual([
        ['Time on website', 'Total Time Spent on Website ≥ 1000', fromFile],
        [
          'Origin',
          "Lead Origin is one of 'Lead Add Form'",
          rows.filter((r) => r['Lead Origin'] === 'Lead Add Form').length,
        ],
        ['No emails', 'Do Not Email is yes', rows.filter((r) => r['Do Not Email'] === 'Yes').length],
      ]);
    } finally {
      db.close();
    }

    const scored = await cli('score', '--db', ws, '--model', file);
    expect(scored.code).toBe(0);
    expect(scored.out).toContain('Leads each rule matches now:');
    expect(scored.out).toContain(`Time on website: Total Time Spent on Website ≥ 1000`);
    const after = openWorkspaceDb(ws);
    try {
      // Leads whose fit includes the rule's 10 points (the other rules give 5 and 1: no sum of them reaches 10).
      const scoredIds = after
        .prepare('SELECT lead_id FROM lead_scores WHERE fit >= 10 ORDER BY lead_id')
        .pluck()
        .all() as number[];
      expect(scoredIds).toEqual(sqlIds);
    } finally {
      after.close();
    }
  });

  it('a model file with a missing field, an unknown key and a value no lead has is refused, each named', async () => {
    const file = join(dir, 'bad.json');
    const bad = model({
      fit: [
        { id: 'a', name: 'Time on site', when: { field: 'custom.Time on Site', op: 'gte', value: 60 }, points: 5 },
        {
          id: 'b',
          name: 'Origin',
          when: { field: 'custom.Lead Origin', op: 'equals', value: 'Landing Page Submision' },
          points: 5,
          weight: 2,
        } as never,
        {
          id: 'c',
          name: 'Sources',
          when: { field: 'source', op: 'in', values: ['Google', 'Gogle'] },
          points: 3,
        },
      ],
      suppression: {
        rules: [
          { id: 's', name: 'Competitors', when: { field: 'custom.Lead type', op: 'equals', value: 'Competitor' } },
        ],
        emails: [],
        domains: [],
      },
    });
    writeFileSync(file, JSON.stringify({ ...bad, colour: 'red' }));
    const before = openWorkspaceDb(ws);
    const versions = before.prepare('SELECT count(*) FROM model_versions').pluck().get();
    before.close();

    const r = await cli('score', '--db', ws, '--model', file);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toEqual([
      `The model in ${file} does not fit this workspace:`,
      "  - unknown key 'colour'",
      "  - fit rule 'Origin' (#2): unknown key 'weight'",
      "  - fit rule 'Time on site' (#1): the field 'Time on Site' does not exist in this workspace",
      "  - fit rule 'Origin' (#2): no lead has Lead Origin 'Landing Page Submision'",
      "  warning: suppression rule 'Competitors' (#1): the field 'Lead type' does not exist in this workspace",
      "  warning: fit rule 'Sources' (#3): no lead has Lead source 'Gogle'",
    ]);
    const after = openWorkspaceDb(ws);
    expect(after.prepare('SELECT count(*) FROM model_versions').pluck().get()).toBe(versions);
    after.close();
  });

  it('the editor gets the same check from the backend: problems as warnings it shows, and counts', async () => {
    const backend = tempBackend({ workspacePath: ws });
    {
      const check = await backend.invoke('model-check', {
        definition: model({
          fit: [timeRule, { ...timeRule, id: 't2', name: 'Never', when: { ...timeRule.when, value: 5000 } }],
        }),
      });
      expect(check.rules.map((r) => r.matches)).toEqual([
        rows.filter((r) => Number(r['Total Time Spent on Website']) >= 1000).length,
        0,
      ]);
      const invalid = await backend.invoke('model-check', { definition: { name: 'x' } });
      expect(invalid.rules).toEqual([]);
      expect(invalid.problems.every((p) => p.severity === 'error')).toBe(true);
    }
  });

  it('says nothing of values no lead has while the workspace has no leads (the default model before the first import)', async () => {
    const empty = tempBackend();
    const [primary] = await empty.invoke('models-list', {});
    const detail = await empty.invoke('model-get', { modelId: primary!.id });
    const check = await empty.invoke('model-check', { definition: detail.published });
    expect(check.problems.filter((p) => p.message.includes('no lead has'))).toEqual([]);
    expect(check.rules.length).toBeGreaterThan(0);
    expect(check.rules.every((r) => r.matches === 0)).toBe(true);
  });

  it('field pickers never show two fields with the same label', () => {
    const db = openWorkspaceDb(ws);
    try {
      const options = fieldOptions(gridMeta(db).columns.filter((c) => c.custom));
      const labels = options.map((o) => o.label.toLowerCase());
      expect(new Set(labels).size).toBe(labels.length);
      expect(options.find((o) => o.key === 'custom.Tags')?.label).toBe('Tags (from file)');
      expect(options.find((o) => o.key === 'custom.Total Time Spent on Website')?.type).toBe('number');
      expect(options.find((o) => o.key === 'custom.Do Not Email')?.type).toBe('bool');
      expect(options.find((o) => o.key === 'custom.Lead Origin')?.type).toBe('category');
    } finally {
      db.close();
    }
  });
});

describe('activity rules count their leads now, as Model health counts them', () => {
  const ws = join(tempDir(), 'starter.leadbench');
  const samples = join(REPO_ROOT, 'resources/samples');
  const activityModel = model({
    name: 'Activity rules',
    fit: [
      { id: 'paid', name: 'Paid search', when: { field: 'source', op: 'equals', value: 'Paid Search' }, points: 5 },
    ],
    engagement: [
      {
        id: 'pricing',
        name: 'Pricing page',
        match: { types: ['page_visit'], asset: { op: 'contains', value: '/pricing' } },
        points: 10,
      },
      { id: 'download', name: 'Download', match: { types: ['download'] }, points: 5, frequency: 'first' },
      { id: 'never', name: 'Event', match: { types: ['event_attended'] }, points: 20 },
    ],
    negative: [
      {
        id: 'careers',
        name: 'Careers page',
        on: 'activity',
        match: { types: ['page_visit'], asset: { op: 'contains', value: '/careers' } },
        points: -15,
      },
    ],
    decay: { halfLifeDays: null, windowDays: null, inactivity: null },
  });
  /** Leads with at least one activity of `type` whose asset contains `part`, by plain SQL. */
  const withActivity = (type: string, part = ''): number => {
    const db = openWorkspaceDb(ws);
    try {
      return db
        .prepare('SELECT count(DISTINCT lead_id) FROM activities WHERE type = ? AND instr(asset, ?) > 0')
        .pluck()
        .get(type, part) as number;
    } finally {
      db.close();
    }
  };

  it('engagement and negative rules show how many leads they give points now; the same counts as Model health', async () => {
    expect((await cli('import', join(samples, 'starter-leads.csv'), '--db', ws)).code).toBe(0);
    const acts = await cli('import', join(samples, 'starter-activities.csv'), '--db', ws, '--kind', 'activities');
    expect(acts.err).toBe('');
    const db = openWorkspaceDb(ws);
    const check = (() => {
      try {
        return checkModel(db, activityModel, activityModel, Date.now());
      } finally {
        db.close();
      }
    })();
    const counts = Object.fromEntries(check.rules.map((r) => [r.ruleId, r.matches]));
    expect(check.rules.map((r) => r.path)).toEqual([
      ['fit', 0],
      ['engagement', 0],
      ['engagement', 1],
      ['engagement', 2],
      ['negative', 0],
    ]);
    expect(check.rules.find((r) => r.ruleId === 'pricing')!.condition).toBe("Page visit, asset contains '/pricing'");
    expect(counts.pricing).toBe(withActivity('page_visit', '/pricing'));
    expect(counts.pricing).toBeGreaterThan(20);
    expect(counts.download).toBe(withActivity('download'));
    expect(counts.careers).toBe(withActivity('page_visit', '/careers'));
    expect(counts.never).toBe(0);

    // Every lead closed (now, after all its activity): Model health's "leads matched" per rule
    // are the editor's counts.
    const file = join(tempDir(), 'activity-model.json');
    writeFileSync(file, JSON.stringify(activityModel));
    const emails = readFileSync(join(samples, 'starter-leads.csv'), 'utf8').trim().split('\n').slice(1);
    const half = emails.length / 2;
    const won = emails.slice(0, half).map((l) => l.split(',')[0]!);
    const lost = emails.slice(half).map((l) => l.split(',')[0]!);
    expect((await cli('stage', '--db', ws, '--to', 'won', ...won)).code).toBe(0);
    expect((await cli('stage', '--db', ws, '--to', 'lost', ...lost)).code).toBe(0);
    const r = await cli('report', 'model', '--db', ws, '--model-file', file, '--json');
    expect(r.err).toBe('');
    const health = (JSON.parse(r.out) as ModelHealthReport).health;
    expect(health.closed).toBe(emails.length);
    expect(Object.fromEntries(health.rules.map((x) => [x.id, x.matched]))).toEqual(counts);
  });
});
