/**
 * Activity recency features: "a download in the last 7 / 30 / 90 days". Learning finds a
 * recency signal, turns it into engagement rules in windowed decay groups, and the compiled
 * model scores every lead exactly as the learned totals say (the rules mean what was fitted).
 */
import { describe, expect, it } from 'vitest';
import { ACTIVITY_TYPES, type Activity } from '../../../shared/domain';
import { codeColumn } from '../../../shared/learn/features';
import { learnModel, type ActivityColumn } from '../../../shared/learn/learn';
import { activeWithin, recencyGroups, recencyRule } from '../../../shared/learn/recency';
import { compileModel, validateModel } from '../../../shared/scoring';
import { mulberry32 } from '../../support/seeded-random';
import { act, baseModel, DAY, makeLead, NOW } from '../scoring/factories';

describe('activeWithin', () => {
  it('counts an activity exactly N days old as within N days, one a moment older not, and no activity never', () => {
    expect(activeWithin(NOW - 7 * DAY, NOW, 7)).toBe(true);
    expect(activeWithin(NOW - 7 * DAY - 1, NOW, 7)).toBe(false);
    expect(activeWithin(-Infinity, NOW, 90)).toBe(false);
  });

  it('agrees with how the compiled model scores a recency rule', () => {
    const rules = [recencyRule('download', 'Download', 30, 12)];
    const compiled = compileModel(baseModel({ engagement: rules, decay: { groups: recencyGroups(rules) } }));
    for (const daysAgo of [0, 1, 29, 30, 31, 200]) {
      const acts = [act('page_visit', '/x', 2), act('download', 'a', daysAgo), act('download', 'b', daysAgo + 40)];
      const expected = activeWithin(NOW - daysAgo * DAY, NOW, 30) ? 12 : 0;
      expect(compiled.scoreCore(makeLead(), acts, NOW).total).toBe(expected);
    }
  });
});

describe('learning recency', () => {
  // 3,000 closed leads; each has 1-4 downloads. Leads whose last download is recent convert
  // far more often; how many downloads they have does not matter.
  const rnd = mulberry32(7);
  const n = 3000;
  const acts: Activity[][] = [];
  const outcome = new Uint8Array(n);
  const heldOut = new Uint8Array(n);
  const counts = new Uint32Array(n);
  const lastAt = new Float64Array(n).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const lastDaysAgo = Math.floor(rnd() * 180);
    const k = 1 + Math.floor(rnd() * 4);
    acts[i] = Array.from({ length: k }, (_, j) =>
      act('download', `asset-${j}`, lastDaysAgo + 10 * (k - 1 - j), null, i + 1),
    );
    counts[i] = k;
    lastAt[i] = NOW - lastDaysAgo * DAY;
    const p = lastDaysAgo <= 7 ? 0.8 : lastDaysAgo <= 30 ? 0.5 : 0.15;
    outcome[i] = rnd() < p ? 1 : 0;
    heldOut[i] = i % 4 === 0 ? 1 : 0;
  }
  const activities: ActivityColumn[] = [{ type: 'download', counts, lastAt }];
  const learned = learnModel({
    fields: [{ field: 'industry', label: 'Industry', ...codeColumn(Array(n).fill(null)), openFillRate: null }],
    activities,
    outcome,
    heldOut,
    now: NOW,
  });

  it('turns recent activity into windowed engagement rules, explained', () => {
    expect(validateModel(learned.model).ok).toBe(true);
    const byId = new Map(learned.model.engagement.map((r) => [r.id, r]));
    const last7 = byId.get('learned-download-last-7-days');
    const last30 = byId.get('learned-download-last-30-days');
    expect(last7?.points).toBeGreaterThan(0);
    expect(last30?.points).toBeGreaterThan(0);
    expect(last7).toMatchObject({ frequency: 'first', group: 'last-7-days', match: { types: ['download'] } });
    expect(learned.model.decay.groups?.['last-7-days']).toEqual({ windowDays: 7, halfLifeDays: null });
    const reason = learned.reasons.find((r) => r.ruleId === 'learned-download-last-7-days')!;
    expect(reason.text).toMatch(
      /^Download in the last 7 days: \d+% converted vs \d+% for leads whose last download is older, [\d,]+ leads → \+\d+$/,
    );
    // Only types that occur get features.
    expect(learned.model.engagement.every((r) => r.match.types.every((t) => t === 'download'))).toBe(true);
    expect(ACTIVITY_TYPES).toContain('download');
  });

  it('the compiled model gives every lead exactly its learned total', () => {
    const compiled = compileModel(learned.model);
    for (let i = 0; i < n; i++)
      expect(compiled.scoreCore(makeLead({ id: i + 1 }), acts[i]!, NOW).total).toBe(learned.totals[i]);
  });
});
