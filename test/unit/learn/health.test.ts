/**
 * Rule verdicts are fair when rules overlap: a rule is judged by what it adds beyond the
 * rest of the model, not by its leads against all other leads. One field's levels are the
 * plainest overlap: "Source is B" converts like the average of everyone else (the better
 * "A" leads are in the comparison), yet against the leads the rest of the model scores
 * alike (the "C" leads) it is worth its points.
 */
import { describe, expect, it } from 'vitest';
import { modelHealth, type Evaluated, type RuleInfo } from '../../../shared/learn/health';

/** Leads of three levels with exact conversion (A 50%, B 30%, C 10%); `extra` hits half of each won and lost group. */
function evaluated(points: { a: number; b: number; extra: number; copyOfA: number }): Evaluated {
  const levels = [
    { level: 'A', n: 1000, won: 500 },
    { level: 'B', n: 1000, won: 300 },
    { level: 'C', n: 1000, won: 100 },
  ];
  const outcome: number[] = [];
  const hits: number[][] = [[], [], [], []];
  for (const l of levels)
    for (let i = 0; i < l.n; i++) {
      const won = i < l.won ? 1 : 0;
      outcome.push(won);
      hits[0]!.push(l.level === 'A' ? 1 : 0);
      hits[1]!.push(l.level === 'B' ? 1 : 0);
      // Half of the won and half of the lost leads of every level: no signal at all.
      hits[2]!.push((won ? i : i - l.won) % 2);
      hits[3]!.push(l.level === 'A' ? 1 : 0);
    }
  const rules: RuleInfo[] = [
    { id: 'a', name: 'Source is A', kind: 'fit', points: points.a },
    { id: 'b', name: 'Source is B', kind: 'fit', points: points.b },
    { id: 'x', name: 'Visited the blog', kind: 'engagement', points: points.extra },
    { id: 'a2', name: 'Origin is A', kind: 'fit', points: points.copyOfA },
  ];
  const pts = [points.a, points.b, points.extra, points.copyOfA];
  const total = Float64Array.from(outcome, (_, i) => hits.reduce((s, h, r) => s + h[i]! * pts[r]!, 0));
  return {
    outcome: Uint8Array.from(outcome),
    total,
    grade: outcome.map(() => '-'),
    segment: outcome.map(() => '-'),
    rules,
    hits: hits.map((h) => Uint8Array.from(h)),
  };
}

describe('rule verdicts', () => {
  // Points at 10 per unit of log-odds: A vs C is 2.2, B vs C 1.35.
  const health = modelHealth(evaluated({ a: 22, b: 13, extra: 0, copyOfA: 0 }));
  const rule = (id: string) => health.rules.find((r) => r.id === id)!;

  it('a level worth its points given the rest of the model is fine, though it converts like everyone else', () => {
    const b = rule('b');
    // On its own: 30% against 30% for everyone else (A and C together).
    expect(b.rateWith).toBeCloseTo(0.3);
    expect(b.rateWithout).toBeCloseTo(0.3);
    expect(b.verdict).toBe('fine');
    expect(b.text).toContain('fine, given the rest of the model');
    expect(rule('a').verdict).toBe('fine');
  });

  it('a rule that adds nothing is over-valued; one on the same leads as another cannot be judged apart, said so', () => {
    const h = modelHealth(evaluated({ a: 22, b: 13, extra: 15, copyOfA: 0 }));
    const x = h.rules.find((r) => r.id === 'x')!;
    expect(x.verdict).toBe('over-valued');
    expect(x.suggestedPoints).toBe(0);
    expect(x.text).toMatch(
      /^Visited the blog: \+15, but converts like the average or worse beyond what the rest of the model already gives them/,
    );
    const copy = h.rules.find((r) => r.id === 'a2')!;
    expect(copy.verdict).toBe('too few to tell');
    expect(copy.overlapsWith).toBe('Source is A');
    expect(copy.text).toContain('100% of its leads also match "Source is A", so their effects cannot be told apart');
  });

  it('two rules splitting one effect are never called over-valued: each names the other', () => {
    // "Origin is A" and "Source is A" give the same leads 11 points each: 22 together, right.
    const h = modelHealth(evaluated({ a: 11, b: 13, extra: 0, copyOfA: 11 }));
    const pair = h.rules.filter((r) => r.id === 'a' || r.id === 'a2');
    expect(pair.map((r) => r.overlapsWith)).toEqual(['Origin is A', 'Source is A']);
    expect(pair.every((r) => r.verdict !== 'over-valued')).toBe(true);
    expect(h.rules.find((r) => r.id === 'b')!.verdict).toBe('fine');
  });
});
