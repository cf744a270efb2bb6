/** The Suggest dialog's rules grouped by field, the fields with the most points first. */
import { describe, expect, it } from 'vitest';
import type { LearnReport } from '../../../shared/contract';
import { groupReasons } from '../../../renderer/src/sections/scoring/suggest-groups';

const reason = (ruleId: string, points: number) => ({
  ruleId,
  kind: 'fit' as const,
  points,
  leads: 10,
  won: 5,
  text: ruleId,
});

describe('groupReasons', () => {
  it('groups by the field each rule scores, keeps the model order inside, puts the biggest points first', () => {
    const model = {
      fit: [
        { id: 'src-1', name: 'a', when: { field: 'source', op: 'equals', value: 'Google' }, points: 2 },
        { id: 'src-2', name: 'b', when: { field: 'source', op: 'equals', value: 'Reference' }, points: 9 },
        {
          id: 'prof-1',
          name: 'c',
          when: { field: 'custom.Lead Profile', op: 'equals', value: 'Potential' },
          points: 18,
        },
      ],
      engagement: [{ id: 'sms-first', name: 'd', match: { types: ['ws:SMS Sent'] }, points: 4 }],
      fieldEngagement: [
        { id: 'time', name: 'e', field: 'custom.Total Time', points: 1, per: 92, unit: 'step', cap: 16 },
      ],
    } as unknown as LearnReport['model'];
    const groups = groupReasons({
      model,
      reasons: [
        reason('src-1', 2),
        reason('src-2', 9),
        reason('prof-1', 18),
        reason('sms-first', 4),
        reason('time', 16),
      ],
    });
    expect(groups.map((g) => [g.label, g.most, g.reasons.map((r) => r.ruleId)])).toEqual([
      ['Lead Profile', 18, ['prof-1']],
      ['Total Time', 16, ['time']],
      ['Lead source', 9, ['src-1', 'src-2']],
      ['Activities', 4, ['sms-first']],
    ]);
  });
});
