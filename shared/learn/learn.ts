/**
 * Learning a scoring model from outcomes: encode every field into levels (features.ts),
 * guard against fields filled in after contact, fit an L2 logistic regression on the
 * training leads, and turn its weights into whole-point rules the user can read:
 *
 * - fit rules: each field's levels, shifted so the field's lowest level is 0 (a constant
 *   per field changes no ranking), times a points-per-log-odds scale chosen so the rounded
 *   points rank the leads like the raw weights (Spearman >= 0.99);
 * - engagement rules: per activity type, "the first one" and "each one, up to N";
 * - segments and the MQL threshold at quantiles of the training leads' scores.
 *
 * Every rule carries its reason in words. Pure: the backend gathers the data and measures
 * the result on the held-out leads.
 */
import { activityTypeLabel, type ActivityTypeKey } from '../domain';
import { fieldRulePoints, formatAmount } from '../scoring/compile/field-rules';
import type { EngagementRule, FieldEngagementRule, FitRule, ScoringModel } from '../scoring/model';
import { toNumber } from '../scoring/operators';
import { MODEL_SCHEMA_VERSION } from '../scoring/model';
import { encodeTally, tallyCoded, type CodedColumn, type FieldEncoding } from './features';
import { activeWithin, RECENCY_WINDOWS_DAYS, recencyGroups, recencyRule } from './recency';
import { ruleIds, type RuleIds } from './rule-ids';
import { fitLogistic, linearPredictor, type SparseRows } from './logistic';
import { quantile, shrunkRate, spearman } from './stats';

/** One field's values for every lead of the learning set (closed leads, training and held-out). */
export type FieldColumn = CodedColumn &
  Readonly<{
    field: string;
    label: string;
    /** Share of the workspace's OPEN leads with this field filled in (null when too few are open). */
    openFillRate: number | null;
    /** Why the field cannot be learned from whatever its values (a date), or absent. */
    unlearnable?: string | null;
    /**
     * The workspace types it as a number, so a per-unit engagement rule may use it ("1 point
     * per 130 of Total Time Spent on Website, at most 14"): learned that way when its fitted
     * ranges rise with the amount.
     */
    perUnit?: boolean;
  }>;

export type ActivityColumn = Readonly<{
  /** A built-in type or a workspace type ("ws:SMS Sent"): both are engagement features alike. */
  type: ActivityTypeKey;
  /** What the type is called in this workspace (a renamed workspace type); default: activityTypeLabel. */
  label?: string;
  counts: Uint32Array;
  /** Each lead's last activity of the type (ms), -Infinity when none. */
  lastAt: Float64Array;
}>;

export type LearnData = Readonly<{
  fields: readonly FieldColumn[];
  activities: readonly ActivityColumn[];
  /** 1 won, 0 lost, per lead. */
  outcome: Uint8Array;
  /** 1 when the lead is held out (never fitted on). */
  heldOut: Uint8Array;
  /** The time the learned rules are scored at: recency windows end here. */
  now: number;
  /**
   * Per lead, the time it is measured at when not `now`: a closed lead's close time, with
   * `activities` counting only what it had by then (what the outcome could not yet have
   * caused). Recency windows end here for that lead.
   */
  asOf?: Float64Array;
}>;

export type LearnSettings = Readonly<{
  /** Fields left out by the user. */
  exclude?: readonly string[];
  /** Fields the leakage guard flagged that the user keeps anyway. */
  keep?: readonly string[];
  modelName?: string;
  /** Called with a fraction 0..1; return false to cancel. */
  progress?: (fraction: number, phase: string) => boolean | void;
}>;

export type FieldVerdict = Readonly<{
  field: string;
  label: string;
  status: 'used' | 'excluded' | 'leak' | 'skipped';
  /** Why (for leak / skipped / excluded), in words. */
  reason: string | null;
  /** AUC of this field alone on the training leads (conversion rate per level as the score). */
  aloneAuc: number | null;
}>;

export type RuleReason = Readonly<{
  ruleId: string;
  kind: 'fit' | 'engagement';
  points: number;
  leads: number;
  won: number;
  /**
   * "Lead source is Reference: 91% converted vs 12% for Lead source is Facebook (0 points), 534 leads → +32":
   * always agreeing in direction with the points (explainRule).
   */
  text: string;
}>;

export type Learned = Readonly<{
  model: ScoringModel;
  reasons: readonly RuleReason[];
  fields: readonly FieldVerdict[];
  trainLeads: number;
  trainWon: number;
  /** Points per unit of log-odds the rounding used. */
  pointsPerLogit: number;
  /** Spearman correlation of the rounded points with the raw weights on the training leads. */
  rankAgreement: number;
  lambda: number;
  iterations: number;
  /** Every lead's total under the learned model (training and held-out), as its compiled rules score it. */
  totals: Float64Array;
}>;

export class LearnCancelled extends Error {
  constructor() {
    super('Learning was cancelled.');
    this.name = 'LearnCancelled';
  }
}

/** The fewest closed leads (and of each outcome) learning accepts. */
export const MIN_CLOSED = 100;
export const MIN_EACH = 20;

const pct = (x: number): string => `${Math.round(x * 100)}%`;

type LevelStat = { n: number; won: number };

/**
 * Each lead's level of the field (-1: none), computed once and reused by every step: the
 * level of each distinct value, then a lookup per lead.
 */
function rowLevels(enc: FieldEncoding, column: CodedColumn): Int32Array {
  const byCode = Int32Array.from(column.dictionary, (v) => enc.levelOf(v));
  const blank = enc.levelOf(null);
  const out = new Int32Array(column.codes.length);
  for (let i = 0; i < out.length; i++) {
    const c = column.codes[i]!;
    out[i] = c < 0 ? blank : byCode[c]!;
  }
  return out;
}

/** Leads and won leads per level, on the training leads. */
function levelStats(levels: number, rows: Int32Array, data: LearnData): LevelStat[] {
  const stats = Array.from({ length: levels }, () => ({ n: 0, won: 0 }));
  for (let i = 0; i < rows.length; i++) {
    const l = rows[i]!;
    if (data.heldOut[i] === 1 || l < 0) continue;
    stats[l]!.n++;
    stats[l]!.won += data.outcome[i]!;
  }
  return stats;
}

/**
 * AUC of a score that is constant within groups (a field's levels): from the groups'
 * counts alone, ties within a group counting half. Same value as rocAuc on the leads.
 */
export function groupedAuc(groups: readonly Readonly<{ score: number; n: number; won: number }>[]): number | null {
  const sorted = [...groups].filter((g) => g.n > 0).sort((a, b) => a.score - b.score);
  let won = 0;
  let lost = 0;
  for (const g of sorted) {
    won += g.won;
    lost += g.n - g.won;
  }
  if (won === 0 || lost === 0) return null;
  let pairs = 0;
  let lostBelow = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    let w = 0;
    let l = 0;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) {
      w += sorted[j]!.won;
      l += sorted[j]!.n - sorted[j]!.won;
      j++;
    }
    pairs += w * (lostBelow + l / 2);
    lostBelow += l;
    i = j;
  }
  return pairs / (won * lost);
}

type Leak = { reason: string | null; aloneAuc: number | null };

/**
 * The leakage guard. A field is "probably filled in after contact" when it alone ranks the
 * leads almost perfectly (AUC >= 0.9), when values holding 5%+ of the leads all but decide
 * the outcome (<= 5% or >= 95% converted) while the field ranks its filled-in leads well
 * (AUC >= 0.8), or when it is filled in on closed leads far more often than on open ones.
 */
function leakage(enc: FieldEncoding, stats: LevelStat[], overall: number, openFillRate: number | null): Leak {
  const blankAt = enc.levels.length - 1;
  const groups = stats.map((g, l) => ({ ...g, score: shrunkRate(g.won, g.n, overall), blank: l === blankAt }));
  let train = 0;
  let filled = 0;
  let decisive = 0;
  for (const g of groups) {
    train += g.n;
    if (g.blank) continue;
    filled += g.n;
    const p = g.n ? g.won / g.n : overall;
    if (g.n >= 20 && (p <= 0.05 || p >= 0.95)) decisive += g.n;
  }
  const alone = groupedAuc(groups);
  const filledAuc = groupedAuc(groups.filter((g) => !g.blank));
  const aloneAuc = alone === null ? null : Math.max(alone, 1 - alone);
  if (aloneAuc !== null && aloneAuc >= 0.9)
    return {
      aloneAuc,
      reason: `alone it ranks the closed leads almost perfectly (AUC ${aloneAuc.toFixed(2)}): probably filled in after contact`,
    };
  if (decisive >= 0.05 * train && filledAuc !== null && Math.max(filledAuc, 1 - filledAuc) >= 0.8)
    return {
      aloneAuc,
      reason: `values held by ${pct(decisive / train)} of the closed leads all but decide the outcome: probably filled in after contact`,
    };
  const closedFill = filled / Math.max(1, train);
  if (openFillRate !== null && closedFill >= 0.3 && openFillRate <= closedFill / 4)
    return {
      aloneAuc,
      reason: `filled in on ${pct(closedFill)} of closed leads but only ${pct(openFillRate)} of open ones: probably filled in after contact`,
    };
  return { aloneAuc, reason: null };
}

/** The time lead `i` is measured at (its recency windows end here). */
function measuredAt(data: LearnData, i: number): number {
  return data.asOf ? data.asOf[i]! : data.now;
}

type RecencyFeature = { days: number; feature: number; stat: LevelStat };

type ActivityFeature = {
  type: ActivityTypeKey;
  label: string;
  cap: number;
  first: number;
  each: number;
  withAny: LevelStat;
  counts: Uint32Array;
  lastAt: Float64Array;
  recency: RecencyFeature[];
};

/** The learning set, encoded: one sparse row per lead (training and held-out alike). */
/**
 * A number field learned as one per-unit feature instead of ranges: min(amount, cap) / cap
 * for a positive amount, else 0 (a blank, 0 or a negative amount earns a field rule nothing).
 */
type PerUnit = { amounts: Float64Array; cap: number; withAny: LevelStat };

type Design = {
  encodings: {
    enc: FieldEncoding;
    column: FieldColumn;
    rows: Int32Array;
    stats: LevelStat[];
    offset: number;
    perUnit?: PerUnit;
  }[];
  activities: ActivityFeature[];
  x: SparseRows;
};

function buildDesign(data: LearnData, encodings: Design['encodings'], activityColumns: readonly ActivityColumn[]) {
  const n = data.outcome.length;
  let features = 0;
  for (const e of encodings) {
    e.offset = features;
    features += e.perUnit ? 1 : e.enc.levels.length;
  }
  const activities: ActivityFeature[] = [];
  for (const a of activityColumns) {
    const counts: number[] = [];
    const withAny: LevelStat = { n: 0, won: 0 };
    for (let i = 0; i < n; i++) {
      if (data.heldOut[i] === 1 || a.counts[i] === 0) continue;
      counts.push(a.counts[i]!);
      withAny.n++;
      withAny.won += data.outcome[i]!;
    }
    if (withAny.n < 10) continue;
    counts.sort((p, q) => p - q);
    const cap = Math.max(1, Math.round(quantile(counts, 0.9)));
    const first = features;
    features += 2;
    // A window is a feature when it splits the leads with this activity (some in it, some not).
    const recency: RecencyFeature[] = [];
    for (const days of RECENCY_WINDOWS_DAYS) {
      const stat: LevelStat = { n: 0, won: 0 };
      for (let i = 0; i < n; i++) {
        if (data.heldOut[i] === 1 || !activeWithin(a.lastAt[i]!, measuredAt(data, i), days)) continue;
        stat.n++;
        stat.won += data.outcome[i]!;
      }
      if (stat.n < 10 || withAny.n - stat.n < 10) continue;
      recency.push({ days, feature: features++, stat });
    }
    activities.push({
      type: a.type,
      label: a.label ?? activityTypeLabel(a.type),
      cap,
      first,
      each: first + 1,
      withAny,
      counts: a.counts,
      lastAt: a.lastAt,
      recency,
    });
  }
  let perRow = encodings.length;
  for (const a of activities) perRow += 2 + a.recency.length;
  const start = new Uint32Array(n + 1);
  const index = new Uint32Array(n * perRow);
  const value = new Float64Array(n * perRow);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (const e of encodings) {
      if (e.perUnit) {
        const amount = e.perUnit.amounts[i]!;
        if (!(amount > 0)) continue;
        index[k] = e.offset;
        value[k++] = Math.min(amount, e.perUnit.cap) / e.perUnit.cap;
        continue;
      }
      const l = e.rows[i]!;
      if (l < 0) continue;
      index[k] = e.offset + l;
      value[k++] = 1;
    }
    for (const a of activities) {
      const c = a.counts[i]!;
      if (c === 0) continue;
      index[k] = a.first;
      value[k++] = 1;
      // Scaled to 0..1 so the penalty treats it like the 0/1 features.
      index[k] = a.each;
      value[k++] = Math.min(c, a.cap) / a.cap;
      for (const r of a.recency) {
        if (!activeWithin(a.lastAt[i]!, measuredAt(data, i), r.days)) continue;
        index[k] = r.feature;
        value[k++] = 1;
      }
    }
    start[i + 1] = k;
  }
  const x: SparseRows = { rows: n, features, start, index: index.subarray(0, k), value: value.subarray(0, k) };
  return { activities, x };
}

/** The rows of the training leads only (a view that copies the sparse structure once). */
function trainingRows(x: SparseRows, data: LearnData): { x: SparseRows; y: Uint8Array } {
  const rows: number[] = [];
  for (let i = 0; i < x.rows; i++) if (data.heldOut[i] === 0) rows.push(i);
  const start = new Uint32Array(rows.length + 1);
  let nnz = 0;
  rows.forEach((r, j) => {
    nnz += x.start[r + 1]! - x.start[r]!;
    start[j + 1] = nnz;
  });
  const index = new Uint32Array(nnz);
  const value = new Float64Array(nnz);
  const y = new Uint8Array(rows.length);
  rows.forEach((r, j) => {
    index.set(x.index.subarray(x.start[r]!, x.start[r + 1]!), start[j]!);
    value.set(x.value.subarray(x.start[r]!, x.start[r + 1]!), start[j]!);
    y[j] = data.outcome[r]!;
  });
  return { x: { rows: rows.length, features: x.features, start, index, value }, y };
}

/**
 * Prior precision of the weights: 1 (a standard-normal prior on each log-odds weight) on
 * large data; up to 4 on the smallest sets, where the data cannot pin many weights down.
 */
export function regularization(trainLeads: number): number {
  return Math.min(4, Math.max(1, 400 / Math.max(1, trainLeads)));
}

/**
 * Rounds weights to whole points: the smallest scale (from 5 points per unit of log-odds up)
 * whose rounded scores rank the training rows like the raw weights (Spearman >= 0.995).
 */
export function roundPoints(
  raw: Float64Array,
  xTrain: SparseRows,
): { scale: number; points: Int32Array; agreement: number } {
  const rawScore = linearPredictor(xTrain, 0, raw);
  let best = { scale: 5, points: new Int32Array(raw.length), agreement: -1 };
  for (const scale of [5, 10, 15, 20, 30, 40, 60, 80, 100]) {
    const points = Int32Array.from(raw, (w) => Math.round(w * scale));
    const agreement = spearman(rawScore, linearPredictor(xTrain, 0, points));
    best = { scale, points, agreement };
    if (agreement >= 0.995) break;
  }
  return best;
}

const signed = (points: number): string => `${points > 0 ? '+' : ''}${points}`;

/**
 * A rule's reason in words, agreeing in direction with its points. The points are measured
 * from a baseline (the field's level at 0 points; leads without the activity): the rule's
 * leads' conversion rate beside the baseline's when the two differ the way the points say.
 * When they do not (another field explains the difference: the rule's leads convert no
 * better on their own, but better than leads alike in everything else), it says that,
 * never a comparison that contradicts the points.
 */
export function explainRule(
  name: string,
  stat: Readonly<LevelStat>,
  baseline: Readonly<{ label: string; stat: Readonly<LevelStat> }>,
  points: number,
): string {
  const rate = stat.won / Math.max(1, stat.n);
  const baseRate = baseline.stat.won / Math.max(1, baseline.stat.n);
  const leads = `${stat.n.toLocaleString('en-US')} leads`;
  // Rare outcomes (Hillstrom: 0.9% converted) read in tenths of a percent: in whole percents
  // every rule would say "1%". The gap is taken at the precision shown.
  const tenths = rate < 0.1 && (baseline.stat.n === 0 || baseRate < 0.1) ? 10 : 1;
  const shown = (x: number): number => Math.round(x * 100 * tenths) / tenths;
  const percent = (x: number): string => `${shown(x).toFixed(tenths === 10 ? 1 : 0)}%`;
  const gap = shown(rate) - shown(baseRate);
  if (baseline.stat.n > 0 && Math.sign(gap) === Math.sign(points))
    return `${name}: ${percent(rate)} converted vs ${percent(baseRate)} ${baseline.label}, ${leads} → ${signed(points)}`;
  return (
    `${name}: ${percent(rate)} of ${leads} converted; among leads alike in everything else, ` +
    `${points > 0 ? 'more' : 'fewer'} of them converted than ${baseline.label.replace(/^for /, '')} → ${signed(points)}`
  );
}

/**
 * Number fields to learn per unit: typed as numbers in the workspace (FieldColumn.perUnit),
 * at least three ranges with leads besides blank, and fitted weights that rise with the
 * amount: "the more of it, the likelier to convert", which a per-unit rule says in one line.
 * A U shape (both ends high) keeps its ranges.
 */
function perUnitCandidates(encodings: Design['encodings'], weights: Float64Array): Design['encodings'] {
  return encodings.filter((e) => {
    if (!e.column.perUnit || e.enc.kind !== 'number') return false;
    const ranges: number[] = [];
    // The blank level is the last one of a number field.
    for (let l = 0; l < e.enc.levels.length - 1; l++) if (e.stats[l]!.n > 0) ranges.push(weights[e.offset + l]!);
    if (ranges.length < 3) return false;
    const spread = Math.max(...ranges) - Math.min(...ranges);
    let dip = 0;
    for (let j = 1; j < ranges.length; j++) dip = Math.max(dip, ranges[j - 1]! - ranges[j]!);
    // Rising in all, by a tenth of log-odds or more, and no step down beyond a quarter of the
    // spread (noise, or the top ranges levelling off as a cap does).
    return ranges.at(-1)! - ranges[0]! >= Math.max(0.1, spread / 2) && dip <= spread / 4;
  });
}

/** A field's amounts per lead (NaN: none) and its cap, the 90th percentile of the training leads' positive amounts. */
function perUnitOf(column: FieldColumn, data: LearnData): PerUnit | null {
  const numbers = column.dictionary.map((v) => toNumber(v) ?? Number.NaN);
  const amounts = Float64Array.from(column.codes, (c) => (c < 0 ? Number.NaN : numbers[c]!));
  const positive: number[] = [];
  const withAny: LevelStat = { n: 0, won: 0 };
  for (let i = 0; i < amounts.length; i++) {
    if (data.heldOut[i] === 1 || !(amounts[i]! > 0)) continue;
    positive.push(amounts[i]!);
    withAny.n++;
    withAny.won += data.outcome[i]!;
  }
  if (withAny.n < 10) return null;
  positive.sort((a, b) => a - b);
  const cap = quantile(positive, 0.9);
  return cap > 0 ? { amounts, cap, withAny } : null;
}

/**
 * The per-unit rule for a field whose amount at its cap is worth `total` points: 1 point per
 * step of cap / total (a whole number for a field of whole numbers, else two significant
 * digits), at most `total`. Null when the field earns no points.
 */
function perUnitRule(
  e: Design['encodings'][number],
  total: number,
  ids: RuleIds,
): { rule: FieldEngagementRule; reason: RuleReason } | null {
  const { cap, withAny } = e.perUnit!;
  if (total <= 0) return null;
  const whole = e.column.dictionary.every((v) => {
    const x = toNumber(v);
    return x === null || Number.isInteger(x);
  });
  const step = cap / total;
  const per = whole ? Math.max(1, Math.round(step)) : Number(step.toPrecision(2));
  const rule: FieldEngagementRule = {
    id: ids(e.enc.field, 'per', 'step'),
    name: `${e.enc.label}: 1 point per ${formatAmount(per)}, at most ${total}`,
    field: e.enc.field,
    points: 1,
    per,
    unit: 'step',
    fieldUnit: null,
    cap: total,
  };
  const text =
    `${e.enc.label}: ${pct(withAny.won / withAny.n)} of the ${withAny.n.toLocaleString('en-US')} leads with some converted; ` +
    `among leads alike in everything else, more of them converted the more they had → +1 per ${formatAmount(per)}, at most +${total}`;
  return {
    rule,
    reason: { ruleId: rule.id, kind: 'engagement', points: total, leads: withAny.n, won: withAny.won, text },
  };
}

/** Learns a model; throws LearnCancelled when `progress` returns false. */
export function learnModel(data: LearnData, settings: LearnSettings = {}): Learned {
  const tick = (fraction: number, phase: string): void => {
    if (settings.progress?.(fraction, phase) === false) throw new LearnCancelled();
  };
  const n = data.outcome.length;
  let trainLeads = 0;
  let trainWon = 0;
  for (let i = 0; i < n; i++)
    if (data.heldOut[i] === 0) {
      trainLeads++;
      trainWon += data.outcome[i]!;
    }
  const overall = trainWon / Math.max(1, trainLeads);
  const minCount = Math.max(10, Math.round(0.01 * trainLeads));
  const exclude = new Set(settings.exclude ?? []);
  const keep = new Set(settings.keep ?? []);
  const verdicts: FieldVerdict[] = [];
  const training = data.heldOut.map((h) => 1 - h);
  const encodings: Design['encodings'] = [];
  data.fields.forEach((column, i) => {
    tick((0.3 * i) / Math.max(1, data.fields.length), 'Reading fields');
    const base = { field: column.field, label: column.label };
    if (exclude.has(column.field) || exclude.has(column.label)) {
      verdicts.push({ ...base, status: 'excluded', reason: 'left out by you', aloneAuc: null });
      return;
    }
    if (column.unlearnable) {
      verdicts.push({ ...base, status: 'skipped', reason: column.unlearnable, aloneAuc: null });
      return;
    }
    const enc = encodeTally(column.field, column.label, tallyCoded(column, training), { minCount });
    if ('skipped' in enc) {
      verdicts.push({ ...base, status: 'skipped', reason: enc.skipped, aloneAuc: null });
      return;
    }
    const rows = rowLevels(enc, column);
    const stats = levelStats(enc.levels.length, rows, data);
    const leak = leakage(enc, stats, overall, column.openFillRate);
    if (leak.reason && !keep.has(column.field) && !keep.has(column.label)) {
      verdicts.push({ ...base, status: 'leak', reason: leak.reason, aloneAuc: leak.aloneAuc });
      return;
    }
    verdicts.push({
      ...base,
      status: 'used',
      reason: leak.reason ? `kept by you: ${leak.reason}` : null,
      aloneAuc: leak.aloneAuc,
    });
    encodings.push({ enc, column, rows, stats, offset: 0 });
  });

  tick(0.35, 'Encoding');
  let design = buildDesign(data, encodings, data.activities);
  let train = trainingRows(design.x, data);
  const lambda = regularization(trainLeads);
  const fitting = (from: number) => (it: number) =>
    settings.progress?.(from + 0.25 * Math.min(1, it / 100), 'Fitting') !== false;
  let fit = fitLogistic(train.x, train.y, { lambda, maxIterations: 300, onIteration: fitting(0.4) });
  tick(0.65, 'Fitting');

  // Number fields whose ranges rise with the amount are learned again as one per-unit
  // engagement rule each, starting from the first fit's weights.
  const before = { offsets: encodings.map((e) => e.offset), activities: design.activities, fit };
  for (const e of perUnitCandidates(encodings, fit.weights)) e.perUnit = perUnitOf(e.column, data) ?? undefined;
  if (encodings.some((e) => e.perUnit)) {
    design = buildDesign(data, encodings, data.activities);
    train = trainingRows(design.x, data);
    const initial = new Float64Array(design.x.features);
    encodings.forEach((e, k) => {
      if (!e.perUnit)
        initial.set(
          before.fit.weights.subarray(before.offsets[k]!, before.offsets[k]! + e.enc.levels.length),
          e.offset,
        );
    });
    design.activities.forEach((a, k) => {
      const old = before.activities[k]!;
      initial[a.first] = before.fit.weights[old.first]!;
      initial[a.each] = before.fit.weights[old.each]!;
      a.recency.forEach((r, j) => (initial[r.feature] = before.fit.weights[old.recency[j]!.feature]!));
    });
    fit = fitLogistic(train.x, train.y, {
      lambda,
      maxIterations: 300,
      initial: { intercept: before.fit.intercept, weights: initial },
      onIteration: fitting(0.65),
    });
  }
  tick(0.9, 'Rounding');

  // Each field's levels shifted so its lowest level is 0: fit points are never negative.
  const raw = Float64Array.from(fit.weights);
  for (const e of encodings) {
    if (e.perUnit) continue;
    const ws = raw.subarray(e.offset, e.offset + e.enc.levels.length);
    let min = Infinity;
    e.stats.forEach((s, l) => {
      if (s.n > 0) min = Math.min(min, ws[l]!);
    });
    for (let l = 0; l < ws.length; l++) ws[l] = e.stats[l]!.n > 0 ? ws[l]! - min : 0;
  }
  const { scale, points, agreement } = roundPoints(raw, train.x);

  const reasons: RuleReason[] = [];
  const ids = ruleIds();
  const fitRules: FitRule[] = [];
  const fieldRules: FieldEngagementRule[] = [];
  for (const e of encodings) {
    if (e.perUnit) {
      const learned = perUnitRule(e, points[e.offset]!, ids);
      if (learned) {
        fieldRules.push(learned.rule);
        reasons.push(learned.reason);
      }
      continue;
    }
    // The level the field's points are measured from: its lowest weight, at 0 points.
    let reference = -1;
    e.stats.forEach((s, l) => {
      if (s.n > 0 && (reference < 0 || raw[e.offset + l]! < raw[e.offset + reference]!)) reference = l;
    });
    e.enc.levels.forEach((level, l) => {
      const p = points[e.offset + l]!;
      const s = e.stats[l]!;
      if (p === 0 || s.n === 0) return;
      const id = ids(e.enc.field, l + 1);
      const name = `${e.enc.label} ${level.label}`;
      fitRules.push({ id, name, when: level.when, points: p });
      reasons.push({
        ruleId: id,
        kind: 'fit',
        points: p,
        leads: s.n,
        won: s.won,
        text: explainRule(
          name,
          s,
          { label: `for ${e.enc.label} ${e.enc.levels[reference]!.label} (0 points)`, stat: e.stats[reference]! },
          p,
        ),
      });
    });
  }
  const engagementRules: EngagementRule[] = [];
  for (const a of design.activities) {
    const label = a.label;
    const first = points[a.first]!;
    const perActivity = Math.round((raw[a.each]! * scale) / a.cap);
    const type = label.toLowerCase();
    const without: LevelStat = { n: trainLeads - a.withAny.n, won: trainWon - a.withAny.won };
    if (first !== 0) {
      const id = ids(a.type, 'first');
      engagementRules.push({
        id,
        name: `First ${label.toLowerCase()}`,
        match: { types: [a.type] },
        points: first,
        frequency: 'first',
        countRepeats: true,
      });
      reasons.push({
        ruleId: id,
        kind: 'engagement',
        points: first,
        leads: a.withAny.n,
        won: a.withAny.won,
        text: explainRule(`First ${type}`, a.withAny, { label: `for leads without one`, stat: without }, first),
      });
    }
    if (perActivity !== 0) {
      const id = ids(a.type, 'each');
      engagementRules.push({
        id,
        name: `Each ${label.toLowerCase()} (up to ${a.cap})`,
        match: { types: [a.type] },
        points: perActivity,
        countRepeats: true,
        cap: Math.abs(perActivity) * a.cap,
      });
      reasons.push({
        ruleId: id,
        kind: 'engagement',
        points: perActivity,
        leads: a.withAny.n,
        won: a.withAny.won,
        text: `Each ${type}, up to ${a.cap}: among leads alike in everything else, more of them went with converting ${perActivity > 0 ? 'more' : 'less'} often → ${signed(perActivity)} each`,
      });
    }
    for (const r of a.recency) {
      const p = points[r.feature]!;
      if (p === 0) continue;
      const rule = recencyRule(a.type, a.label, r.days, p, ids);
      engagementRules.push(rule);
      reasons.push({
        ruleId: rule.id,
        kind: 'engagement',
        points: p,
        leads: r.stat.n,
        won: r.stat.won,
        text: explainRule(
          rule.name,
          r.stat,
          {
            label: `for leads whose last ${type} is older`,
            stat: { n: a.withAny.n - r.stat.n, won: a.withAny.won - r.stat.won },
          },
          p,
        ),
      });
    }
  }

  // Every lead's score under the rounded rules (what the compiled model gives it), and the
  // bands at quantiles of the training leads' scores.
  const fitAll = new Float64Array(n);
  const engAll = new Float64Array(n);
  const fieldFeatures = design.activities.length ? design.activities[0]!.first : design.x.features;
  const perUnitFeature = new Set(encodings.filter((e) => e.perUnit).map((e) => e.offset));
  for (let i = 0; i < n; i++) {
    for (let k = design.x.start[i]!; k < design.x.start[i + 1]!; k++) {
      const f = design.x.index[k]!;
      if (f < fieldFeatures && !perUnitFeature.has(f)) fitAll[i]! += points[f]!;
    }
  }
  // A field rule's points as the compiled model gives them (whole steps, capped).
  for (const rule of fieldRules) {
    const { amounts } = encodings.find((e) => e.enc.field === rule.field)!.perUnit!;
    for (let i = 0; i < n; i++) {
      const amount = amounts[i]!;
      engAll[i]! += fieldRulePoints(rule, Number.isNaN(amount) ? null : amount).points;
    }
  }
  for (const a of design.activities) {
    const perActivity = Math.round((raw[a.each]! * scale) / a.cap);
    for (let i = 0; i < n; i++) {
      const c = a.counts[i]!;
      if (c === 0) continue;
      engAll[i]! += points[a.first]! + perActivity * Math.min(c, a.cap);
      for (const r of a.recency)
        if (activeWithin(a.lastAt[i]!, measuredAt(data, i), r.days)) engAll[i]! += points[r.feature]!;
    }
  }
  const totalAll = Float64Array.from(fitAll, (f, i) => f + engAll[i]!);
  const trainOnly = (v: Float64Array): Float64Array => v.filter((_, i) => data.heldOut[i] === 0).sort();
  const totals = trainOnly(totalAll);
  const fits = trainOnly(fitAll);
  const engs = trainOnly(engAll);
  const at = (sorted: Float64Array, q: number): number => Math.round(quantile(sorted, q));
  const rising = (a: number, b: number, c: number): [number, number, number] => {
    const x = Math.max(a, 1);
    const y = Math.max(b, x + 1);
    return [x, y, Math.max(c, y + 1)];
  };
  const [fitC, fitB, fitA] = rising(at(fits, 0.25), at(fits, 0.5), at(fits, 0.75));
  const [eng3, eng2, eng1] = rising(at(engs, 0.25), at(engs, 0.5), at(engs, 0.75));
  const [warm, hot] = rising(at(totals, 0.6), at(totals, 0.85), 0);
  const groups = recencyGroups(engagementRules);
  const windowGroups = Object.keys(groups).length ? { groups } : {};
  const model: ScoringModel = {
    schemaVersion: MODEL_SCHEMA_VERSION,
    name: settings.modelName ?? 'Learned from outcomes',
    description:
      `Learned from ${trainLeads.toLocaleString('en-US')} closed leads (${pct(overall)} converted): ` +
      `${fitRules.length} fit rules and ${engagementRules.length + fieldRules.length} engagement rules, ${scale} points per unit of log-odds. ` +
      'Hot: the top 15% of scores; warm: the next 25%; MQL from the hot cut-off.',
    fit: fitRules,
    engagement: engagementRules,
    ...(fieldRules.length ? { fieldEngagement: fieldRules } : {}),
    negative: [],
    suppression: { rules: [], emails: [], domains: [] },
    decay: { halfLifeDays: null, windowDays: null, inactivity: null, ...windowGroups },
    grades: { fit: { A: fitA, B: fitB, C: fitC }, engagement: { '1': eng1, '2': eng2, '3': eng3 } },
    segments: {
      basis: 'total',
      bands: [
        { key: 'hot', label: 'Hot', min: hot },
        { key: 'warm', label: 'Warm', min: warm },
        { key: 'cold', label: 'Cold', min: null },
      ],
    },
    mql: { threshold: hot, minFitGrade: null },
  };
  tick(1, 'Done');
  return {
    model,
    reasons,
    fields: verdicts,
    trainLeads,
    trainWon,
    pointsPerLogit: scale,
    rankAgreement: agreement,
    totals: totalAll,
    lambda,
    iterations: fit.iterations,
  };
}
