/**
 * Scoring one lead: compile a model once (conditions into closures, engagement rules indexed
 * by activity type, asset tests memoised), then score each lead in one pass over its
 * activities. Pure: time is the `now` argument, never a clock.
 *
 * Every contribution is a whole number, decay deltas included, so the ledger sums exactly
 * to the total.
 */
import { normalizeEmail, type Activity, type Lead } from '../domain';
import {
  compileCondition,
  conditionEvidence,
  fieldLabel,
  leadContext,
  type CompiledCondition,
  type LeadContext,
} from './conditions';
import { daysBetween, describeActivity, formatDay, formatFactor, signed, type LedgerEntry } from './ledger';
import type {
  ActivityMatch,
  Condition,
  CountingOptions,
  EngagementGrade,
  FitGrade,
  Grade,
  ScoringModel,
  SegmentBand,
} from './model';
import { OPERATORS, type Predicate } from './operators';

const DAY_MS = 86_400_000;

/** A signed manual adjustment a rep added to a lead, shown in the ledger. */
export type ScoreAdjustment = Readonly<{
  id: number | string;
  points: number;
  reason: string;
  at: number;
  by?: string | null;
}>;

export type ScoreOptions = Readonly<{ adjustments?: readonly ScoreAdjustment[] }>;

/** The score of one lead under one model. */
export type ScoreResult = Readonly<{
  fit: number;
  engagement: number;
  /** Sum of manual adjustments. */
  adjustment: number;
  /** fit + engagement + adjustment; equals the sum of the ledger's points. */
  total: number;
  fitGrade: FitGrade;
  engagementGrade: EngagementGrade;
  grade: Grade;
  segment: string;
  segmentLabel: string;
  isMql: boolean;
  suppressedReason: string | null;
  /** Most recent activity of any kind, or null. */
  lastActivityAt: number | null;
  ledger: readonly LedgerEntry[];
}>;

type ActivityRule = {
  readonly id: string;
  readonly name: string;
  readonly kind: 'engagement' | 'negative';
  readonly points: number;
  readonly first: boolean;
  readonly dedupe: boolean;
  readonly cap: number;
  readonly windowMs: number;
  readonly windowPoints: number;
  readonly group: number;
  readonly minDuration: number | null;
  readonly assetTest: ((asset: string) => boolean) | null;
};

type GroupDecay = { readonly name: string; readonly halfLifeDays: number | null; readonly windowDays: number | null };

type ProfileRule = {
  readonly id: string;
  readonly name: string;
  readonly kind: 'fit' | 'negative';
  readonly points: number;
  readonly when: Condition;
  readonly test: CompiledCondition;
};

/** A model prepared for scoring many leads; build it once with compileModel. */
export type CompiledModel = Readonly<{
  model: ScoringModel;
  /** Whether the model scores this lead (its applicability condition). */
  applies: (lead: Lead) => boolean;
  score: (lead: Lead, activities: readonly Activity[], now: number, options?: ScoreOptions) => ScoreResult;
}>;

function memoAssetTest(p: Predicate): (asset: string) => boolean {
  // Assets repeat a lot (the same pages and PDFs across a million rows): cache the verdicts.
  const cache = new Map<string, boolean>();
  return (asset) => {
    let r = cache.get(asset);
    if (r === undefined) {
      r = p(asset === '' ? null : asset);
      if (cache.size > 50_000) cache.clear();
      cache.set(asset, r);
    }
    return r;
  };
}

function compileActivityRule(
  r: Readonly<{ id: string; name: string; match: ActivityMatch; points: number }> & CountingOptions,
  kind: 'engagement' | 'negative',
  groupIndex: (name: string) => number,
): ActivityRule {
  const asset = r.match.asset;
  return {
    id: r.id,
    name: r.name,
    kind,
    points: r.points,
    first: r.frequency === 'first',
    dedupe: !r.countRepeats,
    cap: r.cap ?? Infinity,
    windowMs: r.windowCap ? r.windowCap.days * DAY_MS : 0,
    windowPoints: r.windowCap ? r.windowCap.points : Infinity,
    group: groupIndex(r.group ?? 'default'),
    minDuration: r.match.minDurationSec ?? null,
    assetTest: asset ? memoAssetTest(OPERATORS[asset.op].compile(asset)) : null,
  };
}

function bandIndex(value: number, mins: readonly number[]): number {
  for (let i = 0; i < mins.length; i++) if (value >= mins[i]!) return i;
  return mins.length;
}

/** Prepares a model for fast scoring. Compile once per model version, score many leads. */
export function compileModel(model: ScoringModel): CompiledModel {
  const applies = model.appliesTo ? compileCondition(model.appliesTo) : null;

  const profileRules: ProfileRule[] = [
    ...model.fit.map((r) => ({
      id: r.id,
      name: r.name,
      kind: 'fit' as const,
      points: r.points,
      when: r.when,
      test: compileCondition(r.when),
    })),
    ...model.negative.flatMap((r) =>
      r.on === 'profile'
        ? [
            {
              id: r.id,
              name: r.name,
              kind: 'negative' as const,
              points: r.points,
              when: r.when,
              test: compileCondition(r.when),
            },
          ]
        : [],
    ),
  ];

  const groups: GroupDecay[] = [];
  const groupIndex = (name: string): number => {
    const i = groups.findIndex((g) => g.name === name);
    if (i >= 0) return i;
    const o = model.decay.groups?.[name];
    groups.push({
      name,
      halfLifeDays: (o && o.halfLifeDays !== undefined ? o.halfLifeDays : model.decay.halfLifeDays) ?? null,
      windowDays: (o && o.windowDays !== undefined ? o.windowDays : model.decay.windowDays) ?? null,
    });
    return groups.length - 1;
  };
  groupIndex('default');

  const activityRules: ActivityRule[] = [
    ...model.engagement.map((r) => compileActivityRule(r, 'engagement', groupIndex)),
    ...model.negative.flatMap((r) => (r.on === 'activity' ? [compileActivityRule(r, 'negative', groupIndex)] : [])),
  ];
  // Rule indexes per activity type, so each activity only meets the rules that can match it.
  const byType = new Map<string, number[]>();
  const matchOf = [
    ...model.engagement.map((r) => r.match),
    ...model.negative.flatMap((r) => (r.on === 'activity' ? [r.match] : [])),
  ];
  matchOf.forEach((m, i) => {
    for (const t of m.types) {
      const list = byType.get(t) ?? [];
      list.push(i);
      byType.set(t, list);
    }
  });

  const suppressEmails = new Set(
    model.suppression.emails.map((e) => normalizeEmail(e)).filter((e): e is string => !!e),
  );
  const suppressDomains = model.suppression.domains
    .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean);
  const suppressionRules = model.suppression.rules.map((r) => ({ ...r, test: compileCondition(r.when) }));

  const fitMins = [model.grades.fit.A, model.grades.fit.B, model.grades.fit.C];
  const engMins = [model.grades.engagement['1'], model.grades.engagement['2'], model.grades.engagement['3']];
  const bands: readonly SegmentBand[] = model.segments.bands;
  const lastBand = bands[bands.length - 1]!;
  const minFit = model.mql.minFitGrade ?? null;
  const inactivity = model.decay.inactivity ?? null;

  function suppression(ctx: LeadContext): { reason: string; entry: LedgerEntry } | null {
    const lead = ctx.lead;
    const note = (
      reason: string,
      ruleId: string | null,
      ruleName: string,
      field?: string,
      value?: string | null,
    ): { reason: string; entry: LedgerEntry } => ({
      reason,
      entry: {
        kind: 'suppression',
        ruleId,
        ruleName,
        points: 0,
        text: `Suppressed: ${reason}${field ? ` (${fieldLabel(field)}: ${value ?? 'blank'})` : ''}. Never hot, never MQL`,
        ...(field ? { field, value: value ?? null } : {}),
      },
    });
    if (lead.manual_suppression && lead.manual_suppression.trim()) {
      return note(`set by hand: ${lead.manual_suppression.trim()}`, null, 'Manual suppression');
    }
    const email = normalizeEmail(lead.email);
    if (email && suppressEmails.has(email))
      return note('email on the suppression list', null, 'Suppression list', 'email', email);
    if (email && suppressDomains.length) {
      const domain = (ctx.domain ??= email.slice(email.lastIndexOf('@') + 1) || null);
      if (domain) {
        for (const d of suppressDomains)
          if (domain === d || domain.endsWith(`.${d}`))
            return note('domain on the suppression list', null, 'Suppression list', 'email_domain', domain);
      }
    }
    for (const r of suppressionRules) {
      if (r.test(ctx)) {
        const ev = conditionEvidence(r.when, ctx);
        return note(r.reason?.trim() || r.name, r.id, r.name, ev?.field, ev?.value);
      }
    }
    return null;
  }

  function score(lead: Lead, activitiesIn: readonly Activity[], now: number, options?: ScoreOptions): ScoreResult {
    const ctx = leadContext(lead);
    const ledger: LedgerEntry[] = [];
    let fit = 0;
    for (const r of profileRules) {
      if (!r.test(ctx)) continue;
      const ev = conditionEvidence(r.when, ctx);
      fit += r.points;
      ledger.push({
        kind: r.kind,
        ruleId: r.id,
        ruleName: r.name,
        points: r.points,
        text: `${signed(r.points)} ${r.name}${ev ? ` (${fieldLabel(ev.field)}: ${ev.value ?? 'blank'})` : ''}`,
        ...(ev ? { field: ev.field, value: ev.value } : {}),
      });
    }

    // Activities in time order (the backend streams them sorted; sort a copy otherwise).
    let activities = activitiesIn;
    for (let i = 1; i < activities.length; i++) {
      if (activities[i]!.occurred_at < activities[i - 1]!.occurred_at) {
        activities = [...activitiesIn].sort((a, b) => a.occurred_at - b.occurred_at || a.id - b.id);
        break;
      }
    }

    const nRules = activityRules.length;
    const given = new Array<number>(nRules).fill(0);
    const fired = new Array<boolean>(nRules).fill(false);
    const seen: (Set<string> | undefined)[] = new Array(nRules);
    const windows: (Map<number, number> | undefined)[] = new Array(nRules);
    const nGroups = groups.length;
    const raw = new Array<number>(nGroups).fill(0);
    const decayed = new Array<number>(nGroups).fill(0);
    const lastInGroup = new Array<number>(nGroups).fill(-Infinity);
    const tooOld = new Array<number>(nGroups).fill(0);
    const cutoff = groups.map((g) => (g.windowDays === null ? -Infinity : now - g.windowDays * DAY_MS));
    let engagement = 0;
    let lastActivityAt: number | null = null;

    for (const a of activities) {
      if (lastActivityAt === null || a.occurred_at > lastActivityAt) lastActivityAt = a.occurred_at;
      const ruleIdx = byType.get(a.type);
      if (!ruleIdx) continue;
      let countedOld = -1;
      for (const i of ruleIdx) {
        const r = activityRules[i]!;
        if (r.first && fired[i]) continue;
        if (r.minDuration !== null && (a.duration_sec === null || a.duration_sec < r.minDuration)) continue;
        if (r.assetTest !== null && !r.assetTest(a.asset)) continue;
        if (a.occurred_at < cutoff[r.group]!) {
          if (countedOld !== r.group) tooOld[r.group]!++;
          countedOld = r.group;
          continue;
        }
        if (r.dedupe) {
          let s = seen[i];
          if (s === undefined) s = seen[i] = new Set<string>();
          if (s.has(a.asset)) continue;
          s.add(a.asset);
        }
        fired[i] = true;
        // Caps limit the size of the contribution, whatever its sign.
        let size = Math.abs(r.points);
        size = Math.min(size, r.cap - given[i]!);
        let bucket = 0;
        let inWindow = 0;
        if (r.windowMs > 0) {
          bucket = Math.floor(a.occurred_at / r.windowMs);
          let w = windows[i];
          if (w === undefined) w = windows[i] = new Map<number, number>();
          inWindow = w.get(bucket) ?? 0;
          size = Math.min(size, r.windowPoints - inWindow);
        }
        if (size <= 0) continue;
        given[i]! += size;
        if (r.windowMs > 0) windows[i]!.set(bucket, inWindow + size);
        const pts = r.points < 0 ? -size : size;
        engagement += pts;
        const g = r.group;
        raw[g]! += pts;
        const hl = groups[g]!.halfLifeDays;
        if (hl !== null) decayed[g]! += pts * Math.pow(0.5, Math.max(0, now - a.occurred_at) / (hl * DAY_MS));
        if (a.occurred_at > lastInGroup[g]!) lastInGroup[g] = a.occurred_at;
        const capped = size < Math.abs(r.points) ? ' (capped)' : '';
        ledger.push({
          kind: r.kind,
          ruleId: r.id,
          ruleName: r.name,
          points: pts,
          text: `${signed(pts)} ${describeActivity(a.type, a.asset, a.occurred_at)} (${r.name})${capped}`,
          activityId: a.id,
          at: a.occurred_at,
        });
      }
    }

    for (let g = 0; g < nGroups; g++) {
      const grp = groups[g]!;
      const label = grp.name === 'default' ? '' : ` [${grp.name}]`;
      if (tooOld[g]! > 0) {
        ledger.push({
          kind: 'window',
          ruleId: null,
          ruleName: `Time window${label}`,
          points: 0,
          text: `0 ${tooOld[g]} older ${tooOld[g] === 1 ? 'activity' : 'activities'} not counted (only the last ${grp.windowDays} days count)${label}`,
        });
      }
      if (grp.halfLifeDays === null || raw[g] === 0) continue;
      const kept = Math.round(decayed[g]!);
      const delta = kept - raw[g]!;
      if (delta === 0) continue;
      engagement += delta;
      ledger.push({
        kind: 'decay',
        ruleId: null,
        ruleName: `Decay${label}`,
        points: delta,
        text: `x${formatFactor(kept / raw[g]!)} decay: last activity ${daysBetween(lastInGroup[g]!, now)} days ago (half-life ${grp.halfLifeDays} days, ${signed(delta)})${label}`,
      });
    }

    if (inactivity) {
      const since = lastActivityAt ?? lead.created_at;
      const idle = daysBetween(since, now);
      if (idle >= inactivity.afterDays) {
        const times = inactivity.everyDays ? 1 + Math.floor((idle - inactivity.afterDays) / inactivity.everyDays) : 1;
        let size = Math.abs(inactivity.points) * times;
        if (inactivity.maxPoints != null) size = Math.min(size, inactivity.maxPoints);
        engagement -= size;
        const what =
          lastActivityAt === null
            ? `no activity since the lead was added ${idle} days ago`
            : `no activity for ${idle} days (last on ${formatDay(lastActivityAt)})`;
        ledger.push({
          kind: 'inactivity',
          ruleId: null,
          ruleName: 'Inactivity penalty',
          points: -size,
          text: `${signed(-size)} Inactivity: ${what}${times > 1 ? `, ${signed(inactivity.points)} x${times}` : ''}`,
        });
      }
    }

    let adjustment = 0;
    for (const adj of options?.adjustments ?? []) {
      adjustment += adj.points;
      ledger.push({
        kind: 'adjustment',
        ruleId: String(adj.id),
        ruleName: 'Manual adjustment',
        points: adj.points,
        text: `${signed(adj.points)} Manual adjustment${adj.by ? ` by ${adj.by}` : ''} on ${formatDay(adj.at)}: ${adj.reason}`,
        at: adj.at,
      });
    }

    const supp = suppression(ctx);
    if (supp) ledger.push(supp.entry);

    const total = fit + engagement + adjustment;
    const fitGrade = (['A', 'B', 'C', 'D'] as const)[bandIndex(fit, fitMins)]!;
    const engagementGrade = ([1, 2, 3, 4] as const)[bandIndex(engagement, engMins)]!;
    const grade = `${fitGrade}${engagementGrade}` as Grade;
    let band: SegmentBand = lastBand;
    if (!supp) {
      for (let i = 0; i < bands.length - 1; i++) {
        const b = bands[i]!;
        if (model.segments.basis === 'total' ? total >= (b.min ?? Infinity) : (b.grades ?? []).includes(grade)) {
          band = b;
          break;
        }
      }
    }
    const isMql = !supp && total >= model.mql.threshold && (minFit === null || fitGrade <= minFit);
    return {
      fit,
      engagement,
      adjustment,
      total,
      fitGrade,
      engagementGrade,
      grade,
      segment: band.key,
      segmentLabel: band.label,
      isMql,
      suppressedReason: supp ? supp.reason : null,
      lastActivityAt,
      ledger,
    };
  }

  return { model, applies: (lead) => (applies ? applies(leadContext(lead)) : true), score };
}

const compiledCache = new WeakMap<ScoringModel, CompiledModel>();

/**
 * Scores one lead under a model (plain or compiled; a plain model is compiled once and
 * cached). `now` is the scoring instant in epoch ms.
 */
export function scoreLead(
  model: ScoringModel | CompiledModel,
  lead: Lead,
  activities: readonly Activity[],
  now: number,
  options?: ScoreOptions,
): ScoreResult {
  let compiled: CompiledModel;
  if ('score' in model) compiled = model;
  else {
    compiled = compiledCache.get(model) ?? compileModel(model);
    compiledCache.set(model, compiled);
  }
  return compiled.score(lead, activities, now, options);
}
