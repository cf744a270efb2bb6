/**
 * Learning on the real X Education file, through the CLI (the same handler the app calls):
 * imported with `--outcome Converted=1`, learned on a fixed half (held out by Prospect ID)
 * with Tags, Lead Quality and Lead Number excluded, the suggestion ranks the other half at
 * AUC >= 0.90 and its --out file is a model `score --model` publishes; without the
 * exclusions the leakage guard leaves out Tags and Lead Quality; a 150-lead sample still
 * yields a model and says its interval is wide; 60 leads are too few, said plainly.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/backend/cli';
import type { LearnReport, ModelHealthReport } from '../../../shared/contract';
import { DEFAULT_MODEL, validateModel } from '../../../shared/scoring';
import { REAL_DATA, tempDir } from '../helpers';

const XE = join(REAL_DATA, 'xeducation_leads.csv');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function importXe(file: string): Promise<string> {
  const db = join(tempDir(), 'xe.leadbench');
  const r = await cli('import', file, '--db', db, '--blank-placeholders', '--outcome', 'Converted=1');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return db;
}

/** The first `rows` leads of the real file. */
function sample(rows: number): string {
  const lines = readFileSync(XE, 'utf8').split('\r\n');
  const path = join(tempDir(), `xe-${rows}.csv`);
  writeFileSync(path, lines.slice(0, rows + 1).join('\r\n'));
  return path;
}

describe('learning from X Education outcomes', () => {
  let db = '';
  beforeAll(async () => {
    db = await importXe(XE);
  }, 120_000);

  it('learned on a fixed half without Tags, Lead Quality and Lead Number, it ranks the other half at AUC >= 0.90', async () => {
    const out = join(tempDir(), 'learned.json');
    const r = await cli(
      'learn',
      '--db',
      db,
      '--holdout',
      '0.5',
      '--exclude',
      'Tags,Lead Quality,Lead Number',
      '--out',
      out,
      '--json',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as LearnReport;
    expect(report.closedLeads).toBe(9240);
    expect(report.heldOutLeads + report.trainLeads).toBe(9240);
    expect(Math.abs(report.heldOutLeads - 4620)).toBeLessThan(300);
    expect(report.suggestedAuc.auc).toBeGreaterThanOrEqual(0.9);
    expect(report.suggestedAuc.won + report.suggestedAuc.lost).toBe(report.heldOutLeads);
    // The default model gives every X Education lead 0 points: no better than chance.
    expect(report.currentAuc.auc).toBe(0.5);
    expect(report.intervalWide).toBe(false);
    expect(report.rankAgreement).toBeGreaterThanOrEqual(0.99);
    expect(
      report.fields
        .filter((f) => f.status === 'excluded')
        .map((f) => f.label)
        .sort(),
    ).toEqual(['Lead Number', 'Lead Quality', 'Tags']);
    // The outcome column itself is never a predictor.
    expect(report.fields.some((f) => f.label === 'Converted')).toBe(false);
    const fieldRules = report.model.fieldEngagement ?? [];
    expect(report.reasons.length).toBe(report.model.fit.length + report.model.engagement.length + fieldRules.length);
    // Time on the website converts more the more there is of it: one per-unit engagement rule,
    // not ranges (a U-shaped or falling number field keeps its ranges: Page Views Per Visit).
    expect(fieldRules.map((r) => r.field)).toContain('custom.Total Time Spent on Website');
    expect(report.model.fit.some((r) => r.name.startsWith('Total Time Spent on Website'))).toBe(false);
    expect(report.model.fit.some((r) => r.name.startsWith('Page Views Per Visit'))).toBe(true);
    expect(report.reasons.every((x) => / → [+-]\d+/.test(x.text))).toBe(true);
    expect(report.reasons.map((x) => x.text)).toContainEqual(
      expect.stringMatching(
        /^Lead Origin is Lead Add Form: 9\d% converted vs \d+% for Lead Origin is [^(]+ \(0 points\), [\d,]+ leads → \+\d+$/,
      ),
    );
    // Every reason reads the way its points go: a positive rule never says it converts below
    // the comparison it names, a negative one never above.
    for (const reason of report.reasons) {
      const vs = /: ([\d.]+)% converted vs ([\d.]+)% /.exec(reason.text);
      if (vs) expect(Math.sign(Number(vs[1]) - Number(vs[2])), reason.text).toBe(Math.sign(reason.points));
      else expect(reason.text, reason.text).toMatch(reason.points > 0 ? / more of them / : / (fewer|less) /);
    }
    expect(report.summary[1]).toMatch(/^Suggested model: AUC 0\.9\d .* current model "Default": 0\.50 /);

    const written = JSON.parse(readFileSync(out, 'utf8')) as unknown;
    expect(validateModel(written).ok).toBe(true);
    const score = await cli('score', '--db', db, '--model', out);
    expect(score.err).toBe('');
    expect(score.code).toBe(0);
    expect(score.out).toContain('Published "Learned from outcomes"');
  }, 120_000);

  it('report model: the default model ranks no better than chance, the published learned one well, per rule and decile', async () => {
    const file = join(tempDir(), 'default.json');
    writeFileSync(file, JSON.stringify(DEFAULT_MODEL));
    const d = await cli('report', 'model', '--db', db, '--model-file', file, '--json');
    expect(d.err).toBe('');
    const byDefault = JSON.parse(d.out) as ModelHealthReport;
    expect(byDefault.version).toBeNull();
    expect(byDefault.health.closed).toBe(9240);
    expect(byDefault.health.auc).toMatchObject({ auc: 0.5, won: 3561, lost: 5679 });
    expect(byDefault.health.notes.join(' ')).toContain('100% of the closed leads score 0 points');
    expect(byDefault.health.rules.every((r) => r.verdict === 'matches no lead')).toBe(true);

    // The previous test published the learned model: it is now the primary's version 2.
    const p = await cli('report', 'model', '--db', db, '--json');
    const primary = JSON.parse(p.out) as ModelHealthReport;
    expect(primary).toMatchObject({ modelName: 'Learned from outcomes', version: 2 });
    expect(primary.health.auc.auc).toBeGreaterThan(0.9);
    expect(primary.health.auc.high! - primary.health.auc.low!).toBeLessThan(0.03);
    const deciles = primary.health.deciles;
    expect(deciles).toHaveLength(10);
    expect(deciles.reduce((s, g) => s + g.leads, 0)).toBe(9240);
    expect(deciles[0]!.rate).toBeGreaterThan(deciles[9]!.rate);
    expect(primary.health.bySegment.map((g) => g.key)).toEqual(['hot', 'warm', 'cold']);
    // The per-unit rules give the engagement grade something to say: 1 (most engaged) converts
    // far more often than 4, within the best fit grade.
    const grade = (key: string) => primary.health.byGrade.find((g) => g.key === key)!;
    expect(grade('A1').rate).toBeGreaterThan(grade('A4').rate);
    expect(primary.health.rules.every((r) => r.matched > 0)).toBe(true);
    // Its rules were fitted together: judged by what each adds beyond the rest of the model,
    // few read "over-valued" (one at a time, overlapping fields made many of them so).
    const overValued = primary.health.rules.filter((r) => r.verdict === 'over-valued');
    expect(overValued.length).toBeLessThanOrEqual(Math.ceil(0.1 * primary.health.rules.length));
    const text = await cli('report', 'model', '--db', db);
    expect(text.out).toMatch(/^Model health: "Learned from outcomes" v2, 9,240 closed leads \(3,561 won, 38\.5%\)/);
    expect(text.out).toContain('By score decile');
    expect(text.out).toContain('Top 10%');
  }, 120_000);

  it('without the exclusions, the leakage guard leaves out Tags and Lead Quality and says why', async () => {
    const r = await cli('learn', '--db', db, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as LearnReport;
    const leaks = report.fields.filter((f) => f.status === 'leak');
    expect(leaks.map((f) => f.label).sort()).toEqual(['Lead Quality', 'Tags']);
    for (const f of leaks) expect(f.reason).toContain('probably filled in after contact');
    expect(report.fields.find((f) => f.label === 'Lead Number')!.status).toBe('skipped');
    expect(report.summary.some((s) => s.startsWith('Left out Tags:'))).toBe(true);
    const text = await cli('learn', '--db', db);
    expect(text.out).toContain('Left out Lead Quality: ');
    expect(text.out).toContain('Suggested rules:');
  }, 120_000);
});

describe('learning from few closed leads', () => {
  it('a 150-lead sample still yields a model and says its interval is wide', async () => {
    const db = await importXe(sample(150));
    const r = await cli('learn', '--db', db, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as LearnReport;
    expect(report.closedLeads).toBe(150);
    expect(validateModel(report.model).ok).toBe(true);
    expect(report.model.fit.length).toBeGreaterThan(0);
    expect(report.intervalWide).toBe(true);
    expect(report.suggestedAuc.high! - report.suggestedAuc.low!).toBeGreaterThan(0.15);
    expect(report.summary.join(' ')).toContain('The interval is wide');
  }, 60_000);

  it('60 closed leads are too few, said plainly', async () => {
    const db = await importXe(sample(60));
    const r = await cli('learn', '--db', db);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Too few closed leads to learn from: 60 (');
    expect(r.err).toContain('at least 100 closed leads');
  }, 60_000);
});
