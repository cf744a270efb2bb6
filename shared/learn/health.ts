/**
 * Model health: how well a model's scores match what really happened, computed once here
 * for Reports > Model, `leadbench report model`, the learn result and the draft backtest.
 *
 * - ROC AUC over the closed leads (ties count half) with its Hanley-McNeil interval;
 * - conversion by grade, by segment and by score decile (lift against the overall rate);
 * - per rule: leads matched, conversion with and without it (Wilson intervals), and a
 *   verdict. The verdict compares the rule's points with what its conversion difference is
 *   worth at the model's own exchange rate of points for log-odds (a one-feature logistic
 *   fit of the outcome on the total score): over-valued, under-valued, fine, too few leads
 *   to tell, or matches no lead.
 */
import { fitLogistic, sparseRows } from './logistic';
import { logit, rocAuc, shrunkRate, wilsonInterval, type Auc } from './stats';

export type RuleInfo = Readonly<{
  id: string;
  name: string;
  kind: 'fit' | 'engagement' | 'negative';
  points: number;
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

export type RuleVerdict = 'over-valued' | 'under-valued' | 'fine' | 'too few to tell' | 'matches no lead';

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

function ruleHealth(
  rule: RuleInfo,
  hit: Uint8Array,
  outcome: Uint8Array,
  overall: number,
  k: number | null,
): RuleHealth {
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
      text: `${head}, but it matches no closed lead`,
    };
  if (matched < MIN_RULE_LEADS || without < MIN_RULE_LEADS)
    return {
      ...base,
      verdict: 'too few to tell',
      suggestedPoints: null,
      text: `${head}: ${matched} closed leads match, too few to tell (${pct(rateWith)} converted vs ${pct(rateWithout)} without)`,
    };
  const d = logit(shrunkRate(wonWith, matched, overall)) - logit(shrunkRate(wonWithout, without, overall));
  const dLow = logit(clampRate(withInterval[0])) - logit(clampRate(withoutInterval[1]));
  const dHigh = logit(clampRate(withInterval[1])) - logit(clampRate(withoutInterval[0]));
  // Negative rules subtract: compare their points in the same direction as the rest.
  const suggested = k === null ? null : Math.round(d * k);
  const compare = `${pct(rateWith)} converted vs ${pct(rateWithout)} without, ${matched.toLocaleString('en-US')} leads`;
  let verdict: RuleVerdict = 'fine';
  if (k !== null) {
    if (rule.points > dHigh * k + 1) verdict = 'over-valued';
    else if (rule.points < dLow * k - 1) verdict = 'under-valued';
  } else if (rule.points > 0 && dHigh < 0) verdict = 'over-valued';
  else if (rule.points <= 0 && dLow > 0) verdict = 'under-valued';
  const advice = suggested === null ? '' : ` → suggest ${signed(suggested)}`;
  const text =
    verdict === 'over-valued'
      ? `${head}, but converts ${d <= 0.1 ? 'like the average or worse' : 'less than its points say'} (${compare})${advice}`
      : verdict === 'under-valued'
        ? `${head}, but converts better than its points say (${compare})${advice}`
        : `${head}: fine (${compare})`;
  return { ...base, verdict, suggestedPoints: suggested, text };
}

/** The health of one model over its evaluated closed leads. */
export function modelHealth(e: Evaluated, segmentOrder?: readonly string[]): ModelHealth {
  const closed = e.outcome.length;
  let won = 0;
  for (const y of e.outcome) won += y;
  const overall = closed ? won / closed : null;
  const auc = rocAuc(e.total, e.outcome);
  const k = closed >= 2 ? pointsPerLogit(e.total, e.outcome) : null;
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
    rules: e.rules.map((r, i) => ruleHealth(r, e.hits[i]!, e.outcome, overall ?? 0, k)),
    pointsPerLogit: k,
    notes,
  };
}
