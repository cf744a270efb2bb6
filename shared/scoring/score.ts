/**
 * Scoring one lead: compile a model once (conditions into closures, engagement rules indexed
 * by activity type, asset tests memoised), then score each lead in one pass over its
 * activities. Pure: time is the `now` argument, never a clock.
 *
 * The hot path records a compact ledger (numbers and rule indexes, no text); the plain-words
 * ledger is expanded from it on demand. The backend stores the compact form (a million
 * activities would otherwise mean hundreds of megabytes of prose) and expands it when a
 * lead is explained; scoreLead returns it expanded. Every contribution is a whole number,
 * decay deltas included, so the ledger sums exactly to the total.
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

export type ScoreOptions = Readonly<{
  adjustments?: readonly ScoreAdjustment[];
  /** false: skip the ledger (the compact form comes back empty), for previews that only count. */
  ledger?: boolean;
}>;

/**
 * One ledger entry in stored form: `[kind, index, points, ...refs]`.
 * kind 0 profile rule (index = fit/negative-profile rule), 1 activity rule (refs: activity
 * id, time), 2 decay (index = group; refs: raw points, last activity time), 3 window (refs:
 * activities left out), 4 inactivity (refs: idle days, times, last activity or null),
 * 5 adjustment (refs: adjustment id), 6 suppression (index = rule or -1; refs: reason,
 * source 0 by hand / 1 email list / 2 domain list / 3 rule).
 */
export type CompactEntry = readonly (number | string | null)[];

/** Everything about a score except the words. */
export type ScoreCore = Readonly<{
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
  /** The ledger in stored form (see expandLedger). */
  compact: readonly CompactEntry[];
}>;

/** The score of one lead under one model, with its ledger in plain words. */
export type ScoreResult = ScoreCore & Readonly<{ ledger: readonly LedgerEntry[] }>;

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
  readonly types: readonly string[];
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
  /**
   * The lead fields this model reads (standard keys, 'custom', 'tags'; always 'email',
   * 'stage', 'manual_suppression', 'created_at'), so a caller may load only those.
   */
  leadFields: ReadonlySet<keyof Lead>;
  /** Scores a lead without building the words (the fast path for rescoring). */
  scoreCore: (lead: Lead, activities: readonly Activity[], now: number, options?: ScoreOptions) => ScoreCore;
  /** Scores a lead with its ledger in plain words. */
  score: (lead: Lead, activities: readonly Activity[], now: number, options?: ScoreOptions) => ScoreResult;
  /**
   * Turns a stored ledger back into plain words. `activities` and `adjustments` are looked
   * up by id (entries whose activity is gone say so); `now` is when the score was computed.
   */
  expand: (
    compact: readonly CompactEntry[],
    lead: Lead,
    activities: readonly Activity[],
    adjustments: readonly ScoreAdjustment[],
    now: number,
  ) => LedgerEntry[];
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
    types: r.match.types,
    assetTest: asset ? memoAssetTest(OPERATORS[asset.op].compile(asset)) : null,
  };
}

function bandIndex(value: number, mins: readonly number[]): number {
  for (let i = 0; i < mins.length; i++) if (value >= mins[i]!) return i;
  return mins.length;
}

const FIT_LETTERS = ['A', 'B', 'C', 'D'] as const;
const ENGAGEMENT_NUMBERS = [1, 2, 3, 4] as const;

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
  activityRules.forEach((r, i) => {
    for (const t of r.types) {
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

  const leadFields = new Set<keyof Lead>(['id', 'uid', 'email', 'stage', 'manual_suppression', 'created_at']);
  const visit = (c: Condition): void => {
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else if (c.field.startsWith('custom.')) leadFields.add('custom');
    else if (c.field === 'seniority') leadFields.add('title');
    else if (c.field !== 'email_domain') leadFields.add(c.field as keyof Lead);
  };
  if (model.appliesTo) visit(model.appliesTo);
  for (const r of profileRules) visit(r.when);
  for (const r of model.suppression.rules) visit(r.when);

  const fitMins = [model.grades.fit.A, model.grades.fit.B, model.grades.fit.C];
  const engMins = [model.grades.engagement['1'], model.grades.engagement['2'], model.grades.engagement['3']];
  const bands: readonly SegmentBand[] = model.segments.bands;
  const lastBand = bands[bands.length - 1]!;
  const minFit = model.mql.minFitGrade ?? null;
  const inactivity = model.decay.inactivity ?? null;

  /** [reason, rule index or -1, source] or null. */
  function suppression(ctx: LeadContext): [string, number, number] | null {
    const lead = ctx.lead;
    if (lead.manual_suppression && lead.manual_suppression.trim()) return [lead.manual_suppression.trim(), -1, 0];
    if (suppressEmails.size || suppressDomains.length) {
      const email = normalizeEmail(lead.email);
      if (email && suppressEmails.has(email)) return ['email on the suppression list', -1, 1];
      if (email && suppressDomains.length) {
        const domain = email.slice(email.lastIndexOf('@') + 1);
        for (const d of suppressDomains)
          if (domain === d || domain.endsWith(`.${d}`)) return ['domain on the suppression list', -1, 2];
      }
    }
    for (let i = 0; i < suppressionRules.length; i++) {
      const r = suppressionRules[i]!;
      if (r.test(ctx)) return [r.reason?.trim() || r.name, i, 3];
    }
    return null;
  }

  // Per-lead working state, allocated once per compiled model and reset for each lead
  // (scoring is synchronous, so one set of buffers is enough).
  const nRules = activityRules.length;
  const nGroups = groups.length;
  const given = new Float64Array(nRules);
  const fired = new Uint8Array(nRules);
  const seen: Set<string>[] = activityRules.map(() => new Set<string>());
  const windows: Map<number, number>[] = activityRules.map(() => new Map<number, number>());
  // Rules whose set/map holds entries from the previous lead (cleared lazily).
  const dirty = new Uint8Array(nRules);
  const raw = new Float64Array(nGroups);
  const decayed = new Float64Array(nGroups);
  const lastInGroup = new Float64Array(nGroups);
  const tooOld = new Float64Array(nGroups);
  const cutoff = new Float64Array(nGroups);

  function scoreCore(lead: Lead, activitiesIn: readonly Activity[], now: number, options?: ScoreOptions): ScoreCore {
    const ctx = leadContext(lead);
    const compact: CompactEntry[] = [];
    const keep = options?.ledger !== false;
    let fit = 0;
    for (let i = 0; i < profileRules.length; i++) {
      const r = profileRules[i]!;
      if (!r.test(ctx)) continue;
      fit += r.points;
      if (keep) compact.push([0, i, r.points]);
    }

    // Activities in time order (the backend streams them sorted; sort a copy otherwise).
    let activities = activitiesIn;
    for (let i = 1; i < activities.length; i++) {
      if (activities[i]!.occurred_at < activities[i - 1]!.occurred_at) {
        activities = [...activitiesIn].sort((a, b) => a.occurred_at - b.occurred_at || a.id - b.id);
        break;
      }
    }

    given.fill(0);
    fired.fill(0);
    for (let i = 0; i < nRules; i++) {
      if (dirty[i] === 1) {
        seen[i]!.clear();
        windows[i]!.clear();
        dirty[i] = 0;
      }
    }
    raw.fill(0);
    decayed.fill(0);
    lastInGroup.fill(-Infinity);
    tooOld.fill(0);
    for (let g = 0; g < nGroups; g++) {
      const w = groups[g]!.windowDays;
      cutoff[g] = w === null ? -Infinity : now - w * DAY_MS;
    }
    let engagement = 0;
    let lastActivityAt: number | null = null;

    for (const a of activities) {
      if (lastActivityAt === null || a.occurred_at > lastActivityAt) lastActivityAt = a.occurred_at;
      const ruleIdx = byType.get(a.type);
      if (!ruleIdx) continue;
      let countedOld = -1;
      for (const i of ruleIdx) {
        const r = activityRules[i]!;
        if (r.first && fired[i] === 1) continue;
        if (r.minDuration !== null && (a.duration_sec === null || a.duration_sec < r.minDuration)) continue;
        if (r.assetTest !== null && !r.assetTest(a.asset)) continue;
        if (a.occurred_at < cutoff[r.group]!) {
          if (countedOld !== r.group) tooOld[r.group]!++;
          countedOld = r.group;
          continue;
        }
        if (r.dedupe) {
          const s = seen[i]!;
          dirty[i] = 1;
          if (s.has(a.asset)) continue;
          s.add(a.asset);
        }
        fired[i] = 1;
        // Caps limit the size of the contribution, whatever its sign.
        let size = Math.min(Math.abs(r.points), r.cap - given[i]!);
        let bucket = 0;
        let inWindow = 0;
        if (r.windowMs > 0) {
          bucket = Math.floor(a.occurred_at / r.windowMs);
          const w = windows[i]!;
          dirty[i] = 1;
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
        if (keep) compact.push([1, i, pts, a.id, a.occurred_at]);
      }
    }

    for (let g = 0; g < nGroups; g++) {
      const grp = groups[g]!;
      if (tooOld[g]! > 0 && keep) compact.push([3, g, 0, tooOld[g]!]);
      if (grp.halfLifeDays === null || raw[g] === 0) continue;
      const delta = Math.round(decayed[g]!) - raw[g]!;
      if (delta === 0) continue;
      engagement += delta;
      if (keep) compact.push([2, g, delta, raw[g]!, lastInGroup[g]!]);
    }

    if (inactivity) {
      const idle = daysBetween(lastActivityAt ?? lead.created_at, now);
      if (idle >= inactivity.afterDays) {
        const times = inactivity.everyDays ? 1 + Math.floor((idle - inactivity.afterDays) / inactivity.everyDays) : 1;
        let size = Math.abs(inactivity.points) * times;
        if (inactivity.maxPoints != null) size = Math.min(size, inactivity.maxPoints);
        engagement -= size;
        if (keep) compact.push([4, -1, -size, idle, times, lastActivityAt]);
      }
    }

    let adjustment = 0;
    for (const adj of options?.adjustments ?? []) {
      adjustment += adj.points;
      if (keep) compact.push([5, -1, adj.points, adj.id]);
    }

    const supp = suppression(ctx);
    if (supp && keep) compact.push([6, supp[1], 0, supp[0], supp[2]]);

    const total = fit + engagement + adjustment;
    const fitGrade = FIT_LETTERS[bandIndex(fit, fitMins)]!;
    const engagementGrade = ENGAGEMENT_NUMBERS[bandIndex(engagement, engMins)]!;
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
      suppressedReason: supp ? supp[0] : null,
      lastActivityAt,
      compact,
    };
  }

  function expand(
    compact: readonly CompactEntry[],
    lead: Lead,
    activities: readonly Activity[],
    adjustments: readonly ScoreAdjustment[],
    now: number,
  ): LedgerEntry[] {
    const ctx = leadContext(lead);
    const wanted = new Set<number>();
    for (const e of compact) if (e[0] === 1) wanted.add(e[3] as number);
    const byId = new Map<number, Activity>();
    if (wanted.size) for (const a of activities) if (wanted.has(a.id)) byId.set(a.id, a);
    const out: LedgerEntry[] = [];
    for (const e of compact) {
      const [kind, index, points] = e as [number, number, number];
      switch (kind) {
        case 0: {
          const r = profileRules[index];
          if (!r) break;
          const ev = r.test(ctx) ? conditionEvidence(r.when, ctx) : null;
          out.push({
            kind: r.kind,
            ruleId: r.id,
            ruleName: r.name,
            points,
            text: `${signed(points)} ${r.name}${ev ? ` (${fieldLabel(ev.field)}: ${ev.value ?? 'blank'})` : ''}`,
            ...(ev ? { field: ev.field, value: ev.value } : {}),
          });
          break;
        }
        case 1: {
          const r = activityRules[index];
          if (!r) break;
          const id = e[3] as number;
          const at = e[4] as number;
          const a = byId.get(id);
          const what = a
            ? describeActivity(a.type, a.asset, a.occurred_at)
            : `Activity #${id} on ${formatDay(at)} (no longer in the workspace)`;
          const capped = Math.abs(points) < Math.abs(r.points) ? ' (capped)' : '';
          out.push({
            kind: r.kind,
            ruleId: r.id,
            ruleName: r.name,
            points,
            text: `${signed(points)} ${what} (${r.name})${capped}`,
            activityId: id,
            at,
          });
          break;
        }
        case 2: {
          const grp = groups[index];
          if (!grp) break;
          const rawPts = e[3] as number;
          const label = grp.name === 'default' ? '' : ` [${grp.name}]`;
          out.push({
            kind: 'decay',
            ruleId: null,
            ruleName: `Decay${label}`,
            points,
            text: `x${formatFactor((rawPts + points) / rawPts)} decay: last activity ${daysBetween(e[4] as number, now)} days ago (half-life ${grp.halfLifeDays} days, ${signed(points)})${label}`,
          });
          break;
        }
        case 3: {
          const grp = groups[index];
          if (!grp) break;
          const n = e[3] as number;
          const label = grp.name === 'default' ? '' : ` [${grp.name}]`;
          out.push({
            kind: 'window',
            ruleId: null,
            ruleName: `Time window${label}`,
            points: 0,
            text: `0 ${n} older ${n === 1 ? 'activity' : 'activities'} not counted (only the last ${grp.windowDays} days count)${label}`,
          });
          break;
        }
        case 4: {
          const idle = e[3] as number;
          const times = e[4] as number;
          const last = e[5] as number | null;
          const what =
            last === null
              ? `no activity since the lead was added ${idle} days ago`
              : `no activity for ${idle} days (last on ${formatDay(last)})`;
          out.push({
            kind: 'inactivity',
            ruleId: null,
            ruleName: 'Inactivity penalty',
            points,
            text: `${signed(points)} Inactivity: ${what}${times > 1 && inactivity ? `, ${signed(inactivity.points)} x${times}` : ''}`,
          });
          break;
        }
        case 5: {
          const adj = adjustments.find((x) => String(x.id) === String(e[3]));
          out.push({
            kind: 'adjustment',
            ruleId: String(e[3]),
            ruleName: 'Manual adjustment',
            points,
            text: adj
              ? `${signed(points)} Manual adjustment${adj.by ? ` by ${adj.by}` : ''} on ${formatDay(adj.at)}: ${adj.reason}`
              : `${signed(points)} Manual adjustment`,
            ...(adj ? { at: adj.at } : {}),
          });
          break;
        }
        case 6: {
          const reason = String(e[3]);
          const source = e[4] as number;
          const rule = source === 3 ? suppressionRules[index] : undefined;
          let field: string | undefined;
          let value: string | null = null;
          if (rule) {
            const ev = rule.test(ctx) ? conditionEvidence(rule.when, ctx) : null;
            if (ev) ({ field, value } = ev);
          } else if (source === 1) {
            field = 'email';
            value = normalizeEmail(lead.email);
          } else if (source === 2) {
            field = 'email_domain';
            value = normalizeEmail(lead.email)?.split('@').pop() ?? null;
          }
          const why = source === 0 ? `set by hand: ${reason}` : reason;
          out.push({
            kind: 'suppression',
            ruleId: rule?.id ?? null,
            ruleName: rule?.name ?? (source === 0 ? 'Manual suppression' : 'Suppression list'),
            points: 0,
            text: `Suppressed: ${why}${field ? ` (${fieldLabel(field)}: ${value ?? 'blank'})` : ''}. Never hot, never MQL`,
            ...(field ? { field, value } : {}),
          });
          break;
        }
      }
    }
    return out;
  }

  return {
    model,
    applies: (lead) => (applies ? applies(leadContext(lead)) : true),
    leadFields,
    scoreCore,
    score: (lead, activities, now, options) => {
      const core = scoreCore(lead, activities, now, options);
      return { ...core, ledger: expand(core.compact, lead, activities, options?.adjustments ?? [], now) };
    },
    expand,
  };
}

const compiledCache = new WeakMap<ScoringModel, CompiledModel>();

/** The compiled form of a model (compiled once per model object and cached). */
export function compiled(model: ScoringModel | CompiledModel): CompiledModel {
  if ('score' in model) return model;
  let c = compiledCache.get(model);
  if (!c) {
    c = compileModel(model);
    compiledCache.set(model, c);
  }
  return c;
}

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
  return compiled(model).score(lead, activities, now, options);
}
