/**
 * The ledger invariant, property-based: over random models (rules of every kind, caps,
 * windows, decay modes, bands) and random activity histories, the ledger's points sum
 * exactly to the total, fit + engagement + adjustment = total, and the stored (compact)
 * ledger expands to the same entries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_TYPES, type Activity } from '../../../shared/domain';
import { compileModel, scoreLead, validateModel, type ScoringModel } from '../../../shared/scoring';
import { baseModel, DAY, makeLead, NOW } from './factories';

const ASSETS = ['', '/pricing', '/careers', '/blog', 'Guide', 'Webinar A'];

const activityMatch = fc.record({
  types: fc.uniqueArray(fc.constantFrom(...ACTIVITY_TYPES), { minLength: 1, maxLength: 3 }),
  asset: fc.option(
    fc.record({ op: fc.constant('contains' as const), value: fc.constantFrom('pricing', 'careers', 'guide', 'a') }),
    {
      nil: undefined,
    },
  ),
  minDurationSec: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
});

const counting = {
  frequency: fc.constantFrom('first' as const, 'every' as const),
  countRepeats: fc.boolean(),
  cap: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
  windowCap: fc.option(fc.record({ days: fc.integer({ min: 1, max: 30 }), points: fc.integer({ min: 1, max: 50 }) }), {
    nil: null,
  }),
  group: fc.constantFrom('default', 'content'),
};

const modelArb: fc.Arbitrary<ScoringModel> = fc
  .record({
    fit: fc.array(
      fc.record({
        points: fc.integer({ min: -50, max: 50 }),
        when: fc.constantFrom(
          { field: 'seniority', op: 'in' as const, values: ['c_level', 'vp'] },
          { field: 'company_size', op: 'between' as const, min: 50, max: null },
          {
            any: [
              { field: 'email_domain', op: 'ends_with' as const, value: '.com' },
              { field: 'phone', op: 'is_not_blank' as const },
            ],
          },
        ),
      }),
      { maxLength: 4 },
    ),
    engagement: fc.array(fc.record({ points: fc.integer({ min: -30, max: 60 }), match: activityMatch, ...counting }), {
      maxLength: 6,
    }),
    negative: fc.array(fc.record({ points: fc.integer({ min: -40, max: -1 }), match: activityMatch, ...counting }), {
      maxLength: 2,
    }),
    fieldEngagement: fc.array(
      fc.record({
        field: fc.constantFrom('company_size', 'custom.Time on site'),
        points: fc.integer({ min: -5, max: 5 }).filter((n) => n !== 0),
        per: fc.constantFrom(1, 0.5, 60, 7.5),
        cap: fc.integer({ min: 1, max: 60 }),
        fieldUnit: fc.constantFrom(null, 's'),
      }),
      { maxLength: 2 },
    ),
    halfLifeDays: fc.option(fc.integer({ min: 1, max: 365 }), { nil: null }),
    windowDays: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
    contentHalfLife: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
    inactivity: fc.option(
      fc.record({
        afterDays: fc.integer({ min: 1, max: 200 }),
        points: fc.integer({ min: -30, max: -1 }),
        everyDays: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }),
        maxPoints: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
      }),
      { nil: null },
    ),
  })
  .map((g) => {
    const usesContent = [...g.engagement, ...g.negative].some((r) => r.group === 'content');
    return baseModel({
      fit: g.fit.map((r, i) => ({ id: `f${i}`, name: `Fit ${i}`, ...r })),
      engagement: g.engagement.map((r, i) => ({ id: `e${i}`, name: `Eng ${i}`, ...r })),
      negative: g.negative.map((r, i) => ({ id: `n${i}`, name: `Neg ${i}`, on: 'activity' as const, ...r })),
      fieldEngagement: g.fieldEngagement.map((r, i) => ({ id: `m${i}`, name: `Measure ${i}`, unit: 'unit', ...r })),
      decay: {
        halfLifeDays: g.halfLifeDays,
        windowDays: g.windowDays,
        inactivity: g.inactivity,
        ...(usesContent && g.contentHalfLife !== undefined
          ? { groups: { content: { halfLifeDays: g.contentHalfLife } } }
          : {}),
      },
    });
  });

const activitiesArb: fc.Arbitrary<Activity[]> = fc
  .array(
    fc.record({
      type: fc.constantFrom(...ACTIVITY_TYPES),
      asset: fc.constantFrom(...ASSETS),
      ageMs: fc.integer({ min: -DAY, max: 500 * DAY }),
      duration_sec: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: null }),
    }),
    { maxLength: 40 },
  )
  .map((xs) =>
    xs.map((x, i) => ({
      id: i + 1,
      lead_id: 1,
      type: x.type,
      asset: x.asset,
      occurred_at: NOW - x.ageMs,
      duration_sec: x.duration_sec,
    })),
  );

const leadArb = fc.record({
  title: fc.constantFrom('CEO', 'VP Sales', 'Engineer', null),
  company_size: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: null }),
  email: fc.constantFrom('a@acme.com', 'b@uni.edu', null),
  // Typed numbers, numbers left as text, placeholders and blanks (no data).
  timeOnSite: fc.oneof(
    fc.double({ min: -10, max: 5000, noNaN: true }),
    fc.constantFrom('1,440', ' 90 ', '--', 'Select', '', 'n/a'),
    fc.constant(undefined),
  ),
  adjustments: fc.array(
    fc.integer({ min: -100, max: 100 }).filter((n) => n !== 0),
    { maxLength: 2 },
  ),
});

describe('ledger invariant (property-based)', () => {
  it('the ledger sums exactly to the total, over random models and activities', () => {
    fc.assert(
      fc.property(modelArb, activitiesArb, leadArb, (model, activities, l) => {
        expect(validateModel(model).ok).toBe(true);
        const custom: Record<string, string | number> =
          l.timeOnSite === undefined ? {} : { 'Time on site': l.timeOnSite };
        const lead = makeLead({ title: l.title, company_size: l.company_size, email: l.email, custom });
        const adjustments = l.adjustments.map((points, i) => ({ id: i + 1, points, reason: 'r', at: NOW }));
        const r = scoreLead(model, lead, activities, NOW, { adjustments });
        const sum = r.ledger.reduce((s, e) => s + e.points, 0);
        expect(sum).toBe(r.total);
        expect(r.fit + r.engagement + r.adjustment).toBe(r.total);
        expect(Number.isInteger(r.total)).toBe(true);
        for (const e of r.ledger) expect(Number.isInteger(e.points)).toBe(true);
        const c = compileModel(model);
        const core = c.scoreCore(lead, activities, NOW, { adjustments });
        expect(c.expand(JSON.parse(JSON.stringify(core.compact)), lead, activities, adjustments, NOW)).toEqual(
          r.ledger,
        );
      }),
      { numRuns: 400 },
    );
  });

  it('caps hold: no rule ever gives more than its cap', () => {
    fc.assert(
      fc.property(modelArb, activitiesArb, leadArb, (model, activities, l) => {
        const custom: Record<string, string | number> =
          l.timeOnSite === undefined ? {} : { 'Time on site': l.timeOnSite };
        const r = scoreLead(model, makeLead({ company_size: l.company_size, custom }), activities, NOW);
        for (const rule of [...model.engagement, ...model.negative, ...(model.fieldEngagement ?? [])]) {
          if (!('cap' in rule) || rule.cap == null) continue;
          const given = r.ledger.filter((e) => e.ruleId === rule.id).reduce((s, e) => s + Math.abs(e.points), 0);
          expect(given).toBeLessThanOrEqual(rule.cap);
        }
      }),
      { numRuns: 200 },
    );
  });
});
