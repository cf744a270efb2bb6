/**
 * Outcome handlers: learning a model from the won and lost leads ("Suggest a model from
 * outcomes"), model health over the closed leads (Reports > Model, `leadbench report
 * model`) and a draft's backtest against outcomes. Learning and health run as jobs with
 * progress and cancel (kind 'learn').
 */
import { z } from 'zod';
import type { AccessOf } from './core';
import type { ModelHealth, RuleHealth } from '../learn/health';
import type { FieldVerdict, RuleReason } from '../learn/learn';
import type { Auc } from '../learn/stats';
import type { ScoringModel } from '../scoring';

const id = z.number().int().positive();
const fieldList = z.array(z.string().trim().min(1).max(1000)).max(1000);

export type LearnReport = Readonly<{
  model: ScoringModel;
  reasons: readonly RuleReason[];
  fields: readonly FieldVerdict[];
  closedLeads: number;
  trainLeads: number;
  trainWon: number;
  heldOutLeads: number;
  /** The suggestion's AUC on the held-out leads (never on the leads it was fitted on). */
  suggestedAuc: Auc;
  /** The current primary model's AUC on the same held-out leads. */
  currentAuc: Auc;
  currentModel: Readonly<{ name: string; version: number }> | null;
  /** Verdicts on the current model's rules, over the held-out leads. */
  currentRules: readonly RuleHealth[];
  /** True when the suggestion's AUC interval is wider than 0.15: too few held-out leads to be sure. */
  intervalWide: boolean;
  pointsPerLogit: number;
  rankAgreement: number;
  /** Plain sentences: what was learned, how sure it is, what was left out. */
  summary: readonly string[];
  durationMs: number;
}>;

export type ModelHealthReport = Readonly<{
  modelName: string;
  /** The published version measured, or null for a draft or a file. */
  version: number | null;
  from: number | null;
  to: number | null;
  health: ModelHealth;
  segmentLabels: Readonly<Record<string, string>>;
}>;

/** How the primary model's scores sit on the leads ("the model doesn't fit the data"). */
export type ModelFit = Readonly<{
  modelId: number | null;
  modelName: string | null;
  /**
   * Leads the verdict counts: every lead but those closed in this workspace whose frozen
   * score is not of the primary model's published version (an older model or version gave
   * it: it says nothing about this one). Leads that arrived closed are counted.
   */
  leads: number;
  /** Leads left out of `leads`: closed here, frozen with an older model's or version's score. */
  frozenOlder: number;
  /** Leads the primary model gives 0 points (or no score at all), among `leads`. */
  atZero: number;
  shareAtZero: number;
  /** True when shareAtZero >= 0.95: the fields the model uses are absent or empty. */
  misfit: boolean;
  closedLeads: number;
  /** Enough won and lost leads to learn a model from outcomes. */
  canLearn: boolean;
}>;

export const outcomesArgs = {
  /** The share of leads the primary model leaves at 0 points, and whether learning is possible. */
  'model-fit': z.object({}).strict(),
  /** Creates a draft model whose fit rules are the workspace's columns and common values, at 0 points. */
  'model-start-from-columns': z.object({}).strict(),
  /** Learns a suggested model from the closed leads (nothing is saved). */
  'model-learn': z
    .object({
      exclude: fieldList.optional(),
      keep: fieldList.optional(),
      holdout: z.number().min(0.1).max(0.9).optional(),
      jobId: z.string().min(1).max(100).optional(),
    })
    .strict(),
  /** Model health of a published model (primary by default) or of a given definition, over closed leads. */
  'report-model': z
    .object({
      modelId: id.optional(),
      definition: z.unknown().optional(),
      from: z.number().int().optional(),
      to: z.number().int().optional(),
      jobId: z.string().min(1).max(100).optional(),
    })
    .strict(),
} as const;

/** Whether each handler reads or writes the workspace (core.ts: HandlerAccess). */
export const outcomesAccess = {
  'model-fit': 'read',
  'model-start-from-columns': 'write',
  'model-learn': 'read',
  'report-model': 'read',
} as const satisfies AccessOf<typeof outcomesArgs>;

export type OutcomesResults = {
  'model-fit': ModelFit;
  'model-start-from-columns': Readonly<{ modelId: number; rules: number }>;
  'model-learn': LearnReport;
  'report-model': ModelHealthReport;
};
