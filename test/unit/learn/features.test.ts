/**
 * Binning: every level's condition, compiled by the scoring module, matches exactly the
 * values encodeField puts in that level, so the learned weights score what was fitted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Lead } from '../../../shared/domain';
import { encodeField, type FieldEncoding } from '../../../shared/learn/features';
import { compileCondition, leadContext } from '../../../shared/scoring';
import type { FieldValue } from '../../../shared/scoring/operators';
import { BLANK_PERSON, makeLead } from '../scoring/factories';

function lead(custom: Record<string, string>): Lead {
  return makeLead({ ...BLANK_PERSON, uid: 'u', custom });
}

/** The levels whose compiled condition matches the value. */
function matchingLevels(enc: FieldEncoding, v: FieldValue): number[] {
  const ctx = leadContext(lead(v === null ? {} : { X: String(v) }));
  return enc.levels.flatMap((l, i) => (compileCondition(l.when)(ctx) ? [i] : []));
}

function encoded(values: FieldValue[], minCount: number): FieldEncoding {
  const e = encodeField('custom.X', 'X', values, { minCount });
  if ('skipped' in e) throw new Error(e.skipped);
  return e;
}

describe('encodeField', () => {
  it('numbers: quantile bins of at least minCount leads, blank its own level, no gaps between whole numbers', () => {
    const values: FieldValue[] = [
      ...Array.from({ length: 300 }, (_, i) => String(i % 60)),
      ...Array.from({ length: 40 }, () => ''),
    ];
    const e = encoded(values, 30);
    expect(e.kind).toBe('number');
    expect(e.levels.length).toBeGreaterThanOrEqual(4);
    expect(e.levels.at(-1)!.label).toBe('is blank');
    const counts = e.levels.map(() => 0);
    for (const v of values) counts[e.levelOf(v)]!++;
    expect(counts.every((c) => c >= 30)).toBe(true);
    for (let v = -5; v <= 70; v++) expect(e.levelOf(String(v))).toBeGreaterThanOrEqual(0);
    expect(e.levels[0]!.label).toMatch(/^is at most \d+$/);
    expect(e.levels.at(-2)!.label).toMatch(/^is \d+ or more$/);
  });

  it('categories: values by case-insensitive spelling, rare ones pooled, blank kept apart', () => {
    const values: FieldValue[] = [
      ...Array.from({ length: 50 }, () => 'Google'),
      ...Array.from({ length: 5 }, () => 'google'),
      ...Array.from({ length: 40 }, () => 'Referral'),
      ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'],
      ...Array.from({ length: 20 }, () => null),
    ];
    const e = encoded(values, 10);
    expect(e.levels.map((l) => l.label)).toEqual(['is Google', 'is Referral', 'is any other value', 'is blank']);
    expect(e.levelOf('GOOGLE ')).toBe(0);
    expect(e.levelOf('zzz')).toBe(2);
    expect(e.levelOf(null)).toBe(3);
  });

  it('skips identifiers, constants and near-constants, saying why', () => {
    const ids = Array.from({ length: 200 }, (_, i) => String(100000 + i));
    expect(encodeField('custom.N', 'N', ids, { minCount: 10 })).toEqual({
      skipped: 'looks like an identifier (almost every lead has its own value)',
    });
    expect(encodeField('custom.C', 'C', Array(50).fill('No'), { minCount: 10 })).toEqual({
      skipped: 'the same value for every lead',
    });
    expect(encodeField('custom.C', 'C', [...Array(199).fill('No'), 'Yes'], { minCount: 10 })).toEqual({
      skipped: 'the same value for 99% of the leads',
    });
  });

  it('property: for any values, exactly the level levelOf names matches (or none when it names none)', () => {
    const value = fc.oneof(
      fc.constant(null),
      fc.constant(''),
      fc.integer({ min: -3, max: 40 }).map(String),
      fc.double({ min: -3, max: 40, noNaN: true }).map((d) => String(Math.round(d * 10) / 10)),
      fc.constantFrom('Select', 'x', 'Y', 'y', ' spaced '),
    );
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 30, maxLength: 200 }),
        fc.array(value, { maxLength: 30 }),
        (train, probe) => {
          const e = encodeField('custom.X', 'X', train, { minCount: 5 });
          if ('skipped' in e) return;
          for (const v of [...train, ...probe]) {
            const at = e.levelOf(v);
            expect(matchingLevels(e, v)).toEqual(at < 0 ? [] : [at]);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
