/**
 * The statistics model health and learning rest on: ROC AUC with ties, its confidence
 * interval (Hanley & McNeil), Wilson intervals for conversion rates, Spearman rank
 * correlation and quantiles. Pure functions on plain arrays, so the screen, the CLI and
 * the tests compute the same numbers.
 */

/** Ranks 1..n of the values, ties sharing their average rank. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && values[order[j]!] === values[order[i]!]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k]!] = rank;
    i = j;
  }
  return ranks;
}

export type Auc = Readonly<{
  /** Probability that a random won lead scores above a random lost one (ties count half); null without both. */
  auc: number | null;
  won: number;
  lost: number;
  /** 95% interval (Hanley-McNeil), clipped to [0, 1]; null when auc is. */
  low: number | null;
  high: number | null;
}>;

/**
 * ROC AUC of scores against 0/1 outcomes, by the rank-sum (Mann-Whitney) formula, ties
 * counting half. A model that gives every lead the same score gets exactly 0.5.
 */
export function rocAuc(scores: ArrayLike<number>, outcomes: ArrayLike<number>): Auc {
  const n = scores.length;
  let won = 0;
  for (let i = 0; i < n; i++) if (outcomes[i] === 1) won++;
  const lost = n - won;
  if (won === 0 || lost === 0) return { auc: null, won, lost, low: null, high: null };
  const ranks = averageRanks(scores);
  let sum = 0;
  for (let i = 0; i < n; i++) if (outcomes[i] === 1) sum += ranks[i]!;
  const auc = (sum - (won * (won + 1)) / 2) / (won * lost);
  const [low, high] = aucInterval(auc, won, lost);
  return { auc, won, lost, low, high };
}

/** Hanley & McNeil (1982) standard error of an AUC; the 95% interval around it, clipped to [0, 1]. */
export function aucInterval(auc: number, won: number, lost: number, z = 1.96): [number, number] {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const variance = (auc * (1 - auc) + (won - 1) * (q1 - auc * auc) + (lost - 1) * (q2 - auc * auc)) / (won * lost);
  // A perfect or hopeless AUC has zero estimated variance; keep a floor so a handful of leads never look certain.
  const se = Math.sqrt(Math.max(variance, 1 / (4 * won * lost)));
  return [Math.max(0, auc - z * se), Math.min(1, auc + z * se)];
}

/** Wilson score interval for k successes out of n (95% by default); [0, 1] when n is 0. */
export function wilsonInterval(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Spearman rank correlation (ties by average rank); 1 when either side is constant and both are. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const n = ra.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += ra[i]!;
    mb += rb[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = ra[i]! - ma;
    const db = rb[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return saa === sbb ? 1 : 0;
  return sab / Math.sqrt(saa * sbb);
}

/** The q-quantile (0..1) of sorted values, by linear interpolation. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export const logit = (p: number): number => Math.log(p / (1 - p));

/** Conversion rate shrunk toward `prior` by `strength` pseudo-leads (keeps tiny groups from reading 0% or 100%). */
export function shrunkRate(won: number, n: number, prior: number, strength = 2): number {
  return (won + prior * strength) / (n + strength);
}
