/** AUC with ties, its interval, Wilson intervals and Spearman, against hand-worked and brute-force values. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aucInterval, rocAuc, spearman, wilsonInterval } from '../../../shared/learn/stats';

/** AUC by definition: every (won, lost) pair, ties counting half. */
function pairwiseAuc(scores: number[], outcomes: number[]): number {
  let sum = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (outcomes[i] !== 1) return;
    scores.forEach((t, j) => {
      if (outcomes[j] !== 0) return;
      pairs++;
      sum += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return sum / pairs;
}

describe('rocAuc', () => {
  it('counts ties half: a hand-worked example, a constant score and a perfect one', () => {
    // won {1, 3} vs lost {1, 2}: (1 vs 1) 0.5 + (1 vs 2) 0 + (3 vs 1) 1 + (3 vs 2) 1 = 2.5 of 4 pairs.
    expect(rocAuc([1, 3, 1, 2], [1, 1, 0, 0]).auc).toBe(0.625);
    expect(rocAuc([0, 0, 0, 0, 0], [1, 0, 1, 0, 0]).auc).toBe(0.5);
    expect(rocAuc([5, 4, 1, 0], [1, 1, 0, 0]).auc).toBe(1);
    expect(rocAuc([5, 4, 1, 0], [0, 0, 1, 1]).auc).toBe(0);
    expect(rocAuc([1, 2], [1, 1])).toMatchObject({ auc: null, won: 2, lost: 0, low: null });
  });

  it('equals the pairwise definition on random scores full of ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1 })), {
          minLength: 2,
          maxLength: 60,
        }),
        (rows) => {
          const scores = rows.map((r) => r[0]);
          const outcomes = rows.map((r) => r[1]);
          const won = outcomes.filter((y) => y === 1).length;
          fc.pre(won > 0 && won < rows.length);
          expect(rocAuc(scores, outcomes).auc).toBeCloseTo(pairwiseAuc(scores, outcomes), 12);
        },
      ),
    );
  });
});

describe('intervals', () => {
  it('Hanley-McNeil: 0.5 on 50 + 50 leads is 0.5 ± 1.96 × 0.058; the interval narrows with more leads', () => {
    const [low, high] = aucInterval(0.5, 50, 50);
    // var = (0.25 + 49 (1/3 - 1/4) × 2) / 2500 = 0.0033667, se = 0.05802
    expect(low).toBeCloseTo(0.5 - 1.96 * 0.05802, 3);
    expect(high).toBeCloseTo(0.5 + 1.96 * 0.05802, 3);
    const [wideLow, wideHigh] = aucInterval(0.8, 20, 20);
    const [narrowLow, narrowHigh] = aucInterval(0.8, 2000, 2000);
    expect(wideHigh - wideLow).toBeGreaterThan(0.2);
    expect(narrowHigh - narrowLow).toBeLessThan(0.04);
    // A perfect AUC on a handful of leads is not reported as certain.
    const [perfectLow] = aucInterval(1, 5, 5);
    expect(perfectLow).toBeLessThan(0.9);
  });

  it('Wilson: textbook values, never outside [0, 1], and [0, 1] for no leads', () => {
    const [l0, h0] = wilsonInterval(0, 10);
    expect(l0).toBe(0);
    expect(h0).toBeCloseTo(0.2775, 4);
    const [l5, h5] = wilsonInterval(5, 10);
    expect(l5).toBeCloseTo(0.2366, 4);
    expect(h5).toBeCloseTo(0.7634, 4);
    expect(wilsonInterval(10, 10)[1]).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});

describe('spearman', () => {
  it('is 1 for any increasing transform, -1 reversed, and handles ties', () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(
      spearman(
        x,
        x.map((v) => v * v + 7),
      ),
    ).toBeCloseTo(1, 12);
    expect(
      spearman(
        x,
        x.map((v) => -v),
      ),
    ).toBeCloseTo(-1, 12);
    expect(spearman([1, 2, 3], [5, 5, 5])).toBe(0);
    expect(spearman([1, 1], [2, 2])).toBe(1);
  });
});
