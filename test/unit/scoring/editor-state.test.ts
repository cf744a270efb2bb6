/** The model editor's plain logic (renderer/src/sections/scoring/editor-state.ts). */
import { describe, expect, it } from 'vitest';
import {
  EDITOR_TABS,
  issueTarget,
  modelFileName,
  ruleMatches,
  ruleWarnings,
  saveStateWords,
  tabRuleCount,
} from '../../../renderer/src/sections/scoring/editor-state';
import { newRuleId, shortMessage } from '../../../renderer/src/sections/scoring/draft';
import { baseModel } from './factories';

describe('model editor state', () => {
  it('counts rules on the rule tabs only', () => {
    const m = baseModel({
      fit: [{ id: 'f', name: 'F', when: { field: 'country', op: 'is_blank' }, points: 1 }],
      suppression: {
        rules: [
          { id: 'a', name: 'A', when: { field: 'title', op: 'is_blank' } },
          { id: 'b', name: 'B', when: { field: 'title', op: 'is_blank' } },
        ],
        emails: [],
        domains: [],
      },
    });
    expect(EDITOR_TABS.map((t) => tabRuleCount(m, t.id))).toEqual([1, 0, 0, 2, null, null, null, null, null]);
  });

  it('names the save state, with the published version when there is no draft', () => {
    expect(saveStateWords('clean', 3)).toBe('Version 3 · no draft');
    expect(saveStateWords('clean', null)).toBe('Not published');
    expect(saveStateWords('error', 3)).toBe('Draft not saved');
  });

  it('an issue opens its tab and, for a rule, its row', () => {
    expect(issueTarget({ path: ['fit', 2, 'when', 'field'], message: 'x' })).toEqual({ tab: 'fit', index: 2 });
    expect(issueTarget({ path: ['suppression', 'rules', 1, 'name'], message: 'x' })).toEqual({
      tab: 'suppression',
      index: 1,
    });
    expect(issueTarget({ path: ['mql', 'threshold'], message: 'x' })).toEqual({ tab: 'bands', index: null });
    expect(issueTarget({ path: ['name'], message: 'x' })).toEqual({ tab: 'settings', index: null });
  });

  it('field engagement rules live on the engagement tab, their rows after the activity rules', () => {
    const m = baseModel({
      engagement: [{ id: 'v', name: 'Visit', match: { types: ['page_visit'] }, points: 1 }],
      fieldEngagement: [
        { id: 't', name: 'Time', field: 'custom.Time', points: 1, per: 60, unit: 'minute', cap: 30 },
        { id: 'n', name: 'Visits', field: 'custom.Visits', points: 1, per: 1, unit: 'visit', cap: 5 },
      ],
    });
    expect(tabRuleCount(m, 'engagement')).toBe(3);
    expect(issueTarget({ path: ['fieldEngagement', 1, 'cap'], message: 'x' }, m)).toEqual({
      tab: 'engagement',
      index: 2,
    });
    expect(shortMessage("field engagement rule 'Time' (#1): cap is required")).toBe('cap is required');
    expect(newRuleId(m, 'field', 'Time')).toBe('field-time');
    expect(
      newRuleId({ ...m, fieldEngagement: [{ ...m.fieldEngagement![0]!, id: 'field-time' }] }, 'field', 'Time'),
    ).toBe('field-time-2');
  });

  it('turns a model name into a safe file name', () => {
    expect(modelFileName('Q3 / EMEA: "big"')).toBe('Q3 - EMEA- -big-.json');
    expect(modelFileName('  ')).toBe('model.json');
    expect(modelFileName('Q3 / EMEA', 2)).toBe('Q3 - EMEA-v2.json');
  });
});

describe('a rule in the workspace check', () => {
  const check = {
    leads: 100,
    rules: [
      { path: ['fit', 0], ruleId: 'a', name: 'A', condition: 'x', matches: 12 },
      { path: ['suppression', 'rules', 0], ruleId: 's', name: 'S', condition: 'y', matches: 0 },
    ],
    problems: [
      {
        path: ['fit', 0, 'when', 'value'],
        message: "fit rule 'A' (#1): no lead has X 'q'",
        severity: 'error' as const,
      },
      { path: ['fit', 10, 'when', 'field'], message: 'other', severity: 'warning' as const },
    ],
  };
  it('finds its match count and its problems by path, not a rule whose index starts the same', () => {
    expect(ruleMatches(check, ['fit', 0])).toBe(12);
    expect(ruleMatches(check, ['suppression', 'rules', 0])).toBe(0);
    expect(ruleMatches(check, ['fit', 1])).toBeNull();
    expect(ruleMatches(null, ['fit', 0])).toBeNull();
    expect(ruleWarnings(check, ['fit', 0]).map((p) => p.message)).toEqual(["fit rule 'A' (#1): no lead has X 'q'"]);
    expect(ruleWarnings(check, ['fit', 1])).toEqual([]);
  });
});
