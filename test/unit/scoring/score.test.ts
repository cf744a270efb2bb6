import { describe, expect, it } from 'vitest';
import {
  compileModel,
  DEFAULT_MODEL,
  renderLedger,
  scoreLead,
  type EngagementRule,
  type ScoringModel,
} from '../../../shared/scoring';
import { act, baseModel, DAY, ledgerSum, makeLead, NOW } from './factories';

function engagementOnly(
  rule: Partial<EngagementRule> & Pick<EngagementRule, 'match' | 'points'>,
  over: Partial<ScoringModel> = {},
) {
  return baseModel({ engagement: [{ id: 'r', name: 'Rule', ...rule }], ...over });
}

describe('fit rules', () => {
  const model = baseModel({
    fit: [
      { id: 'c', name: 'C-level', when: { field: 'seniority', op: 'equals', value: 'c_level' }, points: 30 },
      {
        id: 'dach-big',
        name: 'Big DACH company',
        when: {
          all: [
            { field: 'country', op: 'in', values: ['DE', 'AT', 'CH'] },
            { field: 'company_size', op: 'between', min: 200 },
          ],
        },
        points: 10,
      },
      {
        id: 'saas-or-fin',
        name: 'Target industry',
        when: {
          any: [
            { field: 'industry', op: 'contains', value: 'software' },
            { field: 'custom.Vertical', op: 'equals', value: 'Finance' },
          ],
        },
        points: 5,
      },
      { id: 'no-phone', name: 'No phone', when: { field: 'phone', op: 'is_blank' }, points: -3 },
    ],
  });

  it('adds points per matching rule, with the field value in the ledger', () => {
    const r = scoreLead(
      model,
      makeLead({ title: 'CEO', country: 'de', company_size: 500, industry: 'Retail', custom: { vertical: 'finance' } }),
      [],
      NOW,
    );
    expect(r.fit).toBe(30 + 10 + 5 - 3);
    expect(r.ledger.map((e) => e.ruleId)).toEqual(['c', 'dach-big', 'saas-or-fin', 'no-phone']);
    expect(r.ledger[0]!.text).toBe("+30 C-level (Seniority: C-level / founder ('CEO'))");
    expect(r.ledger[2]!.text).toBe('+5 Target industry (Vertical: finance)');
    expect(r.ledger[3]!.text).toBe('-3 No phone (Phone: blank)');
  });

  it('AND needs every condition, OR any', () => {
    const r = scoreLead(
      model,
      makeLead({ country: 'DE', company_size: 50, phone: '123', industry: 'Computer Software' }),
      [],
      NOW,
    );
    expect(r.ledger.map((e) => e.ruleId)).toEqual(['saas-or-fin']);
  });

  it('tags and stage can be tested', () => {
    const m = baseModel({
      fit: [
        { id: 't', name: 'VIP', when: { field: 'tags', op: 'equals', value: 'vip' }, points: 7 },
        { id: 's', name: 'Recycled', when: { field: 'stage', op: 'equals', value: 'recycled' }, points: 2 },
      ],
    });
    expect(scoreLead(m, makeLead({ tags: ['partner', 'VIP'], stage: 'recycled' }), [], NOW).fit).toBe(9);
    expect(scoreLead(m, makeLead({ tags: ['partner'] }), [], NOW).fit).toBe(0);
  });
});

describe('engagement rules', () => {
  it('every time, each asset once per rule by default', () => {
    const m = engagementOnly({ match: { types: ['download'] }, points: 15 });
    const r = scoreLead(
      m,
      makeLead(),
      [act('download', 'Guide', 5), act('download', 'Guide', 4), act('download', 'Checklist', 3)],
      NOW,
    );
    expect(r.engagement).toBe(30);
    expect(r.ledger.map((e) => e.text)).toEqual([
      "+15 Downloaded 'Guide' on 27 Mar 2026 (Rule)",
      "+15 Downloaded 'Checklist' on 29 Mar 2026 (Rule)",
    ]);
  });

  it('countRepeats counts the same asset again', () => {
    const m = engagementOnly({ match: { types: ['email_open'] }, points: 1, countRepeats: true });
    expect(
      scoreLead(m, makeLead(), [act('email_open', '', 3), act('email_open', '', 2), act('email_open', '', 1)], NOW)
        .engagement,
    ).toBe(3);
  });

  it('first time only', () => {
    const m = engagementOnly({
      match: { types: ['page_visit'], asset: { op: 'contains', value: 'pricing' } },
      points: 20,
      frequency: 'first',
    });
    const r = scoreLead(
      m,
      makeLead(),
      [act('page_visit', '/pricing', 9), act('page_visit', '/pricing/enterprise', 2), act('page_visit', '/about', 1)],
      NOW,
    );
    expect(r.engagement).toBe(20);
    expect(r.ledger).toHaveLength(1);
    expect(r.ledger[0]!.activityId).toBeDefined();
  });

  it('cap per rule, with the partial last contribution marked', () => {
    const m = engagementOnly({ match: { types: ['page_visit'] }, points: 15, cap: 40 });
    const r = scoreLead(
      m,
      makeLead(),
      ['/a', '/b', '/c', '/d'].map((p, i) => act('page_visit', p, 10 - i)),
      NOW,
    );
    expect(r.engagement).toBe(40);
    expect(r.ledger.map((e) => e.points)).toEqual([15, 15, 10]);
    expect(r.ledger[2]!.text).toMatch(/\(Rule\) \(capped\)$/);
  });

  it('cap per time window', () => {
    const m = engagementOnly({ match: { types: ['page_visit'] }, points: 5, windowCap: { days: 1, points: 10 } });
    // Three visits on one day (only 10 count), one on another day.
    const day = Math.floor(NOW / DAY) * DAY;
    const at = (t: number, asset: string) => ({ ...act('page_visit', asset), occurred_at: t });
    const r = scoreLead(
      m,
      makeLead(),
      [
        at(day - 3 * DAY + 1000, '/a'),
        at(day - 3 * DAY + 2000, '/b'),
        at(day - 3 * DAY + 3000, '/c'),
        at(day - DAY, '/d'),
      ],
      NOW,
    );
    expect(r.ledger.map((e) => e.points)).toEqual([5, 5, 5]);
    expect(r.engagement).toBe(15);
  });

  it('minimum duration', () => {
    const m = engagementOnly({
      match: { types: ['video_watched'], minDurationSec: 600 },
      points: 30,
      countRepeats: true,
    });
    const r = scoreLead(
      m,
      makeLead(),
      [
        act('video_watched', 'Tour', 3, 599),
        act('video_watched', 'Tour', 2, 600),
        act('video_watched', 'Tour', 1, null),
      ],
      NOW,
    );
    expect(r.engagement).toBe(30);
  });

  it('asset patterns and several types per rule', () => {
    const m = engagementOnly({
      match: { types: ['page_visit', 'form_fill'], asset: { op: 'matches', value: 'free[ -]?trial' } },
      points: 25,
    });
    const r = scoreLead(
      m,
      makeLead(),
      [
        act('page_visit', '/free-trial', 2),
        act('form_fill', 'Free Trial signup', 1),
        act('download', 'free trial guide', 1),
      ],
      NOW,
    );
    expect(r.engagement).toBe(50);
  });

  it('scores unsorted activities in time order', () => {
    const m = engagementOnly({ match: { types: ['download'] }, points: 10, frequency: 'first' });
    const r = scoreLead(m, makeLead(), [act('download', 'New', 1), act('download', 'Old', 20)], NOW);
    expect(r.ledger[0]!.text).toMatch(/'Old'/);
  });
});

describe('negative rules', () => {
  const model = baseModel({
    negative: [
      {
        id: 'careers',
        name: 'Careers page',
        on: 'activity',
        match: { types: ['page_visit'], asset: { op: 'contains', value: 'careers' } },
        points: -20,
        frequency: 'first',
      },
      {
        id: 'free',
        name: 'Free email',
        on: 'profile',
        when: { field: 'email_domain', op: 'in', values: ['gmail.com'] },
        points: -10,
      },
    ],
  });

  it('subtract on behaviour and on profile', () => {
    const r = scoreLead(
      model,
      makeLead({ email: 'joe@GMAIL.com' }),
      [act('page_visit', '/careers', 3), act('page_visit', '/careers/sales', 2)],
      NOW,
    );
    expect(r.fit).toBe(-10);
    expect(r.engagement).toBe(-20);
    expect(r.total).toBe(-30);
    expect(r.ledger.map((e) => [e.kind, e.points])).toEqual([
      ['negative', -10],
      ['negative', -20],
    ]);
    expect(r.ledger[1]!.text).toBe("-20 Visited '/careers' on 29 Mar 2026 (Careers page)");
  });

  it('caps limit negative rules by size', () => {
    const m = baseModel({
      negative: [
        {
          id: 'u',
          name: 'Unsub',
          on: 'activity',
          match: { types: ['unsubscribe'] },
          points: -15,
          countRepeats: true,
          cap: 20,
        },
      ],
    });
    expect(scoreLead(m, makeLead(), [act('unsubscribe', '', 3), act('unsubscribe', '', 2)], NOW).engagement).toBe(-20);
  });
});

describe('suppression', () => {
  const model = baseModel({
    fit: [{ id: 'c', name: 'C-level', when: { field: 'seniority', op: 'equals', value: 'c_level' }, points: 60 }],
    suppression: {
      rules: [
        {
          id: 'student',
          name: 'Students',
          when: { field: 'seniority', op: 'equals', value: 'student' },
          reason: 'Student',
        },
      ],
      emails: ['Blocked@Example.com'],
      domains: ['rival.com'],
    },
    mql: { threshold: 50 },
  });

  it('by rule: keeps the score, shows why, never hot, never MQL', () => {
    const r = scoreLead(model, makeLead({ title: 'Student' }), [], NOW);
    expect(r.suppressedReason).toBe('Student');
    const ceo = scoreLead(model, makeLead({ title: 'CEO', email: 'ceo@sub.rival.com' }), [], NOW);
    expect(ceo.total).toBe(60);
    expect(ceo.suppressedReason).toBe('domain on the suppression list');
    expect(ceo.segment).toBe('cold');
    expect(ceo.isMql).toBe(false);
    expect(ceo.ledger.at(-1)).toMatchObject({ kind: 'suppression', points: 0 });
    expect(ceo.ledger.at(-1)!.text).toBe(
      'Suppressed: domain on the suppression list (Email domain: sub.rival.com). Never hot, never MQL',
    );
  });

  it('by email list and by hand', () => {
    expect(scoreLead(model, makeLead({ email: ' blocked@example.com' }), [], NOW).suppressedReason).toBe(
      'email on the suppression list',
    );
    const manual = scoreLead(
      model,
      makeLead({ title: 'CEO', manual_suppression: 'Asked not to be contacted' }),
      [],
      NOW,
    );
    expect(manual.suppressedReason).toBe('Asked not to be contacted');
    expect(manual.isMql).toBe(false);
    expect(manual.ledger.at(-1)!.text).toMatch(/^Suppressed: set by hand: Asked not to be contacted/);
  });

  it('an unsuppressed lead with the same score is hot and MQL', () => {
    const r = scoreLead(model, makeLead({ title: 'CEO' }), [], NOW);
    expect([r.segment, r.isMql, r.suppressedReason]).toEqual(['hot', true, null]);
  });
});

describe('decay', () => {
  const visit = { match: { types: ['download' as const] }, points: 20, countRepeats: true };

  it('half-life: points halve every half-life, as one entry carrying the delta', () => {
    const m = engagementOnly(visit, { decay: { halfLifeDays: 30 } });
    const r = scoreLead(m, makeLead(), [act('download', 'Guide', 30)], NOW);
    expect(r.engagement).toBe(10);
    expect(r.ledger.map((e) => e.points)).toEqual([20, -10]);
    expect(r.ledger[1]!.text).toBe('x0.5 decay: last activity 30 days ago (half-life 30 days, -10)');
    expect(ledgerSum(r.ledger)).toBe(r.total);
  });

  it('half-life per rule group', () => {
    const m = baseModel({
      engagement: [
        { id: 'd', name: 'Download', match: { types: ['download'] }, points: 20, group: 'content' },
        { id: 'e', name: 'Email', match: { types: ['email_click'] }, points: 8 },
      ],
      decay: { halfLifeDays: 10, groups: { content: { halfLifeDays: null } } },
    });
    const r = scoreLead(m, makeLead(), [act('download', 'Guide', 20), act('email_click', 'News', 20)], NOW);
    expect(r.engagement).toBe(20 + 2);
  });

  it('time window: older activity does not count, and the ledger says so', () => {
    const m = engagementOnly(visit, { decay: { windowDays: 90 } });
    const r = scoreLead(
      m,
      makeLead(),
      [act('download', 'A', 120), act('download', 'B', 100), act('download', 'C', 89)],
      NOW,
    );
    expect(r.engagement).toBe(20);
    expect(r.ledger.find((e) => e.kind === 'window')!.text).toBe(
      '0 2 older activities not counted (only the last 90 days count)',
    );
  });

  it('inactivity penalty repeats and is limited', () => {
    const m = engagementOnly(visit, {
      decay: { inactivity: { afterDays: 90, points: -10, everyDays: 30, maxPoints: 25 } },
    });
    const at = (days: number) => scoreLead(m, makeLead(), [act('download', 'A', days)], NOW);
    expect(at(89).engagement).toBe(20);
    expect(at(90).engagement).toBe(10);
    expect(at(119).engagement).toBe(10);
    expect(at(120).engagement).toBe(0);
    expect(at(400).engagement).toBe(20 - 25);
    expect(at(120).ledger.at(-1)!.text).toBe('-20 Inactivity: no activity for 120 days (last on 2 Dec 2025), -10 x2');
  });

  it('inactivity without any activity counts from when the lead was added', () => {
    const m = baseModel({ decay: { inactivity: { afterDays: 30, points: -5 } } });
    const r = scoreLead(m, makeLead({ created_at: NOW - 45 * DAY }), [], NOW);
    expect(r.total).toBe(-5);
    expect(r.ledger[0]!.text).toBe('-5 Inactivity: no activity since the lead was added 45 days ago');
  });
});

describe('grades, segments, MQL', () => {
  const fitPoints = (n: number) => ({
    id: `f${n}`,
    name: `Fit ${n}`,
    when: { field: 'email' as const, op: 'is_not_blank' as const },
    points: n,
  });
  const engPoints = (n: number) => ({
    id: `e${n}`,
    name: `Eng ${n}`,
    match: { types: ['form_fill' as const] },
    points: n,
  });
  const grade = (fit: number, eng: number, over: Partial<ScoringModel> = {}) =>
    scoreLead(
      baseModel({ fit: fit ? [fitPoints(fit)] : [], engagement: eng ? [engPoints(eng)] : [], ...over }),
      makeLead(),
      [act('form_fill', 'F', 1)],
      NOW,
    );

  it.each([
    [30, 'A'],
    [29, 'B'],
    [20, 'B'],
    [19, 'C'],
    [10, 'C'],
    [9, 'D'],
    [-5, 'D'],
  ])('fit %i -> %s (band edges inclusive)', (fit, letter) => {
    expect(grade(fit, 0).fitGrade).toBe(letter);
  });

  it.each([
    [30, 1],
    [29, 2],
    [20, 2],
    [19, 3],
    [10, 3],
    [9, 4],
  ])('engagement %i -> %i', (eng, n) => {
    expect(grade(0, eng).engagementGrade).toBe(n);
  });

  it('grade combines both: A1..D4', () => {
    expect(grade(30, 30).grade).toBe('A1');
    expect(grade(5, 5).grade).toBe('D4');
    expect(grade(20, 10).grade).toBe('B3');
  });

  it('segments on the total: lowest total of each band inclusive, last band catches the rest', () => {
    expect(grade(30, 20).segment).toBe('hot');
    expect(grade(30, 19).segment).toBe('warm');
    expect(grade(10, 10).segment).toBe('warm');
    expect(grade(10, 9).segment).toBe('cold');
    expect(grade(10, 9).segmentLabel).toBe('Cold');
  });

  it('segments on grades (4 and 5 bands)', () => {
    const segments = {
      basis: 'grade' as const,
      bands: [
        { key: 'a', label: 'Priority', grades: ['A1' as const, 'A2' as const, 'B1' as const] },
        { key: 'b', label: 'Nurture fit', grades: ['A3' as const, 'A4' as const] },
        { key: 'c', label: 'Engaged', grades: ['C1' as const, 'D1' as const] },
        { key: 'd', label: 'Rest' },
      ],
    };
    expect(grade(30, 20, { segments }).segment).toBe('a');
    expect(grade(30, 0, { segments }).segment).toBe('b');
    expect(grade(0, 30, { segments }).segment).toBe('c');
    expect(grade(20, 20, { segments }).segment).toBe('d');
  });

  it('MQL at the threshold, optionally requiring a fit grade', () => {
    expect(grade(25, 25).isMql).toBe(true);
    expect(grade(25, 24).isMql).toBe(false);
    expect(grade(15, 35, { mql: { threshold: 50, minFitGrade: 'B' } }).isMql).toBe(false);
    expect(grade(20, 30, { mql: { threshold: 50, minFitGrade: 'B' } }).isMql).toBe(true);
  });
});

describe('applicability, adjustments, compiled models, rendering', () => {
  it('appliesTo selects the leads a model scores', () => {
    const m = compileModel(baseModel({ appliesTo: { field: 'country', op: 'in', values: ['US', 'CA'] } }));
    expect(m.applies(makeLead({ country: 'us' }))).toBe(true);
    expect(m.applies(makeLead({ country: 'DE' }))).toBe(false);
    expect(compileModel(baseModel()).applies(makeLead())).toBe(true);
  });

  it('manual adjustments are in the total and the ledger', () => {
    const r = scoreLead(baseModel(), makeLead(), [], NOW, {
      adjustments: [
        { id: 7, points: 25, reason: 'Met at the trade show', at: Date.UTC(2026, 2, 3), by: 'Sam' },
        { id: 8, points: -5, reason: 'Duplicate interest', at: Date.UTC(2026, 2, 4) },
      ],
    });
    expect(r.adjustment).toBe(20);
    expect(r.total).toBe(20);
    expect(r.ledger.map((e) => e.text)).toEqual([
      '+25 Manual adjustment by Sam on 3 Mar 2026: Met at the trade show',
      '-5 Manual adjustment on 4 Mar 2026: Duplicate interest',
    ]);
  });

  it('a compiled model gives the same result as the plain one, and expand() rebuilds the words', () => {
    const lead = makeLead({ title: 'VP Marketing', company_size: 120, email: 'x@gmail.com' });
    const acts = [
      act('page_visit', '/pricing', 40),
      act('download', 'Pricing guide', 12),
      act('page_visit', '/careers', 3),
      act('video_watched', 'Tour', 2, 300),
    ];
    const c = compileModel(DEFAULT_MODEL);
    const a = scoreLead(DEFAULT_MODEL, lead, acts, NOW);
    const b = scoreLead(c, lead, acts, NOW);
    expect(b).toEqual(a);
    const core = c.scoreCore(lead, acts, NOW);
    expect(c.expand(core.compact, lead, acts, [], NOW)).toEqual(a.ledger);
    expect(ledgerSum(a.ledger)).toBe(a.total);
  });

  it('ledger: false scores the same without building a ledger; leadFields names what the model reads', () => {
    const c = compileModel(DEFAULT_MODEL);
    const lead = makeLead({ title: 'CEO', phone: '1' });
    const acts = [act('download', 'Guide', 3), act('page_visit', '/pricing', 2)];
    const { compact, ...withLedger } = c.scoreCore(lead, acts, NOW);
    const { compact: none, ...without } = c.scoreCore(lead, acts, NOW, { ledger: false });
    expect(without).toEqual(withLedger);
    expect(compact.length).toBeGreaterThan(0);
    expect(none).toEqual([]);
    expect([...c.leadFields].sort()).toEqual([
      'company_size',
      'created_at',
      'custom',
      'email',
      'id',
      'manual_suppression',
      'phone',
      'stage',
      'tags',
      'title',
      'uid',
    ]);
  });

  it('an entry whose activity is gone says so', () => {
    const c = compileModel(engagementOnly({ match: { types: ['download'] }, points: 15 }));
    const acts = [act('download', 'Guide', 2)];
    const core = c.scoreCore(makeLead(), acts, NOW);
    expect(c.expand(core.compact, makeLead(), [], [], NOW)[0]!.text).toMatch(
      /^\+15 Activity #\d+ on 30 Mar 2026 \(no longer in the workspace\) \(Rule\)$/,
    );
  });

  it('renders a ledger as plain text', () => {
    const r = scoreLead(DEFAULT_MODEL, makeLead({ title: 'CEO' }), [act('download', 'Pricing guide', 29)], NOW);
    const text = renderLedger(r, 'Ann Lee');
    expect(text.split('\n')[0]).toBe('Ann Lee');
    expect(text).toContain(
      `Score ${r.total} (fit ${r.fit}, engagement ${r.engagement}), grade ${r.grade}, segment ${r.segment}`,
    );
    expect(text).toContain("+15 Downloaded 'Pricing guide' on 3 Mar 2026 (Content download)");
    expect(text.trimEnd().endsWith(`= ${r.total}`)).toBe(true);
  });
});

describe('the default model', () => {
  it('follows common practice', () => {
    const score = (title: string) => scoreLead(DEFAULT_MODEL, makeLead({ title }), [], NOW).fitGrade;
    expect(score('CEO')).toBe('A');
    expect(score('VP Sales')).toBe('B');
    expect(score('Director of IT')).toBe('B');
    expect(score('Marketing Manager')).toBe('C');
    expect(score('Engineer')).toBe('D');
    expect(scoreLead(DEFAULT_MODEL, makeLead({ title: 'Student' }), [], NOW).suppressedReason).toBe('Student');
    expect(
      scoreLead(DEFAULT_MODEL, makeLead({ custom: { 'Lead type': 'Competitor' } }), [], NOW).suppressedReason,
    ).toBe('Competitor');
    const points = (type: Parameters<typeof act>[0], asset = 'x', duration: number | null = null) =>
      scoreLead(DEFAULT_MODEL, makeLead(), [act(type, asset, 0, duration)], NOW).engagement;
    expect(points('page_visit', '/blog')).toBe(5);
    expect(points('download')).toBe(15);
    expect(points('video_watched', 'Tour', 120)).toBe(30);
    expect(points('webinar_attended')).toBeGreaterThan(points('webinar_registered'));
    expect(points('page_visit', '/pricing')).toBeGreaterThan(20);
    expect(points('page_visit', '/careers')).toBeLessThan(0);
    const idle = scoreLead(DEFAULT_MODEL, makeLead(), [act('download', 'x', 150)], NOW);
    expect(idle.ledger.some((e) => e.kind === 'inactivity')).toBe(true);
  });
});
