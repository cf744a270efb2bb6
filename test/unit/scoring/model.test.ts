import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, parseModel, validateModel, ModelValidationError } from '../../../shared/scoring';
import { baseModel } from './factories';

function messages(input: unknown): string[] {
  const r = validateModel(input);
  return r.ok ? [] : r.issues.map((i) => i.message);
}

function withEngagement(rules: unknown[]): unknown {
  return { ...baseModel(), engagement: rules };
}

const visit = { id: 'v', name: 'Visit', match: { types: ['page_visit'] }, points: 5 };

describe('model validation', () => {
  it('accepts the default model and a JSON round trip of it', () => {
    expect(validateModel(DEFAULT_MODEL).ok).toBe(true);
    expect(parseModel(JSON.parse(JSON.stringify(DEFAULT_MODEL)))).toEqual(DEFAULT_MODEL);
  });

  it('names the rule, its position and the field', () => {
    const bad = withEngagement([
      visit,
      visit && { ...visit, id: 'w' },
      { ...visit, id: 'p', name: 'Pricing page', points: 'ten' },
    ]);
    expect(messages(bad)).toEqual(["engagement rule 'Pricing page' (#3): points must be a number"]);
  });

  it('rejects fractional points, unknown activity types and empty type lists', () => {
    expect(messages(withEngagement([{ ...visit, points: 2.5 }]))).toEqual([
      "engagement rule 'Visit' (#1): points must be a whole number",
    ]);
    expect(messages(withEngagement([{ ...visit, match: { types: ['tweet'] } }]))[0]).toMatch(
      /^engagement rule 'Visit' \(#1\): .*must be one of page_visit/,
    );
    expect(messages(withEngagement([{ ...visit, match: { types: [] } }]))).toEqual([
      "engagement rule 'Visit' (#1): needs at least one activity type",
    ]);
  });

  it('checks conditions: known fields, operators, operands and patterns', () => {
    const fit = (when: unknown) => messages({ ...baseModel(), fit: [{ id: 'f', name: 'Title', when, points: 10 }] });
    expect(fit({ field: 'jobtitle', op: 'equals', value: 'x' })).toEqual([
      "fit rule 'Title' (#1): field 'jobtitle' is not a lead field (use custom.jobtitle for a custom column)",
    ]);
    expect(fit({ field: 'title', op: 'resembles', value: 'x' })[0]).toMatch(
      /condition on 'title': operator must be one of equals/,
    );
    expect(fit({ field: 'title', op: 'in', values: [] })).toEqual([
      "fit rule 'Title' (#1): condition on 'title': operator 'in' needs a non-empty list of values",
    ]);
    expect(fit({ field: 'title', op: 'matches', value: '(' })[0]).toMatch(
      /pattern '\(' is not a valid regular expression/,
    );
    expect(fit({ field: 'company_size', op: 'between', min: 10, max: 5 })[0]).toMatch(
      /min \(10\) is greater than max \(5\)/,
    );
    expect(fit({ all: [] })).toEqual(["fit rule 'Title' (#1): 'all' group needs at least one condition"]);
    expect(
      fit({
        any: [
          { field: 'custom.Lead type', op: 'is_blank' },
          { field: 'seniority', op: 'equals', value: 'vp' },
        ],
      }),
    ).toEqual([]);
  });

  it('checks negative rules subtract and suppression rules', () => {
    const m = {
      ...baseModel(),
      negative: [{ id: 'n', name: 'Careers', on: 'activity', match: { types: ['page_visit'] }, points: 20 }],
      suppression: {
        rules: [{ id: 's', name: 'Students', when: { field: 'nope', op: 'is_blank' } }],
        emails: [],
        domains: [],
      },
    };
    expect(messages(m)).toEqual([
      "negative rule 'Careers' (#1): points must be negative (a negative rule subtracts points)",
      "suppression rule 'Students' (#1): field 'nope' is not a lead field (use custom.nope for a custom column)",
    ]);
    expect(messages({ ...baseModel(), negative: [{ id: 'n', name: 'X', on: 'both', points: -1 }] })[0]).toMatch(
      /on must be 'profile' or 'activity'/,
    );
  });

  it('checks bands, segments, decay and ids', () => {
    const m = baseModel();
    expect(messages({ ...m, grades: { ...m.grades, fit: { A: 10, B: 20, C: 5 } } })).toEqual([
      'grades.fit: fit bands must go down: A > B > C',
    ]);
    expect(messages({ ...m, segments: { basis: 'total', bands: m.segments.bands.slice(0, 2) } })).toEqual([
      'segments.bands: needs 3 to 5 segments',
    ]);
    expect(
      messages({
        ...m,
        segments: {
          basis: 'total',
          bands: [
            { key: 'a', label: 'A', min: 10 },
            { key: 'b', label: 'B', min: 20 },
            { key: 'c', label: 'C' },
          ],
        },
      }),
    ).toEqual(['segment #2: min must be lower than the band above (10)']);
    expect(
      messages({
        ...m,
        segments: {
          basis: 'grade',
          bands: [
            { key: 'a', label: 'A', grades: ['A1'] },
            { key: 'b', label: 'B' },
            { key: 'c', label: 'C' },
          ],
        },
      }),
    ).toEqual(['segment #2: grades are required']);
    expect(messages({ ...m, decay: { halfLifeDays: 0 } })).toEqual(['decay: halfLifeDays must be greater than 0']);
    expect(messages({ ...m, decay: { groups: { email: { halfLifeDays: 10 } } } })).toEqual([
      "decay.groups.email: no rule uses the group 'email'",
    ]);
    expect(messages(withEngagement([visit, { ...visit, name: 'Again' }]))).toEqual([
      "engagement rule 'Again' (#2): id 'v' is already used by engagement rule 'Visit'",
    ]);
    expect(messages({ ...m, mql: {} })).toEqual(['mql: threshold is required']);
  });

  it('parseModel throws every issue at once', () => {
    expect(() => parseModel({ ...baseModel(), name: '', mql: { threshold: 'x' } })).toThrow(ModelValidationError);
    try {
      parseModel({ ...baseModel(), name: '', mql: { threshold: 'x' } });
    } catch (err) {
      expect((err as ModelValidationError).issues).toHaveLength(2);
    }
  });
});
