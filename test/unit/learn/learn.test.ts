/**
 * The logistic fit recovers known weights; rounding to whole points keeps the ranking of
 * the raw weights (Spearman >= 0.99); a learned model is a valid model whose compiled
 * scores are the rounded points, with a reason per rule; the leakage guard flags a field
 * that decides the outcome.
 */
import { describe, expect, it } from 'vitest';
import type { Lead } from '../../../shared/domain';
import { codeColumn } from '../../../shared/learn/features';
import { explainRule, groupedAuc, learnModel, roundPoints, type LearnData } from '../../../shared/learn/learn';
import { fitLogistic, linearPredictor, sparseRows } from '../../../shared/learn/logistic';
import { rocAuc, spearman } from '../../../shared/learn/stats';
import { compileModel, validateModel } from '../../../shared/scoring';
import { mulberry32 } from '../../support/seeded-random';
import { BLANK_PERSON, makeLead } from '../scoring/factories';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe('fitLogistic', () => {
  it('recovers the weights that generated the data', () => {
    const rnd = mulberry32(7);
    const rows: [number, number][][] = [];
    const y: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const a = rnd() < 0.4 ? 1 : 0;
      const b = rnd();
      rows.push([
        [0, a],
        [1, b],
      ]);
      y.push(rnd() < sigmoid(-0.5 + 1.5 * a - 2 * b) ? 1 : 0);
    }
    const fit = fitLogistic(sparseRows(2, rows), y, { lambda: 1e-3 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(-0.5, 0);
    expect(fit.weights[0]).toBeGreaterThan(1.35);
    expect(fit.weights[0]).toBeLessThan(1.65);
    expect(fit.weights[1]).toBeGreaterThan(-2.2);
    expect(fit.weights[1]).toBeLessThan(-1.8);
  });

  it('shrinks weights toward 0 as the penalty grows', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [[0, i % 2] as [number, number]]);
    const y = Array.from({ length: 40 }, (_, i) => (i % 2 === 1 && i % 3 !== 0 ? 1 : 0));
    const weak = fitLogistic(sparseRows(1, rows), y, { lambda: 0.01 }).weights[0]!;
    const strong = fitLogistic(sparseRows(1, rows), y, { lambda: 20 }).weights[0]!;
    expect(weak).toBeGreaterThan(strong);
    expect(strong).toBeGreaterThan(0);
  });
});

describe('groupedAuc', () => {
  it('equals rocAuc over the leads when the score is constant within groups (ties between groups too)', () => {
    const groups = [
      { score: 0.2, n: 30, won: 3 },
      { score: 0.5, n: 10, won: 5 },
      { score: 0.5, n: 4, won: 1 },
      { score: 0.9, n: 12, won: 11 },
      { score: 0.1, n: 0, won: 0 },
    ];
    const scores: number[] = [];
    const outcomes: number[] = [];
    for (const g of groups)
      for (let i = 0; i < g.n; i++) {
        scores.push(g.score);
        outcomes.push(i < g.won ? 1 : 0);
      }
    expect(groupedAuc(groups)).toBeCloseTo(rocAuc(scores, outcomes).auc!, 12);
    expect(groupedAuc([{ score: 1, n: 5, won: 5 }])).toBeNull();
  });
});

describe('roundPoints', () => {
  it('whole points rank the rows like the raw weights (Spearman >= 0.99)', () => {
    const rnd = mulberry32(11);
    const features = 60;
    const raw = Float64Array.from({ length: features }, () => (rnd() - 0.3) * 2.5);
    const rows = Array.from({ length: 3000 }, () =>
      Array.from({ length: 12 }, (_, k) => [k * 5 + Math.floor(rnd() * 5), 1] as [number, number]),
    );
    const x = sparseRows(features, rows);
    const { points, scale } = roundPoints(raw, x);
    expect(points.every((p) => Number.isInteger(p))).toBe(true);
    expect(scale).toBeGreaterThanOrEqual(5);
    const rawScores = linearPredictor(x, 0, raw);
    const rounded = linearPredictor(x, 0, points);
    expect(spearman(rawScores, rounded)).toBeGreaterThanOrEqual(0.99);
  });
});

type Row = { source: string; size: number | null; quality: string; y: number; heldOut: number };

function syntheticLeads(n: number, seed: number): Row[] {
  const rnd = mulberry32(seed);
  const sources = ['Referral', 'Google', 'Ads', 'Partner'];
  const effect: Record<string, number> = { Referral: 2, Google: 0, Ads: -0.5, Partner: 1 };
  return Array.from({ length: n }, (_, i) => {
    const source = sources[Math.floor(rnd() * sources.length)]!;
    const size = rnd() < 0.1 ? null : Math.floor(rnd() * 500);
    const y = rnd() < sigmoid(-1 + effect[source]! + (size ?? 0) / 250) ? 1 : 0;
    // "Quality" is filled in after contact: it all but copies the outcome.
    const quality = rnd() < 0.97 ? (y ? 'Good' : 'Bad') : 'Unsure';
    return { source, size, quality, y, heldOut: i % 3 === 0 ? 1 : 0 };
  });
}

function learnData(rows: Row[]): LearnData {
  return {
    fields: [
      { field: 'source', label: 'Lead source', ...codeColumn(rows.map((r) => r.source)), openFillRate: null },
      { field: 'company_size', label: 'Company size', ...codeColumn(rows.map((r) => r.size)), openFillRate: null },
      { field: 'custom.Quality', label: 'Quality', ...codeColumn(rows.map((r) => r.quality)), openFillRate: null },
    ],
    activities: [],
    outcome: Uint8Array.from(rows, (r) => r.y),
    heldOut: Uint8Array.from(rows, (r) => r.heldOut),
    now: 0,
  };
}

function asLead(r: Row, id: number): Lead {
  return makeLead({
    ...BLANK_PERSON,
    id,
    uid: `u${id}`,
    company_size: r.size,
    source: r.source,
    custom: { Quality: r.quality },
  });
}

describe('learnModel', () => {
  const rows = syntheticLeads(3000, 3);
  const learned = learnModel(learnData(rows));

  it('flags the field that decides the outcome and leaves it out', () => {
    const quality = learned.fields.find((f) => f.field === 'custom.Quality')!;
    expect(quality.status).toBe('leak');
    expect(quality.reason).toContain('probably filled in after contact');
    expect(learned.model.fit.some((r) => JSON.stringify(r.when).includes('Quality'))).toBe(false);
    const kept = learnModel(learnData(rows), { keep: ['Quality'] });
    expect(kept.fields.find((f) => f.field === 'custom.Quality')!.status).toBe('used');
  });

  it('is a valid model whose compiled scores are the rounded points, each rule explained', () => {
    expect(validateModel(learned.model).ok).toBe(true);
    expect(learned.rankAgreement).toBeGreaterThanOrEqual(0.99);
    expect(learned.reasons.map((r) => r.ruleId).sort()).toEqual(learned.model.fit.map((r) => r.id).sort());
    const referral = learned.reasons.find((r) => r.text.startsWith('Lead source is Referral'))!;
    expect(referral.text).toMatch(
      /^Lead source is Referral: \d+% converted vs \d+% for Lead source is .+ \(0 points\), [\d,]+ leads → \+\d+$/,
    );
    // The best source gets the most points among sources.
    const points = (label: string) => learned.model.fit.find((r) => r.name === `Lead source is ${label}`)?.points ?? 0;
    expect(points('Referral')).toBeGreaterThan(points('Partner'));
    expect(points('Partner')).toBeGreaterThan(points('Google'));
    // Held-out leads ranked by the compiled model: far better than chance, close to the true model.
    const compiled = compileModel(learned.model);
    const held = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.heldOut === 1);
    const scores = held.map(({ r, i }) => compiled.scoreCore(asLead(r, i + 1), [], 0).total);
    const auc = rocAuc(
      scores,
      held.map(({ r }) => r.y),
    ).auc!;
    expect(auc).toBeGreaterThan(0.7);
    expect(learned.model.segments.bands.map((b) => b.key)).toEqual(['hot', 'warm', 'cold']);
    expect(learned.model.mql.threshold).toBe(learned.model.segments.bands[0]!.min);
  });
});

describe('learning a number field per unit', () => {
  type Visit = { source: string; minutes: number | null; age: number; y: number; heldOut: number };
  // Minutes on the site help up to about an hour, linearly; age helps at both ends (a U).
  const rnd = mulberry32(11);
  const visits: Visit[] = Array.from({ length: 4000 }, (_, i) => {
    const source = rnd() < 0.5 ? 'Referral' : 'Google';
    const minutes = rnd() < 0.1 ? null : Math.floor(rnd() * 90);
    const age = 20 + Math.floor(rnd() * 60);
    const z = -2 + (source === 'Referral' ? 1 : 0) + Math.min(minutes ?? 0, 60) / 20 + ((age - 50) / 15) ** 2 / 2;
    return { source, minutes, age, y: rnd() < sigmoid(z) ? 1 : 0, heldOut: i % 3 === 0 ? 1 : 0 };
  });
  const data = (perUnit: boolean): LearnData => ({
    fields: [
      { field: 'source', label: 'Lead source', ...codeColumn(visits.map((v) => v.source)), openFillRate: null },
      {
        field: 'custom.Minutes',
        label: 'Minutes',
        ...codeColumn(visits.map((v) => v.minutes)),
        openFillRate: null,
        perUnit,
      },
      { field: 'custom.Age', label: 'Age', ...codeColumn(visits.map((v) => v.age)), openFillRate: null, perUnit },
    ],
    activities: [],
    outcome: Uint8Array.from(visits, (v) => v.y),
    heldOut: Uint8Array.from(visits, (v) => v.heldOut),
    now: 0,
  });
  const lead = (v: Visit, id: number): Lead =>
    makeLead({
      ...BLANK_PERSON,
      id,
      uid: `v${id}`,
      source: v.source,
      custom: { ...(v.minutes === null ? {} : { Minutes: v.minutes }), Age: v.age },
    });

  it('a field whose ranges rise with the amount becomes one engagement rule; a U-shaped one keeps its ranges', () => {
    const learned = learnModel(data(true));
    expect(validateModel(learned.model).ok).toBe(true);
    const rules = learned.model.fieldEngagement ?? [];
    expect(rules.map((r) => r.field)).toEqual(['custom.Minutes']);
    const minutes = rules[0]!;
    expect(minutes).toMatchObject({ id: 'learned-custom-minutes-per-step', points: 1, unit: 'step' });
    expect(Number.isInteger(minutes.per)).toBe(true);
    expect(minutes.name).toBe(`Minutes: 1 point per ${minutes.per}, at most ${minutes.cap}`);
    expect(learned.model.fit.some((r) => JSON.stringify(r.when).includes('Minutes'))).toBe(false);
    expect(learned.model.fit.filter((r) => JSON.stringify(r.when).includes('custom.Age')).length).toBeGreaterThan(1);
    const reason = learned.reasons.find((r) => r.ruleId === minutes.id)!;
    expect(reason.text).toMatch(
      new RegExp(
        `^Minutes: \\d+% of the [\\d,]+ leads with some converted; .* → \\+1 per ${minutes.per}, at most \\+${minutes.cap}$`,
      ),
    );
    // The compiled model gives every lead exactly the total the suggestion was measured with,
    // and the minutes now set the engagement grade.
    const compiled = compileModel(learned.model);
    visits.forEach((v, i) => expect(compiled.scoreCore(lead(v, i + 1), [], 0).total).toBe(learned.totals[i]));
    const engaged = new Set(visits.map((v, i) => compiled.scoreCore(lead(v, i + 1), [], 0).engagementGrade));
    expect(engaged.size).toBeGreaterThan(2);
  });

  it('stays ranges when the workspace does not type the field as a number', () => {
    const learned = learnModel(data(false));
    expect(learned.model.fieldEngagement).toBeUndefined();
    expect(learned.model.fit.filter((r) => JSON.stringify(r.when).includes('custom.Minutes')).length).toBeGreaterThan(
      1,
    );
  });
});

describe('explainRule', () => {
  it('reads rare outcomes in tenths of a percent, so rules at 1.3% and 0.7% do not both say 1%', () => {
    const base = { label: 'for recency is 7 to 9 (0 points)', stat: { n: 9000, won: 63 } };
    expect(explainRule('recency is at most 1', { n: 6195, won: 81 }, base, 7)).toBe(
      'recency is at most 1: 1.3% converted vs 0.7% for recency is 7 to 9 (0 points), 6,195 leads → +7',
    );
    // Common outcomes stay in whole percents.
    expect(
      explainRule(
        'Lead Origin is Lead Add Form',
        { n: 509, won: 468 },
        { label: 'for x', stat: { n: 100, won: 36 } },
        11,
      ),
    ).toBe('Lead Origin is Lead Add Form: 92% converted vs 36% for x, 509 leads → +11');
  });
});
