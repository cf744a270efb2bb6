import { describe, expect, it } from 'vitest';
import { OPERATORS, OPERATOR_NAMES, toNumber, type OperatorName } from '../../../shared/scoring';
import type { FieldValue } from '../../../shared/scoring';

const test = (op: OperatorName, operand: object, v: FieldValue): boolean => OPERATORS[op].compile(operand)(v);

describe('operator registry', () => {
  it('lists every operator with its operand kind', () => {
    expect(OPERATOR_NAMES).toEqual(
      expect.arrayContaining([
        'equals',
        'in',
        'contains',
        'starts_with',
        'matches',
        'between',
        'is_blank',
        'is_not_blank',
      ]),
    );
    for (const name of OPERATOR_NAMES)
      expect(['none', 'value', 'number', 'days', 'list', 'range', 'pattern']).toContain(OPERATORS[name].operand);
  });

  it('equals / not_equals: trimmed, case-insensitive unless asked, numbers compare as numbers', () => {
    expect(test('equals', { value: 'Germany' }, ' germany ')).toBe(true);
    expect(test('equals', { value: 'Germany', caseSensitive: true }, 'germany')).toBe(false);
    expect(test('equals', { value: 50 }, 50)).toBe(true);
    expect(test('equals', { value: 50 }, '50')).toBe(true);
    expect(test('equals', { value: 'x' }, null)).toBe(false);
    expect(test('not_equals', { value: 'x' }, 'y')).toBe(true);
    expect(test('not_equals', { value: 'x' }, null)).toBe(true);
  });

  it('in / not_in', () => {
    expect(test('in', { values: ['DE', 'AT', 'CH'] }, 'at')).toBe(true);
    expect(test('in', { values: ['DE'] }, 'FR')).toBe(false);
    expect(test('in', { values: ['DE'] }, null)).toBe(false);
    expect(test('not_in', { values: ['DE'] }, 'FR')).toBe(true);
  });

  it('contains / not_contains / contains_any / starts_with / ends_with', () => {
    expect(test('contains', { value: 'pricing' }, '/en/Pricing?plan=pro')).toBe(true);
    expect(test('contains', { value: 'pricing' }, '/about')).toBe(false);
    expect(test('not_contains', { value: 'pricing' }, '/about')).toBe(true);
    expect(test('contains_any', { values: ['careers', '/jobs'] }, '/jobs/sales')).toBe(true);
    expect(test('contains_any', { values: ['careers', '/jobs'] }, '/blog')).toBe(false);
    expect(test('starts_with', { value: 'VP' }, 'vp of sales')).toBe(true);
    expect(test('starts_with', { value: 'VP' }, 'SVP')).toBe(false);
    expect(test('ends_with', { value: '.edu' }, 'mit.edu')).toBe(true);
  });

  it('matches: a regular expression, case-insensitive by default', () => {
    expect(test('matches', { value: '^(ceo|cfo)$' }, 'CEO')).toBe(true);
    expect(test('matches', { value: '^(ceo|cfo)$', caseSensitive: true }, 'CEO')).toBe(false);
    expect(test('matches', { value: 'free[ -]?trial' }, 'Start your free trial')).toBe(true);
    expect(test('matches', { value: '.*' }, null)).toBe(false);
  });

  it('between: inclusive numeric range, open ends, numbers in text', () => {
    expect(test('between', { min: 50, max: 200 }, 50)).toBe(true);
    expect(test('between', { min: 50, max: 200 }, 200)).toBe(true);
    expect(test('between', { min: 50, max: 200 }, 201)).toBe(false);
    expect(test('between', { min: 50, max: null }, '1,200')).toBe(true);
    expect(test('between', { max: 10 }, -5)).toBe(true);
    expect(test('between', { min: 1 }, 'n/a')).toBe(false);
    expect(test('between', { min: 1 }, null)).toBe(false);
  });

  it('is_blank / is_not_blank treat whitespace as blank', () => {
    expect(test('is_blank', {}, null)).toBe(true);
    expect(test('is_blank', {}, '   ')).toBe(true);
    expect(test('is_blank', {}, 'x')).toBe(false);
    expect(test('is_not_blank', {}, 0)).toBe(true);
    expect(test('is_not_blank', {}, '')).toBe(false);
  });

  it('toNumber parses spreadsheet numbers', () => {
    expect(toNumber(' 1 200 ')).toBe(1200);
    expect(toNumber('3.5')).toBe(3.5);
    expect(toNumber('abc')).toBeNull();
    expect(toNumber(Number.NaN)).toBeNull();
  });
});
