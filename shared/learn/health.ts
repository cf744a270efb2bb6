/**
 * Model health: how well a model's scores match what really happened, computed once here
 * for Reports > Model, `leadbench report model`, the learn result and the draft backtest.
 *
 * - ROC AUC over the closed leads (ties count half) with its Hanley-McNeil interval;
 * - conversion by grade, by segment and by score decile (lift against the overall rate);
 * - per rule: leads matched, conversion with and without it (Wilson intervals), and a
 *   verdict. The verdict compares the rule's points with what the rule is worth BEYOND the
 *   rest of the model, at the model's own exchange rate of points for log-odds (a
 *   one-feature logistic fit of the outcome on the total score): over-valued, under-valued,
 *   fine, too few leads to tell, or matches no lead.
 *
 * Why "beyond the rest of the model": rules overlap (one field's levels, two fields that
 * say much the same). Comparing a rule's leads with all other leads charges it with what
 * other rules already count, or credits it with what they miss, so a learned model's
 * rules, each fitted given the others, used to read "over-valued". The rule's effect is
 * instead measured within groups of leads that the rest of the model scores alike (the
 * total without this rule's points, in ten bands), pooled across the groups (Mantel-
 * Haenszel odds ratio, Robins-Breslow-Greenland interval). When its leads are nearly all
 * leads of another rule, the text names that rule.
 */
import { fitLogistic, sparseRows } from './logistic';
import { logit, rocAuc, shrunkRate, wilsonInterval, type Auc } from './stats';

export type RuleInfo = Readonly<{
  id: string;
  name: string;
  kind: 'fit' | 'engagement' | 'negative';
  points: number;
  /** A field engagement rule's unit: its points are per unit, so a lead's share varies. */
  unit?: string;
}>;

/** A model's scores of a set of closed leads (one entry per lead in every array). */
export type Evaluated = Readonly<{
  outcome: Uint8Array;
  total: Float64Array;
  grade: readonly string[];
  segment: readonly string[];
  rules: readonly RuleInfo[];
  /** hits[r][i] = 1 when rule r gave lead i points. */
  hits: readonly Uint8Array[];
  /** given[r][i]: the points per-unit rule r gave lead i (null for rules of fixed points). */
  given?: readonly (Float64Array | null)[];
}>;

export type GroupRow = Readonly<{
  key: string;
  leads: number;
  won: number;
  rate: number;
  low: number;
  high: number;
  /** rate / overall rate. */
  lift: number;
}>;

export type RuleVerdict =
  'over-valued' | 'under-valued' | 'fine' | 'too few to tell' | 'matches no lead' | 'ranks on its own';

export type RuleHealth = RuleInfo &
  Readonly<{
    matched: number;
    wonWith: number;
    rateWith: number | null;
    withInterval: readonly [number, number];
    rateWithout: number | null;
    withoutInterval: readonly [number, number];
    verdict: RuleVerdict;
    /** Points its conversion difference is worth at the model's rate (null when unknown). */
    suggestedPoints: number | null;
    /** The rule most of whose leads this rule's leads are too (80%+), when the verdict depends on it. */
    overlapsWith: string | null;
    /** "Pricing page: +20, but converts like the average (39% vs 38%) → suggest +2" */
    text: string;
  }>;

export type ModelHealth = Readonly<{
  closed: number;
  won: number;
  overallRate: number | null;
  auc: Auc;
  byGrade: readonly GroupRow[];
  bySegment: readonly GroupRow[];
  deciles: readonly GroupRow[];
  rules: readonly RuleHealth[];
  /** Points per unit of log-odds implied by the scores (null when scores do not rise with conversion). */
  pointsPerLogit: number | null;
  /** Plain warnings: too few closed leads, every lead the same score. */
  notes: readonly string[];
}>;

/** Fewer leads than this on either side of a rule: too few to tell. */
export const MIN_RULE_LEADS = 20;

const pct = (x: number | null): string => (x === null ? '-' : `${Math.round(x * 100)}%`);
const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));
const clampRate = (p: number): number => Math.min(0.999, Math.max(0.001, p));

function groupRows(
  keys: readonly string[],
  outcome: Uint8Array,
  overall: number,
  order?: readonly string[],
): GroupRow[] {
  const m = new Map<string, { n: number; won: number }>();
  keys.forEach((k, i) => {
    const g = m.get(k) ?? { n: 0, won: 0 };
    g.n++;
    g.won += outcome[i]!;
    m.set(k, g);
  });
  const ordered = [...m.keys()].sort((a, b) => {
    const ia = order?.indexOf(a) ?? -1;
    const ib = order?.indexOf(b) ?? -1;
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return ordered.map((key) => {
    const g = m.get(key)!;
    const [low, high] = wilsonInterval(g.won, g.n);
    const rate = g.won / g.n;
    return { key, leads: g.n, won: g.won, rate, low, high, lift: overall > 0 ? rate / overall : 0 };
  });
}

/** Leads in ten equal groups by score, highest first ("Top 10%", "10-20%", ...). */
function decileRows(total: Float64Array, outcome: Uint8Array, overall: number): GroupRow[] {
  const n = total.length;
  if (n === 0) return [];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => total[b]! - total[a]! || a - b);
  const rows: GroupRow[] = [];
  for (let d = 0; d < 10; d++) {
    const from = Math.floor((d * n) / 10);
    const to = Math.floor(((d + 1) * n) / 10);
    if (to <= from) continue;
    let won = 0;
    for (let j = from; j < to; j++) won += outcome[order[j]!]!;
    const leads = to - from;
    const [low, high] = wilsonInterval(won, leads);
    const rate = won / leads;
    rows.push({
      key: d === 0 ? 'Top 10%' : `${d * 10}-${(d + 1) * 10}%`,
      leads,
      won,
      rate,
      low,
      high,
      lift: overall > 0 ? rate / overall : 0,
    });
  }
  return rows;
}

/** Points per log-odds: 1 / slope of a logistic fit of the outcome on the total (null when flat or falling). */
export function pointsPerLogit(total: Float64Array, outcome: Uint8Array): number | null {
  let min = Infinity;
  let max = -Infinity;
  for (const t of total) {
    min = Math.min(min, t);
    max = Math.max(max, t);
  }
  if (!(max > min)) return null;
  const span = max - min;
  const x = sparseRows(
    1,
    Array.from(total, (t) => [[0, (t - min) / span] as const]),
  );
  const fit = fitLogistic(x, outcome, { lambda: 1e-6, maxIterations: 100 });
  const slope = fit.weights[0]! / span;
  return slope > 1e-9 ? 1 / slope : null;
}

/**
 * Bands of "the rest of the model's score": every score of its own when the model gives
 * few distinct scores (exact comparison), else twenty bands cut at the totals' quantiles.
 * Null means exact.
 */
function bandCuts(total: Float64Array): number[] | null {
  if (new Set(total).size <= 40) return null;
  const sorted = Float64Array.from(total).sort();
  const cuts: number[] = [];
  for (let q = 1; q < 20; q++) {
    const c = sorted[Math.floor((q * sorted.length) / 20)];
    if (c !== undefined && c > sorted[0]! && (cuts.length === 0 || c > cuts.at(-1)!)) cuts.push(c);
  }
  return cuts;
}

type Conditional = { logOdds: number; low: number; high: number };

/**
 * The rule's log odds ratio within bands of the rest of the model's score (total minus the
 * rule's points; for per-activity rules an approximation, as hits do not say how many points
 * they gave), pooled by Mantel-Haenszel with the Robins-Breslow-Greenland variance. Null when
 * no band holds leads both with and without the rule, won and lost.
 */
function conditionalEffect(
  points: number,
  hit: Uint8Array,
  total: Float64Array,
  outcome: Uint8Array,
  cuts: readonly number[] | null,
): Conditional | null {
  // Per band: won / lost with the rule (a, b) and without it (c, d).
  const exact = new Map<number, number>();
  const bandOf = (rest: number): number => {
    if (cuts === null) {
      let b = exact.get(rest);
      if (b === undefined) exact.set(rest, (b = exact.size));
      return b;
    }
    let band = 0;
    while (band < cuts.length && rest >= cuts[band]!) band++;
    return band;
  };
  const bandOfLead = new Int32Array(outcome.length);
  for (let i = 0; i < outcome.length; i++) bandOfLead[i] = bandOf(total[i]! - (hit[i] === 1 ? points : 0));
  const bands = cuts === null ? exact.size : cuts.length + 1;
  const t = new Float64Array(bands * 4);
  for (let i = 0; i < outcome.length; i++)
    t[bandOfLead[i]! * 4 + (hit[i] === 1 ? 0 : 2) + (outcome[i] === 1 ? 0 : 1)]!++;
  let R = 0;
  let S = 0;
  let PR = 0;
  let PSQR = 0;
  let QS = 0;
  for (let g = 0; g < bands; g++) {
    const [a, b, c, d] = [t[g * 4]!, t[g * 4 + 1]!, t[g * 4 + 2]!, t[g * 4 + 3]!];
    const n = a + b + c + d;
    if (n === 0) continue;
    const r = (a * d) / n;
    const sv = (b * c) / n;
    const p = (a + d) / n;
    const q = (b + c) / n;
    R += r;
    S += sv;
    PR += p * r;
    PSQR += p * sv + q * r;
    QS += q * sv;
  }
  if (R === 0 || S === 0) return null;
  const logOdds = Math.log(R / S);
  const se = Math.sqrt(PR / (2 * R * R) + PSQR / (2 * R * S) + QS / (2 * S * S));
  return { logOdds, low: logOdds - 1.96 * se, high: logOdds + 1.96 * se };
}

/** The other rule that most of this rule's leads also match, when it holds 80% or more of them. */
function mainOverlap(at: number, e: Evaluated, matched: number): { name: string; share: number } | null {
  const hit = e.hits[at]!;
  let best: { name: string; share: number } | null = null;
  e.hits.forEach((other, j) => {
    if (j === at) return;
    let both = 0;
    for (let i = 0; i < hit.length; i++) both += hit[i]! & other[i]!;
    const share = both / matched;
    if (share >= 0.8 && (best === null || share > best.share)) best = { name: e.rules[j]!.name, share };
  });
  return best;
}

function ruleHealth(
  at: number,
  e: Evaluated,
  overall: number,
  k: number | null,
  cuts: readonly number[] | null,
): RuleHealth {
  const rule = e.rules[at]!;
  const hit = e.hits[at]!;
  const outcome = e.outcome;
  const n = outcome.length;
  let matched = 0;
  let wonWith = 0;
  let wonAll = 0;
  for (let i = 0; i < n; i++) {
    wonAll += outcome[i]!;
    if (hit[i] === 1) {
      matched++;
      wonWith += outcome[i]!;
    }
  }
  const without = n - matched;
  const wonWithout = wonAll - wonWith;
  const withInterval = wilsonInterval(wonWith, matched);
  const withoutInterval = wilsonInterval(wonWithout, without);
  const rateWith = matched ? wonWith / matched : null;
  const rateWithout = without ? wonWithout / without : null;
  const base = { ...rule, matched, wonWith, rateWith, withInterval, rateWithout, withoutInterval };
  const head = `${rule.name}: ${signed(rule.points)}`;
  if (matched === 0)
    return {
      ...base,
      verdict: 'matches no lead',
      suggestedPoints: null,
      overlapsWith: null,
      text: `${head}, but it matches no closed lead`,
    };
  if (matched < MIN_RULE_LEADS || without < MIN_RULE_LEADS)
    return {
      ...base,
      verdict: 'too few to tell',
      suggestedPoints: null,
      overlapsWith: null,
      text: `${head}: ${matched} closed leads match, too few to tell (${pct(rateWith)} converted vs ${pct(rateWithout)} without)`,
    };
  // A per-unit rule (points per minute on the website) gives each lead its own share, so
  // "with it or without it" misses its signal, which is in the amount: it is judged by how
  // well its points alone rank the closed leads, and no flat points are suggested for a rate.
  const given = rule.unit ? e.given?.[at] : undefined;
  if (given) {
    const { auc } = rocAuc(given, outcome);
    return {
      ...base,
      verdict: 'ranks on its own',
      suggestedPoints: null,
      overlapsWith: null,
      text: `${rule.name}: ${signed(rule.points)} per ${rule.unit}: its points alone rank the closed leads at ROC AUC ${auc === null ? '–' : auc.toFixed(3)} (${pct(rateWith)} converted with any vs ${pct(rateWithout)} without, ${matched.toLocaleString('en-US')} leads)`,
    };
  }
  // What its leads' conversion says on its own (against every other lead)...
  const marginal = logit(shrunkRate(wonWith, matched, overall)) - logit(shrunkRate(wonWithout, without, overall));
  const marginalLow = logit(clampRate(withInterval[0])) - logit(clampRate(withoutInterval[1]));
  const marginalHigh = logit(clampRate(withInterval[1])) - logit(clampRate(withoutInterval[0]));
  // ...and what it adds to leads the rest of the model scores alike: the fair measure.
  const cond = conditionalEffect(rule.points, hit, e.total, outcome, cuts);
  if (cond === null) {
    // No lead the rest of the model scores like its leads lacks the rule: its own effect
    // cannot be measured. With another rule on the same leads, they can only be judged together.
    const same = mainOverlap(at, e, matched);
    if (same)
      return {
        ...base,
        verdict: 'too few to tell',
        suggestedPoints: null,
        overlapsWith: same.name,
        text: `${head}: ${pct(same.share)} of its leads also match "${same.name}", so their effects cannot be told apart; judge the two together (${pct(rateWith)} converted vs ${pct(rateWithout)} without)`,
      };
  }
  const [d, dLow, dHigh] = cond ? [cond.logOdds, cond.low, cond.high] : [marginal, marginalLow, marginalHigh];
  const suggested = k === null ? null : Math.round(d * k);
  const compare = `${pct(rateWith)} converted vs ${pct(rateWithout)} without, ${matched.toLocaleString('en-US')} leads`;
  let verdict: RuleVerdict = 'fine';
  if (k !== null) {
    if (rule.points > dHigh * k + 1) verdict = 'over-valued';
    else if (rule.points < dLow * k - 1) verdict = 'under-valued';
  } else if (rule.points > 0 && dHigh < 0) verdict = 'over-valued';
  else if (rule.points <= 0 && dLow > 0) verdict = 'under-valued';
  // Its own conversion would carry its points, yet beyond the rest of the model it adds
  // less: say which rule counts those leads already (or, untestable, that they coincide).
  const ownWouldCarry = k !== null && rule.points <= marginalHigh * k + 1;
  const overlap = verdict === 'over-valued' && ownWouldCarry ? mainOverlap(at, e, matched) : null;
  const advice = suggested === null ? '' : ` → suggest ${signed(suggested)}`;
  const shared = overlap ? `${pct(overlap.share)} of its leads also match "${overlap.name}"` : '';
  const beyond = cond ? ' beyond what the rest of the model already gives them' : '';
  const text =
    verdict === 'over-valued'
      ? overlap
        ? `${head}: its leads convert well (${compare}), but ${shared}, which already counts most of it; beyond the rest of the model it is worth less${advice}`
        : `${head}, but converts ${d <= 0.1 ? 'like the average or worse' : 'less than its points say'}${beyond} (${compare})${advice}`
      : verdict === 'under-valued'
        ? `${head}, but converts better than its points say${beyond} (${compare})${advice}`
        : `${head}: fine${beyond ? ', given the rest of the model' : ''} (${compare})`;
  return { ...base, verdict, suggestedPoints: suggested, overlapsWith: overlap?.name ?? null, text };
}

/** The health of one model over its evaluated closed leads. */
export function modelHealth(e: Evaluated, segmentOrder?: readonly string[]): ModelHealth {
  const closed = e.outcome.length;
  let won = 0;
  for (const y of e.outcome) won += y;
  const overall = closed ? won / closed : null;
  const auc = rocAuc(e.total, e.outcome);
  const k = closed >= 2 ? pointsPerLogit(e.total, e.outcome) : null;
  const cuts = bandCuts(e.total);
  const notes: string[] = [];
  if (closed === 0)
    notes.push('No closed leads yet: mark leads Won or Lost (or import an outcome column) to measure the model.');
  else if (auc.auc === null)
    notes.push(`All ${closed} closed leads have the same outcome: the AUC needs both won and lost leads.`);
  else if (auc.won < 20 || auc.lost < 20)
    notes.push(`Only ${auc.won} won and ${auc.lost} lost leads: the figures are rough (see the intervals).`);
  let zero = 0;
  for (const t of e.total) if (t === 0) zero++;
  if (closed > 0 && zero >= 0.95 * closed)
    notes.push(
      `${pct(zero / closed)} of the closed leads score 0 points: the model's fields are probably absent or empty in this workspace.`,
    );
  return {
    closed,
    won,
    overallRate: overall,
    auc,
    byGrade: groupRows(e.grade, e.outcome, overall ?? 0),
    bySegment: groupRows(e.segment, e.outcome, overall ?? 0, segmentOrder),
    deciles: decileRows(e.total, e.outcome, overall ?? 0),
    rules: e.rules.map((_, i) => ruleHealth(i, e, overall ?? 0, k, cuts)),
    pointsPerLogit: k,
    notes,
  };
}
