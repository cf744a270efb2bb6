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
import type { Activity, Lead } from '../domain';
import { compileActivityRules, createActivityScorer, DecayGroups, inactivityPenalty } from './compile/activity-rules';
import { expandLedger, type CompactEntry, type LedgerParts, type ScoreAdjustment } from './compile/expand';
import { compileFieldRules, modelDecays, scoreFieldRules } from './compile/field-rules';
import { modelLeadFields } from './compile/lead-fields';
import { compilePlacement } from './compile/placement';
import { compileProfileRules, scoreProfile } from './compile/profile-rules';
import { compileSuppression } from './compile/suppression';
import { compileCondition, leadContext } from './conditions';
import type { LedgerEntry } from './ledger';
import type { EngagementGrade, FitGrade, Grade, ScoringModel } from './model';

export type { CompactEntry, ScoreAdjustment } from './compile/expand';

export type ScoreOptions = Readonly<{
  adjustments?: readonly ScoreAdjustment[];
  /** false: skip the ledger (the compact form comes back empty), for previews that only count. */
  ledger?: boolean;
}>;

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

/** A model prepared for scoring many leads; build it once with compileModel. */
export type CompiledModel = Readonly<{
  model: ScoringModel;
  /** Whether the model scores this lead (its applicability condition) at `now` (epoch ms). */
  applies: (lead: Lead, now?: number) => boolean;
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

/**
 * Prepares a model for fast scoring. Compile once per model version, score many leads.
 * A lead's score is its profile points (fit), its activity points (engagement, with decay
 * and the inactivity penalty), manual adjustments, then grades, segment and MQL flag.
 */
export function compileModel(model: ScoringModel): CompiledModel {
  const applies = model.appliesTo ? compileCondition(model.appliesTo) : null;
  const profileRules = compileProfileRules(model);
  const groups = new DecayGroups(model.decay);
  const activityRules = compileActivityRules(model, groups);
  const scoreActivities = createActivityScorer(activityRules, groups.list);
  const fieldRules = compileFieldRules(model);
  const suppression = compileSuppression(model);
  const place = compilePlacement(model);
  const inactivity = model.decay.inactivity ?? null;
  const parts: LedgerParts = {
    profileRules,
    activityRules,
    groups: groups.list,
    fieldRules,
    decays: modelDecays(model),
    suppressionRules: suppression.rules,
    inactivity,
  };

  function scoreCore(lead: Lead, activities: readonly Activity[], now: number, options?: ScoreOptions): ScoreCore {
    const ctx = leadContext(lead, now);
    const compact: CompactEntry[] = [];
    const record = options?.ledger !== false ? (e: (number | string | null)[]) => compact.push(e) : null;

    const fit = scoreProfile(profileRules, ctx, record && ((i, points) => record([0, i, points])));
    const acts = scoreActivities(activities, now, record);
    let engagement = acts.engagement;
    // Engagement a lead field measures (time on site): no date, so outside decay and windows.
    engagement += scoreFieldRules(fieldRules, ctx, record && ((i, points, value) => record([7, i, points, value])));
    const idle = inactivityPenalty(inactivity, acts.lastActivityAt ?? lead.created_at, now);
    if (idle) {
      engagement -= idle.size;
      record?.([4, -1, -idle.size, idle.idle, idle.times, acts.lastActivityAt]);
    }
    let adjustment = 0;
    for (const adj of options?.adjustments ?? []) {
      adjustment += adj.points;
      record?.([5, -1, adj.points, adj.id]);
    }
    const supp = suppression.check(ctx);
    if (supp) record?.([6, supp[1], 0, supp[0], supp[2]]);

    const total = fit + engagement + adjustment;
    const p = place(fit, engagement, total, supp !== null);
    return {
      fit,
      engagement,
      adjustment,
      total,
      fitGrade: p.fitGrade,
      engagementGrade: p.engagementGrade,
      grade: p.grade,
      segment: p.band.key,
      segmentLabel: p.band.label,
      isMql: p.isMql,
      suppressedReason: supp ? supp[0] : null,
      lastActivityAt: acts.lastActivityAt,
      compact,
    };
  }

  const expand: CompiledModel['expand'] = (compact, lead, activities, adjustments, now) =>
    expandLedger(parts, compact, lead, activities, adjustments, now);

  return {
    model,
    applies: (lead, now) => (applies ? applies(leadContext(lead, now)) : true),
    leadFields: modelLeadFields(model),
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
