/** Operators on typed fields: comparisons, "in the last N days", yes/no; boundaries, blanks, wrong types. */
import { describe, expect, it } from 'vitest';
import {
  describeCondition,
  describeRule,
  OPERATORS,
  OPERATORS_FOR_TYPE,
  scoreLead,
  validateModel,
  type FieldValue,
  type OperatorName,
} from '../../../shared/scoring';
import { baseModel, DAY, makeLead, NOW } from './factories';

const holds = (op: OperatorName, operand: object, v: FieldValue, now?: number): boolean =>
  OPERATORS[op].compile(operand)(v, now);

describe('comparisons', () => {
  it('>, ≥, <, ≤ at the boundary', () => {
    expect([499, 500, 501].map((v) => holds('gt', { value: 500 }, v))).toEqual([false, false, true]);
    expect([499, 500, 501].map((v) => holds('gte', { value: 500 }, v))).toEqual([false, true, true]);
    expect([499, 500, 501].map((v) => holds('lt', { value: 500 }, v))).toEqual([true, false, false]);
    expect([499, 500, 501].map((v) => holds('lte', { value: 500 }, v))).toEqual([true, true, false]);
  });

  it('between includes both ends; an open end is unbounded', () => {
    expect([9, 10, 20, 21].map((v) => holds('between', { min: 10, max: 20 }, v))).toEqual([false, true, true, false]);
    expect(holds('between', { min: 10 }, 1e9)).toBe(true);
    expect(holds('between', { max: 10 }, -5)).toBe(true);
  });

  it('blanks and values of the wrong type never match; numbers written as text do', () => {
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      expect(holds(op, { value: 0 }, null)).toBe(false);
      expect(holds(op, { value: 0 }, 'n/a')).toBe(false);
      expect(holds(op, { value: 0 }, '')).toBe(false);
    }
    expect(holds('gte', { value: 1000 }, '1,200')).toBe(true);
    expect(holds('gte', { value: '1000' }, 1200)).toBe(true);
    expect(holds('gte', { value: 'lots' }, 1200)).toBe(false);
    expect(holds('between', { min: 1 }, null)).toBe(false);
  });
});

describe('in the last N days', () => {
  it('counts back from the scoring instant, both ends included; the future is not in the last', () => {
    const op = { value: 30 };
    expect(holds('in_last_days', op, NOW - 30 * DAY, NOW)).toBe(true);
    expect(holds('in_last_days', op, NOW - 30 * DAY - 1, NOW)).toBe(false);
    expect(holds('in_last_days', op, NOW, NOW)).toBe(true);
    expect(holds('in_last_days', op, NOW + DAY, NOW)).toBe(false);
  });

  it('reads ISO text dates; blanks, other text and a missing instant never match', () => {
    expect(holds('in_last_days', { value: 7 }, '2026-03-28', NOW)).toBe(true);
    expect(holds('in_last_days', { value: 7 }, '2026-03-01', NOW)).toBe(false);
    expect(holds('in_last_days', { value: 7 }, null, NOW)).toBe(false);
    expect(holds('in_last_days', { value: 7 }, 'last week', NOW)).toBe(false);
    expect(holds('in_last_days', { value: 7 }, NOW)).toBe(false);
  });
});

describe('yes/no', () => {
  it('reads the flags a file writes; blanks and other words are neither', () => {
    for (const v of ['Yes', 'y', 'TRUE', 1])
      expect([holds('is_yes', {}, v), holds('is_no', {}, v)]).toEqual([true, false]);
    for (const v of ['No', 'n', 'false', 0])
      expect([holds('is_yes', {}, v), holds('is_no', {}, v)]).toEqual([false, true]);
    for (const v of [null, '', 'maybe', 2])
      expect([holds('is_yes', {}, v), holds('is_no', {}, v)]).toEqual([false, false]);
  });
});

describe('in a model', () => {
  const model = (when: object) => baseModel({ fit: [{ id: 'r', name: 'Rule', when: when as never, points: 10 }] });

  it('the validator asks for a number, whole days, and names what it got', () => {
    const issues = (when: object) => {
      const v = validateModel(model(when));
      return v.ok ? [] : v.issues.map((i) => i.message);
    };
    expect(issues({ field: 'custom.Visits', op: 'gte' })).toEqual([
      "fit rule 'Rule' (#1): condition on 'custom.Visits': operator 'gte' needs a number",
    ]);
    expect(issues({ field: 'custom.Visits', op: 'gte', value: 'many' })).toEqual([
      "fit rule 'Rule' (#1): condition on 'custom.Visits': operator 'gte' needs a number, not 'many'",
    ]);
    expect(issues({ field: 'custom.Seen', op: 'in_last_days', value: 0.5 })).toEqual([
      "fit rule 'Rule' (#1): condition on 'custom.Seen': operator 'in_last_days' needs a whole number of days (1 or more), not '0.5'",
    ]);
    expect(issues({ field: 'custom.Paid', op: 'is_yes' })).toEqual([]);
  });

  it('scores typed custom values: a number, a date against now, a yes/no flag', () => {
    const lead = makeLead({
      custom: { 'Total Time Spent on Website': 1200, 'Last Visit': NOW - 3 * DAY, 'Do Not Email': false },
    });
    const score = (when: object) => scoreLead(model(when), lead, [], NOW).fit;
    expect(score({ field: 'custom.Total Time Spent on Website', op: 'gte', value: 1200 })).toBe(10);
    expect(score({ field: 'custom.Total Time Spent on Website', op: 'gt', value: 1200 })).toBe(0);
    expect(score({ field: 'custom.Last Visit', op: 'in_last_days', value: 3 })).toBe(10);
    expect(score({ field: 'custom.Last Visit', op: 'in_last_days', value: 2 })).toBe(0);
    expect(score({ field: 'custom.Do Not Email', op: 'is_no' })).toBe(10);
    expect(score({ field: 'custom.Do Not Email', op: 'is_yes' })).toBe(0);
  });
});

describe('words', () => {
  it('comparisons read as symbols, days and flags as words', () => {
    expect(
      describeRule({ when: { field: 'custom.Total Time Spent on Website', op: 'gte', value: 500 }, points: 10 }),
    ).toBe('Total Time Spent on Website ≥ 500: +10');
    expect(describeCondition({ field: 'custom.Last Visit', op: 'in_last_days', value: 30 })).toBe(
      'Last Visit is in the last 30 days',
    );
    expect(describeCondition({ field: 'custom.Paid', op: 'is_yes' })).toBe('Paid is yes');
    expect(describeCondition({ field: 'company_size', op: 'between', min: 10, max: 50 })).toBe(
      'Company size is between 10 and 50',
    );
    expect(describeRule({ when: { field: 'custom.Visits', op: 'lt', value: 2 }, points: -5 })).toBe('Visits < 2: -5');
  });

  it('every operator offered for a type exists, and each type offers blank tests', () => {
    for (const ops of Object.values(OPERATORS_FOR_TYPE)) {
      for (const op of ops) expect(OPERATORS[op]).toBeDefined();
      expect(ops).toEqual(expect.arrayContaining(['is_blank', 'is_not_blank']));
    }
  });
});
