/**
 * Learning on Maven CRM's pipeline (a made-up data set, SOURCES.md): the deals' own fields
 * hardly tell won from lost. Through the CLI, as a user runs it: the engage date is not
 * learned from (every new deal comes after the dates learned from, so ranges of it would
 * score new deals alike), and the suggestion, no better than a coin toss on the held-out
 * deals, says plainly that it is not worth publishing.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LearnReport } from '../../../shared/contract';
import { weakSuggestion } from '../../../electron/backend/services/outcomes/learn';
import { cli, REAL_DATA, tempDir } from '../helpers';

describe('learning from Maven CRM outcomes', () => {
  let db = '';
  beforeAll(async () => {
    db = join(tempDir(), 'maven.leadbench');
    const file = join(REAL_DATA, 'maven_crm_sales_pipeline.csv');
    const r = await cli('import', file, '--db', db, '--outcome', 'deal_stage=Won', '--outcome-lost', 'Lost');
    expect(r.err).toBe('');
  }, 120_000);

  it('leaves the engage date out and says a coin-toss suggestion is not worth publishing', async () => {
    const r = await cli('learn', '--db', db, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as LearnReport;
    expect(report.closedLeads).toBe(4238 + 2473);
    const engage = report.fields.find((f) => f.label === 'engage_date')!;
    expect(engage.status).toBe('skipped');
    expect(engage.reason).toMatch(/^a date: new leads all come after the dates learned from/);
    // No rule on the date, nor a rule name holding epoch milliseconds.
    expect(JSON.stringify(report.model.fit)).not.toContain('engage_date');
    expect(report.reasons.some((x) => /\d{12}/.test(x.text))).toBe(false);
    // The outcome's own columns are never predictors either.
    expect(report.fields.some((f) => f.label === 'deal_stage')).toBe(false);

    expect(report.suggestedAuc.low!).toBeLessThanOrEqual(0.5);
    expect(report.summary[2]).toMatch(
      /^Not worth publishing: on the held-out leads it ranks no better than a coin toss/,
    );
    const text = await cli('learn', '--db', db);
    expect(text.out).toContain('Not worth publishing');
    expect(text.out).toContain('engage_date: a date:');
  }, 120_000);
});

describe('weakSuggestion', () => {
  const auc = (v: number, half: number) => ({ auc: v, low: v - half, high: v + half, won: 100, lost: 100 });
  it('is silent for a suggestion better than chance and than the current model', () => {
    expect(weakSuggestion(auc(0.8, 0.03), auc(0.6, 0.03), 'Default')).toBeNull();
  });
  it('warns when the interval reaches 0.5, and when the current model ranks as well', () => {
    expect(weakSuggestion(auc(0.55, 0.06), auc(0.5, 0.03), 'Default')).toMatch(/coin toss/);
    expect(weakSuggestion(auc(0.7, 0.03), auc(0.72, 0.03), 'Default')).toBe(
      'Not worth publishing: on the held-out leads it ranks no better than the current model "Default" (0.72). Keep the current model.',
    );
    expect(weakSuggestion({ auc: null, low: null, high: null, won: 0, lost: 0 }, auc(0.5, 0.1), null)).toBeNull();
  });
});
