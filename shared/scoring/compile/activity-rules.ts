/**
 * Engagement from activities: engagement rules and activity-based negative rules compiled
 * once (asset tests memoised, rules indexed by activity type), decay groups, and a scorer
 * that walks a lead's activities once, applying frequency, de-duplication, caps, window caps,
 * the time window and decay. Every contribution is a whole number.
 */
import type { Activity } from '../../domain';
import type { ActivityMatch, CountingOptions, InactivityPenalty, ScoringModel } from '../model';
import { daysBetween } from '../ledger';
import { OPERATORS, type Predicate } from '../operators';

export const DAY_MS = 86_400_000;

export type ActivityRule = Readonly<{
  id: string;
  name: string;
  kind: 'engagement' | 'negative';
  points: number;
  first: boolean;
  dedupe: boolean;
  cap: number;
  windowMs: number;
  windowPoints: number;
  group: number;
  minDuration: number | null;
  types: readonly string[];
  assetTest: ((asset: string) => boolean) | null;
}>;

export type DecayGroup = Readonly<{ name: string; halfLifeDays: number | null; windowDays: number | null }>;

/** Caches an asset test's verdicts: the same pages and PDFs repeat across a million rows. */
export function memoAssetTest(p: Predicate): (asset: string) => boolean {
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

/** The decay groups rules use, 'default' first; each group's settings override the model's. */
export class DecayGroups {
  readonly list: DecayGroup[] = [];
  constructor(private readonly decay: ScoringModel['decay']) {
    this.indexOf('default');
  }
  indexOf(name: string): number {
    const i = this.list.findIndex((g) => g.name === name);
    if (i >= 0) return i;
    const o = this.decay.groups?.[name];
    this.list.push({
      name,
      halfLifeDays: (o && o.halfLifeDays !== undefined ? o.halfLifeDays : this.decay.halfLifeDays) ?? null,
      windowDays: (o && o.windowDays !== undefined ? o.windowDays : this.decay.windowDays) ?? null,
    });
    return this.list.length - 1;
  }
}

export function compileActivityRule(
  r: Readonly<{ id: string; name: string; match: ActivityMatch; points: number }> & CountingOptions,
  kind: ActivityRule['kind'],
  groups: DecayGroups,
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
    group: groups.indexOf(r.group ?? 'default'),
    minDuration: r.match.minDurationSec ?? null,
    types: r.match.types,
    assetTest: asset ? memoAssetTest(OPERATORS[asset.op].compile(asset)) : null,
  };
}

/** Engagement rules, then negative rules on activities, in model order. */
export function compileActivityRules(model: ScoringModel, groups: DecayGroups): ActivityRule[] {
  return [
    ...model.engagement.map((r) => compileActivityRule(r, 'engagement', groups)),
    ...model.negative.flatMap((r) => (r.on === 'activity' ? [compileActivityRule(r, 'negative', groups)] : [])),
  ];
}

/** Rule indexes per activity type, so each activity only meets the rules that can match it. */
export function rulesByType(rules: readonly ActivityRule[]): Map<string, number[]> {
  const byType = new Map<string, number[]>();
  rules.forEach((r, i) => {
    for (const t of r.types) {
      const list = byType.get(t) ?? [];
      list.push(i);
      byType.set(t, list);
    }
  });
  return byType;
}

/** Activities in time order (the backend streams them sorted; sort a copy otherwise). */
export function inTimeOrder(activities: readonly Activity[]): readonly Activity[] {
  for (let i = 1; i < activities.length; i++) {
    if (activities[i]!.occurred_at < activities[i - 1]!.occurred_at)
      return [...activities].sort((a, b) => a.occurred_at - b.occurred_at || a.id - b.id);
  }
  return activities;
}

/** What the activity scorer records: kind 1 activity, 2 decay, 3 window (see CompactEntry). */
export type ActivityLedgerSink = (entry: (number | string | null)[]) => void;

export type ActivityScore = Readonly<{ engagement: number; lastActivityAt: number | null }>;

/**
 * A scorer for one model's activity rules. Its working state is allocated once and reset for
 * each lead (scoring is synchronous, so one set of buffers is enough).
 */
export function createActivityScorer(
  rules: readonly ActivityRule[],
  groups: readonly DecayGroup[],
): (activities: readonly Activity[], now: number, record: ActivityLedgerSink | null) => ActivityScore {
  const byType = rulesByType(rules);
  const nRules = rules.length;
  const nGroups = groups.length;
  const given = new Float64Array(nRules);
  const fired = new Uint8Array(nRules);
  const seen: Set<string>[] = rules.map(() => new Set<string>());
  const windows: Map<number, number>[] = rules.map(() => new Map<number, number>());
  // Rules whose set/map holds entries from the previous lead (cleared lazily).
  const dirty = new Uint8Array(nRules);
  const raw = new Float64Array(nGroups);
  const decayed = new Float64Array(nGroups);
  const lastInGroup = new Float64Array(nGroups);
  const tooOld = new Float64Array(nGroups);
  const cutoff = new Float64Array(nGroups);

  function reset(now: number): void {
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
  }

  /** Points one activity earns under rule i (0 when a condition or a cap stops it). */
  function award(i: number, a: Activity): number {
    const r = rules[i]!;
    if (r.dedupe) {
      const s = seen[i]!;
      dirty[i] = 1;
      if (s.has(a.asset)) return 0;
      s.add(a.asset);
    }
    fired[i] = 1;
    // Caps limit the size of the contribution, whatever its sign.
    let size = Math.min(Math.abs(r.points), r.cap - given[i]!);
    let bucket = 0;
    let inWindow = 0;
    if (r.windowMs > 0) {
      bucket = Math.floor(a.occurred_at / r.windowMs);
      dirty[i] = 1;
      inWindow = windows[i]!.get(bucket) ?? 0;
      size = Math.min(size, r.windowPoints - inWindow);
    }
    if (size <= 0) return 0;
    given[i]! += size;
    if (r.windowMs > 0) windows[i]!.set(bucket, inWindow + size);
    return r.points < 0 ? -size : size;
  }

  /** Rounds each group's decayed points; the difference is recorded as a decay entry. */
  function decayDeltas(record: ActivityLedgerSink | null): number {
    let delta = 0;
    for (let g = 0; g < nGroups; g++) {
      const grp = groups[g]!;
      if (tooOld[g]! > 0) record?.([3, g, 0, tooOld[g]!]);
      if (grp.halfLifeDays === null || raw[g] === 0) continue;
      const d = Math.round(decayed[g]!) - raw[g]!;
      if (d === 0) continue;
      delta += d;
      record?.([2, g, d, raw[g]!, lastInGroup[g]!]);
    }
    return delta;
  }

  return (activitiesIn, now, record) => {
    reset(now);
    let engagement = 0;
    let lastActivityAt: number | null = null;
    for (const a of inTimeOrder(activitiesIn)) {
      if (lastActivityAt === null || a.occurred_at > lastActivityAt) lastActivityAt = a.occurred_at;
      const ruleIdx = byType.get(a.type);
      if (!ruleIdx) continue;
      let countedOld = -1;
      for (const i of ruleIdx) {
        const r = rules[i]!;
        if (r.first && fired[i] === 1) continue;
        if (r.minDuration !== null && (a.duration_sec === null || a.duration_sec < r.minDuration)) continue;
        if (r.assetTest !== null && !r.assetTest(a.asset)) continue;
        if (a.occurred_at < cutoff[r.group]!) {
          if (countedOld !== r.group) tooOld[r.group]!++;
          countedOld = r.group;
          continue;
        }
        const pts = award(i, a);
        if (pts === 0) continue;
        engagement += pts;
        const g = r.group;
        raw[g]! += pts;
        const hl = groups[g]!.halfLifeDays;
        if (hl !== null) decayed[g]! += pts * Math.pow(0.5, Math.max(0, now - a.occurred_at) / (hl * DAY_MS));
        if (a.occurred_at > lastInGroup[g]!) lastInGroup[g] = a.occurred_at;
        record?.([1, i, pts, a.id, a.occurred_at]);
      }
    }
    engagement += decayDeltas(record);
    return { engagement, lastActivityAt };
  };
}

export type InactivityHit = Readonly<{ size: number; idle: number; times: number }>;

/** The inactivity penalty (a positive size) after `idle` days without activity, or null. */
export function inactivityPenalty(
  inactivity: InactivityPenalty | null,
  since: number,
  now: number,
): InactivityHit | null {
  if (!inactivity) return null;
  const idle = daysBetween(since, now);
  if (idle < inactivity.afterDays) return null;
  const times = inactivity.everyDays ? 1 + Math.floor((idle - inactivity.afterDays) / inactivity.everyDays) : 1;
  let size = Math.abs(inactivity.points) * times;
  if (inactivity.maxPoints != null) size = Math.min(size, inactivity.maxPoints);
  return { size, idle, times };
}
