/** The parts compileModel is made of, each on its own. */
import { describe, expect, it } from 'vitest';
import {
  compileActivityRules,
  createActivityScorer,
  DecayGroups,
  inactivityPenalty,
  inTimeOrder,
} from '../../../shared/scoring/compile/activity-rules';
import { activityEntry, expandLedger, windowEntry } from '../../../shared/scoring/compile/expand';
import { leadFieldOf, modelLeadFields } from '../../../shared/scoring/compile/lead-fields';
import { bandIndex, compilePlacement } from '../../../shared/scoring/compile/placement';
import { compileProfileRules, scoreProfile } from '../../../shared/scoring/compile/profile-rules';
import { compileSuppression, domainListed, SUPPRESSION_SOURCE } from '../../../shared/scoring/compile/suppression';
import { leadContext } from '../../../shared/scoring/conditions';
import { act, baseModel, DAY, makeLead, NOW } from './factories';

describe('placement', () => {
  it('bandIndex: the first lower bound reached, else the last band', () => {
    expect(bandIndex(30, [30, 20, 10])).toBe(0);
    expect(bandIndex(29, [30, 20, 10])).toBe(1);
    expect(bandIndex(10, [30, 20, 10])).toBe(2);
    expect(bandIndex(9, [30, 20, 10])).toBe(3);
    expect(bandIndex(-5, [30, 20, 10])).toBe(3);
  });

  it('grades, band by total, and a suppressed lead lands in the last band without MQL', () => {
    const place = compilePlacement(baseModel());
    expect(place(30, 10, 60, false)).toMatchObject({ grade: 'A3', band: { key: 'hot' }, isMql: true });
    expect(place(30, 10, 60, true)).toMatchObject({ grade: 'A3', band: { key: 'cold' }, isMql: false });
    expect(place(0, 0, 20, false)).toMatchObject({ grade: 'D4', band: { key: 'warm' }, isMql: false });
  });

  it('bands by grade and an MQL that needs a fit grade', () => {
    const place = compilePlacement(
      baseModel({
        segments: {
          basis: 'grade',
          bands: [
            { key: 'hot', label: 'Hot', grades: ['A1', 'A2'] },
            { key: 'cold', label: 'Cold' },
          ],
        },
        mql: { threshold: 10, minFitGrade: 'B' },
      }),
    );
    expect(place(30, 20, 50, false)).toMatchObject({ grade: 'A2', band: { key: 'hot' }, isMql: true });
    expect(place(10, 30, 40, false)).toMatchObject({ grade: 'C1', band: { key: 'cold' }, isMql: false });
  });
});

describe('suppression', () => {
  const model = baseModel({
    suppression: {
      rules: [
        {
          id: 's',
          name: 'Students',
          when: { field: 'title', op: 'contains', value: 'student' },
          reason: 'Not a buyer',
        },
      ],
      emails: ['Bob@Rival.com'],
      domains: ['@rival.io'],
    },
  });
  const { check } = compileSuppression(model);

  it('checks by hand, then the email list, then the domain list, then rules', () => {
    expect(check(leadContext(makeLead({ manual_suppression: ' spam ', title: 'student' })))).toEqual([
      'spam',
      -1,
      SUPPRESSION_SOURCE.hand,
    ]);
    expect(check(leadContext(makeLead({ email: 'bob@rival.com' })))?.[2]).toBe(SUPPRESSION_SOURCE.emailList);
    expect(check(leadContext(makeLead({ email: 'x@eu.rival.io' })))?.[2]).toBe(SUPPRESSION_SOURCE.domainList);
    expect(check(leadContext(makeLead({ title: 'Student' })))).toEqual(['Not a buyer', 0, SUPPRESSION_SOURCE.rule]);
    expect(check(leadContext(makeLead()))).toBeNull();
  });

  it('a listed domain covers its subdomains, not look-alikes', () => {
    expect(domainListed('rival.io', ['rival.io'])).toBe(true);
    expect(domainListed('eu.rival.io', ['rival.io'])).toBe(true);
    expect(domainListed('notrival.io', ['rival.io'])).toBe(false);
  });
});

describe('profile rules', () => {
  it('fit rules then negative profile rules; points of the matching ones only', () => {
    const rules = compileProfileRules(
      baseModel({
        fit: [{ id: 'f', name: 'Germany', when: { field: 'country', op: 'equals', value: 'DE' }, points: 10 }],
        negative: [
          {
            id: 'n',
            name: 'Gmail',
            on: 'profile',
            when: { field: 'email_domain', op: 'equals', value: 'gmail.com' },
            points: -5,
          },
          { id: 'a', name: 'Careers', on: 'activity', match: { types: ['page_visit'] }, points: -3 },
        ],
      }),
    );
    expect(rules.map((r) => [r.id, r.kind])).toEqual([
      ['f', 'fit'],
      ['n', 'negative'],
    ]);
    const seen: [number, number][] = [];
    const lead = makeLead({ country: 'de', email: 'a@gmail.com' });
    expect(scoreProfile(rules, leadContext(lead), (i, p) => seen.push([i, p]))).toBe(5);
    expect(seen).toEqual([
      [0, 10],
      [1, -5],
    ]);
  });
});

describe('lead fields', () => {
  it('maps condition fields to the lead columns they are read from', () => {
    expect(leadFieldOf('custom.Score')).toBe('custom');
    expect(leadFieldOf('seniority')).toBe('title');
    expect(leadFieldOf('email_domain')).toBeNull();
    expect(leadFieldOf('country')).toBe('country');
  });

  it('collects fields from applicability, fit, negative and suppression rules', () => {
    const f = modelLeadFields(
      baseModel({
        appliesTo: { field: 'source', op: 'is_not_blank' },
        fit: [{ id: 'f', name: 'F', when: { any: [{ field: 'seniority', op: 'equals', value: 'vp' }] }, points: 1 }],
        suppression: {
          rules: [{ id: 's', name: 'S', when: { field: 'custom.X', op: 'is_blank' } }],
          emails: [],
          domains: [],
        },
      }),
    );
    expect([...f].sort()).toEqual(
      ['created_at', 'custom', 'email', 'id', 'manual_suppression', 'source', 'stage', 'title', 'uid'].sort(),
    );
  });
});

describe('activity rules', () => {
  it('decay groups: default first, group settings override the model, unset inherits', () => {
    const g = new DecayGroups({ halfLifeDays: 30, windowDays: 90, groups: { web: { halfLifeDays: 7 } } });
    expect(g.indexOf('web')).toBe(1);
    expect(g.indexOf('web')).toBe(1);
    expect(g.list).toEqual([
      { name: 'default', halfLifeDays: 30, windowDays: 90 },
      { name: 'web', halfLifeDays: 7, windowDays: 90 },
    ]);
  });

  it('inTimeOrder keeps a sorted list as is and sorts a copy otherwise', () => {
    const a = act('page_visit', '', 3);
    const b = act('page_visit', '', 1);
    const sorted = [a, b];
    expect(inTimeOrder(sorted)).toBe(sorted);
    const unsorted = [b, a];
    expect(inTimeOrder(unsorted)).toEqual([a, b]);
    expect(unsorted).toEqual([b, a]);
  });

  it('the scorer resets between leads (caps and de-duplication do not leak)', () => {
    const model = baseModel({
      engagement: [{ id: 'p', name: 'Pages', match: { types: ['page_visit'] }, points: 5, cap: 10 }],
    });
    const groups = new DecayGroups(model.decay);
    const score = createActivityScorer(compileActivityRules(model, groups), groups.list);
    const acts = [
      act('page_visit', '/a', 3),
      act('page_visit', '/a', 2),
      act('page_visit', '/b', 2),
      act('page_visit', '/c', 1),
    ];
    const first = score(acts, NOW, null);
    expect(first.engagement).toBe(10);
    expect(score(acts, NOW, null).engagement).toBe(10);
    expect(first.lastActivityAt).toBe(NOW - DAY);
  });

  it('the inactivity penalty repeats every N days up to its maximum', () => {
    const p = { afterDays: 30, points: -5, everyDays: 10, maxPoints: 12 };
    expect(inactivityPenalty(p, NOW - 29 * DAY, NOW)).toBeNull();
    expect(inactivityPenalty(p, NOW - 30 * DAY, NOW)).toEqual({ size: 5, idle: 30, times: 1 });
    expect(inactivityPenalty(p, NOW - 40 * DAY, NOW)).toEqual({ size: 10, idle: 40, times: 2 });
    expect(inactivityPenalty(p, NOW - 60 * DAY, NOW)).toEqual({ size: 12, idle: 60, times: 4 });
    expect(inactivityPenalty(null, 0, NOW)).toBeNull();
  });
});

describe('ledger words', () => {
  it('a capped activity and one no longer in the workspace say so', () => {
    const model = baseModel({
      engagement: [{ id: 'p', name: 'Pricing', match: { types: ['page_visit'] }, points: 5 }],
    });
    const groups = new DecayGroups(model.decay);
    const [rule] = compileActivityRules(model, groups);
    expect(activityEntry(rule!, 2, 77, NOW, undefined).text).toBe(
      '+2 Activity #77 on 1 Apr 2026 (no longer in the workspace) (Pricing) (capped)',
    );
    expect(windowEntry({ name: 'web', halfLifeDays: null, windowDays: 30 }, 1).text).toBe(
      '0 1 older activity not counted (only the last 30 days count) [web]',
    );
  });

  it('entries naming a rule the model no longer has are skipped', () => {
    const parts = {
      profileRules: [],
      activityRules: [],
      groups: [],
      fieldRules: [],
      decays: false,
      suppressionRules: [],
      inactivity: null,
    };
    expect(
      expandLedger(
        parts,
        [
          [0, 3, 10],
          [7, 0, 5, 300],
          [5, -1, 4, 9],
        ],
        makeLead(),
        [],
        [],
        NOW,
      ).map((e) => e.text),
    ).toEqual(['+4 Manual adjustment']);
  });
});
