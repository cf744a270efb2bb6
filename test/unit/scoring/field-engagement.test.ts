import { describe, expect, it } from 'vitest';
import { forEachHit, ruleTable } from '../../../shared/learn/rule-hits';
import {
  compileModel,
  describeFieldRule,
  fieldRuleArithmetic,
  fieldRulePoints,
  formatAmount,
  parseModel,
  renderLedger,
  scoreLead,
  unknownKeyIssues,
  validateModel,
  type FieldEngagementRule,
  type ScoringModel,
} from '../../../shared/scoring';
import { act, baseModel, ledgerSum, makeLead, NOW } from './factories';

const TIME = 'Total Time Spent on Website';

/** "1 point per minute of Total Time Spent on Website, at most 30" (the field counts seconds). */
const perMinute: FieldEngagementRule = {
  id: 'time',
  name: TIME,
  field: `custom.${TIME}`,
  points: 1,
  per: 60,
  unit: 'minute',
  fieldUnit: 's',
  cap: 30,
};

const visits: FieldEngagementRule = {
  id: 'visits',
  name: 'Visits',
  field: 'custom.TotalVisits',
  points: 2,
  per: 1,
  unit: 'visit',
  cap: 10,
};

function model(over: Partial<ScoringModel> = {}): ScoringModel {
  return baseModel({ fieldEngagement: [perMinute], ...over });
}

function leadWith(custom: Record<string, string | number>) {
  return makeLead({ custom });
}

describe('field engagement rules: scoring', () => {
  it('gives points per whole unit, up to the cap, as engagement', () => {
    const score = (v: string | number) => scoreLead(model(), leadWith({ [TIME]: v }), [], NOW);
    expect(score(1440).engagement).toBe(24);
    expect(score(1440).fit).toBe(0);
    expect(score(1440).total).toBe(24);
    // 1,499 s is 24 whole minutes: a part minute earns nothing.
    expect(score(1499).engagement).toBe(24);
    expect(score(1500).engagement).toBe(25);
    expect(score(2272).engagement).toBe(30);
    expect(score(59).engagement).toBe(0);
    // A number left as text in a column typed by hand still counts.
    expect(score('1,440').engagement).toBe(24);
  });

  it('blanks, placeholders, text, zero and negative amounts are no data: 0 points, no ledger entry', () => {
    for (const v of ['', '--', 'Select', 'N/A', 'lots', 0, -120]) {
      const r = scoreLead(model(), leadWith({ [TIME]: v }), [], NOW);
      expect(r.engagement, String(v)).toBe(0);
      expect(r.ledger, String(v)).toEqual([]);
    }
    expect(scoreLead(model(), makeLead(), [], NOW).ledger).toEqual([]);
  });

  it('rounds to whole units without binary-fraction drift, and multiplies points per unit', () => {
    expect(fieldRulePoints({ points: 1, per: 0.1, cap: 100 }, 0.3)).toEqual({ units: 3, points: 3 });
    expect(fieldRulePoints({ points: 3, per: 1, cap: 100 }, 2.5)).toEqual({ units: 2, points: 6 });
    expect(fieldRulePoints({ points: 3, per: 1, cap: 5 }, 2.5)).toEqual({ units: 2, points: 5 });
    expect(fieldRulePoints({ points: -2, per: 1, cap: 5 }, 4)).toEqual({ units: 4, points: -5 });
    expect(fieldRulePoints({ points: 1, per: 60, cap: 30 }, null)).toEqual({ units: 0, points: 0 });
  });

  it('negative points subtract engagement, the cap limiting their size', () => {
    const bounces = {
      ...visits,
      id: 'b',
      name: 'Bounces',
      field: 'custom.Bounces',
      points: -5,
      unit: 'bounce',
      cap: 12,
    };
    const r = scoreLead(model({ fieldEngagement: [bounces] }), leadWith({ Bounces: 4 }), [], NOW);
    expect(r.engagement).toBe(-12);
    expect(r.ledger.map((e) => e.text)).toEqual(['-12 Bounces: 4 bounces × -5 points per bounce (at most 12)']);
  });

  it('adds to activity engagement and moves the engagement grade', () => {
    const m = model({
      engagement: [{ id: 'dl', name: 'Download', match: { types: ['download'] }, points: 10 }],
    });
    const r = scoreLead(m, leadWith({ [TIME]: 1200 }), [act('download', 'Guide')], NOW);
    expect(r.engagement).toBe(30);
    // 30 reaches the top engagement band; the download alone (10) would be grade 3.
    expect(r.engagementGrade).toBe(1);
    expect(scoreLead(m, makeLead(), [act('download', 'Guide')], NOW).engagementGrade).toBe(3);
    expect(ledgerSum(r.ledger)).toBe(r.total);
  });

  it('counts a standard number field too', () => {
    const size = {
      ...visits,
      id: 's',
      name: 'Company size',
      field: 'company_size',
      points: 1,
      per: 100,
      unit: 'hundred people',
      cap: 5,
    };
    expect(scoreLead(model({ fieldEngagement: [size] }), makeLead({ company_size: 350 }), [], NOW).engagement).toBe(3);
  });

  it('a suppressed lead keeps its points but is never hot nor an MQL, as with every rule', () => {
    const m = model({ mql: { threshold: 20 } });
    const lead = makeLead({ custom: { [TIME]: 1800 }, manual_suppression: 'Student' });
    const r = scoreLead(m, lead, [], NOW);
    expect(r.total).toBe(30);
    expect(r.isMql).toBe(false);
    expect(r.segment).toBe('cold');
    expect(scoreLead(m, { ...lead, manual_suppression: null }, [], NOW).isMql).toBe(true);
  });

  it('the compiled model reads the field it counts', () => {
    expect([...compileModel(model()).leadFields]).toContain('custom');
    const size = { ...visits, field: 'company_size' };
    expect([...compileModel(baseModel({ fieldEngagement: [size] })).leadFields]).toContain('company_size');
  });

  it("the rule's hits are read from the ledger (Model health, Leads now)", () => {
    const m = model({ fieldEngagement: [perMinute, visits] });
    const table = ruleTable(m);
    expect(table.paths).toEqual([
      ['fieldEngagement', 0],
      ['fieldEngagement', 1],
    ]);
    const hits: number[] = [];
    const core = compileModel(m).scoreCore(leadWith({ [TIME]: 600, TotalVisits: '--' }), [], NOW);
    forEachHit(core.compact, table, (i) => hits.push(i));
    expect(hits).toEqual([0]);
  });
});

describe('field engagement rules: explanation', () => {
  it('says the sum: amount, units, rate and cap', () => {
    const r = scoreLead(model(), leadWith({ [TIME]: 1440 }), [], NOW);
    expect(r.ledger).toEqual([
      {
        kind: 'engagement',
        ruleId: 'time',
        ruleName: TIME,
        points: 24,
        text: '+24 Total Time Spent on Website: 1,440 s = 24 minutes × 1 point per minute (at most 30)',
        field: `custom.${TIME}`,
        value: '1,440',
      },
    ]);
    expect(renderLedger(r)).toContain('  +24 Total Time Spent on Website: 1,440 s = 24 minutes');
    const capped = scoreLead(model(), leadWith({ [TIME]: 2272 }), [], NOW);
    expect(capped.ledger[0]!.text).toBe(
      '+30 Total Time Spent on Website: 2,272 s = 37 minutes × 1 point per minute (at most 30)',
    );
  });

  it('plain units, fractions, the rule name, and "no decay" where the model decays', () => {
    const m = model({
      fieldEngagement: [
        visits,
        { ...visits, id: 'pv', name: 'Page views', field: 'custom.Page Views Per Visit', unit: 'page view', points: 1 },
      ],
      decay: { halfLifeDays: 30 },
    });
    const r = scoreLead(m, leadWith({ TotalVisits: 3, 'Page Views Per Visit': 2.5 }), [act('download')], NOW);
    expect(r.ledger.map((e) => e.text)).toEqual([
      "+6 TotalVisits: 3 visits × 2 points per visit (at most 10) [rule 'Visits'; no decay: a lead field has no date]",
      "+2 Page Views Per Visit: 2.5 = 2 page views × 1 point per page view (at most 10) [rule 'Page views'; no decay: a lead field has no date]",
    ]);
  });

  it('the stored (compact) ledger expands to the same words', () => {
    const c = compileModel(model());
    const lead = leadWith({ [TIME]: 905 });
    const core = c.scoreCore(lead, [], NOW);
    expect(core.compact).toEqual([[7, 0, 15, 905]]);
    expect(c.expand(JSON.parse(JSON.stringify(core.compact)), lead, [], [], NOW)).toEqual(
      c.score(lead, [], NOW).ledger,
    );
  });

  it('describes the rule in one line, and formats amounts without a locale', () => {
    expect(describeFieldRule(perMinute)).toBe(
      'Total Time Spent on Website: 1 point per minute (at most 30), a minute being 60 s',
    );
    expect(describeFieldRule(visits)).toBe('TotalVisits: 2 points per visit (at most 10)');
  });

  it("names a unit's size in the rate when the unit has no measure of its own (a learned step)", () => {
    const step: FieldEngagementRule = { ...perMinute, per: 91, unit: 'step', fieldUnit: null, cap: 20 };
    expect(describeFieldRule(step)).toBe('Total Time Spent on Website: 1 point per step of 91 (at most 20)');
    expect(fieldRuleArithmetic(step, 1440)).toBe('1,440 = 15 steps × 1 point per step of 91 (at most 20)');
    expect([formatAmount(1440), formatAmount(1234567.891), formatAmount(2.5), formatAmount(-1000)]).toEqual([
      '1,440',
      '1,234,567.89',
      '2.5',
      '-1,000',
    ]);
  });
});

describe('field engagement rules: validation and JSON', () => {
  const messages = (rule: Record<string, unknown>): string[] => {
    const r = validateModel({ ...baseModel(), fieldEngagement: [{ ...perMinute, name: 'Time', ...rule }] });
    return r.ok ? [] : r.issues.map((i) => i.message);
  };

  it('a model without the section is valid, and a JSON round trip keeps the rules', () => {
    expect(validateModel(baseModel()).ok).toBe(true);
    const m = model({ fieldEngagement: [perMinute, visits] });
    expect(parseModel(JSON.parse(JSON.stringify(m)))).toEqual(m);
    expect(unknownKeyIssues(JSON.parse(JSON.stringify(m)))).toEqual([]);
  });

  it('names the rule and what is wrong', () => {
    expect(messages({ field: 'email' })).toEqual([
      "field engagement rule 'Time' (#1): field 'email' is not a number field (use a number field: company_size or custom.<column>)",
    ]);
    expect(messages({ field: 'seniority' })[0]).toMatch(/'seniority' is not a number field/);
    expect(messages({ field: 'minutes' })).toEqual([
      "field engagement rule 'Time' (#1): field 'minutes' is not a lead field (use custom.minutes for a custom column)",
    ]);
    expect(messages({ per: 0 })).toEqual(["field engagement rule 'Time' (#1): per must be greater than 0"]);
    expect(messages({ per: -60 })).toEqual(["field engagement rule 'Time' (#1): per must be greater than 0"]);
    expect(messages({ cap: undefined })).toEqual(["field engagement rule 'Time' (#1): cap is required"]);
    expect(messages({ cap: -5 })).toEqual(["field engagement rule 'Time' (#1): cap must be greater than 0"]);
    expect(messages({ points: 0 })).toEqual(["field engagement rule 'Time' (#1): points must not be 0"]);
    expect(messages({ points: 1.5 })).toEqual(["field engagement rule 'Time' (#1): points must be a whole number"]);
    expect(messages({ unit: ' ' })).toEqual(["field engagement rule 'Time' (#1): unit is required"]);
  });

  it('an unknown key and an id used by another rule are named', () => {
    const raw = { ...model(), fieldEngagement: [{ ...perMinute, pionts: 2 }] };
    expect(unknownKeyIssues(raw).map((i) => i.message)).toEqual([
      "field engagement rule 'Total Time Spent on Website' (#1): unknown key 'pionts'",
    ]);
    const dup = validateModel({
      ...baseModel(),
      engagement: [{ id: 'time', name: 'Visit', match: { types: ['page_visit'] }, points: 1 }],
      fieldEngagement: [perMinute],
    });
    expect(dup.ok ? [] : dup.issues.map((i) => i.message)).toEqual([
      "field engagement rule 'Total Time Spent on Website' (#1): id 'time' is already used by engagement rule 'Visit'",
    ]);
  });
});
