/**
 * Scoring handlers: models (list, edit as a draft, validate, preview, publish, versions,
 * restore, import/export as JSON files, primary), rescoring as a cancellable job, a lead's
 * explanation (ledger in plain words, history, adjustments) and manual adjustments.
 *
 * Model definitions cross as plain JSON (`definition: unknown`): the editor may hold an
 * unfinished model, and the backend answers with readable validation issues instead of a
 * schema error.
 */
import { z } from 'zod';
import type { AccessOf } from './core';
import type { Grade, LedgerSummary, ModelIssue, ScoringModel } from '../scoring';

const id = z.number().int().positive();
const definition = z.unknown().refine((v) => v !== undefined, { message: 'definition is required' });
const filePath = z.string().min(1).max(4096);

export type ModelSummary = Readonly<{
  id: number;
  name: string;
  description: string | null;
  isPrimary: boolean;
  /** The version leads are scored with; null while the model was never published. */
  publishedVersion: number | null;
  versionCount: number;
  hasDraft: boolean;
  /** Leads this model currently scores (rows in lead_scores). */
  scoredLeads: number;
  updatedAt: number;
}>;

export type ModelDetail = ModelSummary &
  Readonly<{
    /** The published definition (null when never published). */
    published: ScoringModel | null;
    /** The draft as saved by the editor (may be invalid), or null when there is no draft. */
    draft: unknown;
    /** Validation issues of the draft (empty when valid or when there is no draft). */
    draftIssues: readonly ModelIssue[];
  }>;

export type ModelValidationResult = Readonly<{ ok: boolean; issues: readonly ModelIssue[] }>;

export type ModelVersionInfo = Readonly<{
  version: number;
  note: string | null;
  publishedAt: number;
  isCurrent: boolean;
  definition: ScoringModel;
}>;

/** One cell of a from -> to matrix; `from` null = the lead had no score under this model. */
export type PreviewCell<T extends string> = Readonly<{ from: T | null; to: T | null; count: number }>;

export type PreviewExample = Readonly<{
  leadId: number;
  uid: string;
  name: string;
  email: string | null;
  company: string | null;
  fromTotal: number | null;
  toTotal: number | null;
  fromSegment: string | null;
  toSegment: string | null;
  fromGrade: string | null;
  toGrade: string | null;
  fromMql: boolean;
  toMql: boolean;
}>;

export type ModelPreview = Readonly<{
  modelId: number;
  /**
   * The model whose stored scores are the "today" side: the previewed model once it has been
   * published, else the primary model (what the leads show now); null when neither has scores.
   */
  comparedWith: Readonly<{ modelId: number; name: string }> | null;
  /** Leads scored for the preview (frozen leads are left out: publishing does not move them). */
  leadsConsidered: number;
  leadsFrozen: number;
  /** Leads whose total, grade, segment or MQL flag would change. */
  leadsChanged: number;
  segmentKeys: readonly string[];
  segmentMatrix: readonly PreviewCell<string>[];
  gradeMatrix: readonly PreviewCell<Grade>[];
  mqlBefore: number;
  mqlAfter: number;
  /** Leads that change, biggest total change first. */
  examples: readonly PreviewExample[];
  durationMs: number;
}>;

export type PublishResult = Readonly<{ modelId: number; version: number; jobId: string }>;

export type RescoreStarted = Readonly<{ jobId: string }>;

/** Result of a finished full rescore (also in the final job-progress event's totals). */
export type RescoreOutcome = Readonly<{
  /** Leads scored: open leads and leads that arrived closed (from an import's outcome column). */
  scored: number;
  /** Of `scored`, leads in a closed stage that arrived closed: they follow the published model. */
  arrivedClosed: number;
  /** Leads closed in this workspace, whose score stays as they closed with. */
  frozen: number;
  /** Leads whose score under the primary model changed what the user sees (a score history entry). */
  changed: number;
  /**
   * The same, for every model scored (the primary included, as `changed`), in the order the
   * models list: publishing a model that is not primary moves only its own scores.
   */
  changedByModel: readonly Readonly<{ modelId: number; changed: number }>[];
  durationMs: number;
}>;

/** One past score of a lead (score history): the summary of a LeadModelScore without its ledger. */
export type ScoreHistoryPoint = Pick<
  LeadModelScore,
  'modelId' | 'modelVersion' | 'total' | 'fit' | 'engagement' | 'grade' | 'segment' | 'isMql' | 'scoredAt'
>;

export type ScoreAdjustmentInfo = Readonly<{
  id: number;
  points: number;
  reason: string;
  actor: string | null;
  createdAt: number;
}>;

/** A lead's stored score under one model: the ledger's summary and which model it is. */
export type LeadModelScore = LedgerSummary &
  Readonly<{
    modelId: number;
    modelName: string;
    modelVersion: number;
    isPrimary: boolean;
    scoredAt: number;
  }>;

export type LeadExplanation = Readonly<{
  leadId: number;
  /** The requested model's score (primary by default); null when no model scores the lead. */
  score: LeadModelScore | null;
  /** Every model's score of this lead, primary first. */
  models: readonly LeadModelScore[];
  /**
   * True when the lead was closed in this workspace: its score is frozen until rescored
   * explicitly. A lead that arrived closed (from an import's outcome column) is not frozen.
   */
  frozen: boolean;
  /** The ledger in plain words (same text as `leadbench explain`). */
  text: string;
  history: readonly ScoreHistoryPoint[];
  adjustments: readonly ScoreAdjustmentInfo[];
}>;

export type LeadRescoreResult = Readonly<{ scored: number; frozen: number; changed: number }>;

export type ModelImportResult = Readonly<{ model: ModelDetail; issues: readonly ModelIssue[] }>;

export type ModelExportResult = Readonly<{ path: string; bytes: number; version: number | null }>;

/** How many leads one rule with a condition matches now. */
export type RuleMatchCount = Readonly<{
  /** Where the rule is in the model JSON (['fit', 2], ['suppression', 'rules', 0]). */
  path: readonly (string | number)[];
  ruleId: string;
  name: string;
  /** The condition in plain words ("Total Time Spent on Website ≥ 1000"). */
  condition: string;
  matches: number;
}>;

/**
 * A problem of a model in this workspace. Errors make the CLI refuse a model file; the editor
 * shows every problem as a warning beside its rule.
 */
export type ModelCheckProblem = ModelIssue & Readonly<{ severity: 'error' | 'warning' }>;

/**
 * A model checked against the workspace: per-rule match counts and its problems there (a
 * field the workspace lacks, an unknown key, a value no lead has). An invalid model has only
 * its validation issues as problems (errors) and no counts.
 */
export type ModelCheck = Readonly<{
  leads: number;
  rules: readonly RuleMatchCount[];
  problems: readonly ModelCheckProblem[];
}>;

export const scoringArgs = {
  'models-list': z.object({}).strict(),
  'model-get': z.object({ modelId: id }).strict(),
  /** A new model as a draft (not scoring until published), from the default model or a copy. */
  'model-create': z.object({ name: z.string().trim().min(1).max(200), copyOf: id.optional() }).strict(),
  'model-delete': z.object({ modelId: id }).strict(),
  'model-validate': z.object({ definition }).strict(),
  /** Checks a model against the workspace: rules' match counts now, fields and values it lacks, unknown keys. */
  'model-check': z.object({ definition }).strict(),
  /** Saves the editor's draft (even when invalid); answers its validation issues. */
  'model-save-draft': z.object({ modelId: id, definition }).strict(),
  'model-discard-draft': z.object({ modelId: id }).strict(),
  /** Scores the workspace with the draft (or `definition`) without writing anything. */
  'model-preview': z
    .object({
      modelId: id,
      definition: z.unknown().optional(),
      exampleLimit: z.number().int().min(0).max(200).optional(),
      jobId: z.string().min(1).max(100).optional(),
    })
    .strict(),
  /** Publishes the draft (or `definition`) as a new version, then starts a full rescore job. */
  'model-publish': z
    .object({ modelId: id, note: z.string().max(2000).optional(), definition: z.unknown().optional() })
    .strict(),
  'model-versions': z.object({ modelId: id }).strict(),
  /** Publishes an earlier version again as a new version, then starts a full rescore job. */
  'model-restore': z
    .object({ modelId: id, version: z.number().int().positive(), note: z.string().max(2000).optional() })
    .strict(),
  /** Reads a model JSON file into a model's draft, or into a new model when modelId is absent. */
  'model-import-json': z.object({ path: filePath, modelId: id.optional() }).strict(),
  /** Writes a model (published version by default, or `version`, or `draft`) to a JSON file. */
  'model-export-json': z
    .object({
      modelId: id,
      path: filePath,
      version: z.number().int().positive().optional(),
      draft: z.boolean().optional(),
    })
    .strict(),
  'model-set-primary': z.object({ modelId: id }).strict(),
  /** Full rescore of every lead under every published model, as a job; closed leads stay frozen unless includeClosed. */
  'scores-rescore': z.object({ includeClosed: z.boolean().optional() }).strict(),
  /** Rescores the given leads now (an explicit rescore: frozen leads are rescored too unless includeClosed is false). */
  'leads-rescore': z
    .object({ leadIds: z.array(id).min(1).max(100_000), includeClosed: z.boolean().optional() })
    .strict(),
  'lead-explain': z.object({ leadId: id, modelId: id.optional() }).strict(),
  /** Adds a signed manual adjustment with a reason; the lead is rescored at once. */
  'score-adjust': z
    .object({
      leadId: id,
      points: z
        .number()
        .int({ message: 'points must be a whole number' })
        .refine((p) => p !== 0, { message: 'points must not be 0' })
        .refine((p) => Math.abs(p) <= 10_000, { message: 'points must be between -10000 and 10000' }),
      reason: z.string().trim().min(1, { message: 'a reason is required' }).max(500),
      actor: z.string().max(200).optional(),
    })
    .strict(),
  'score-adjustment-delete': z.object({ adjustmentId: id }).strict(),
} as const;

/** Whether each handler reads or writes the workspace (core.ts: HandlerAccess). */
export const scoringAccess = {
  'models-list': 'read',
  'model-get': 'read',
  'model-create': 'write',
  'model-delete': 'write',
  'model-validate': 'read',
  'model-check': 'read',
  'model-save-draft': 'write',
  'model-discard-draft': 'write',
  'model-preview': 'read', // stages scores in TEMP tables of its own connection only
  'model-publish': 'write',
  'model-versions': 'read',
  'model-restore': 'write',
  'model-import-json': 'write',
  'model-export-json': 'read', // writes a file, not the workspace
  'model-set-primary': 'write',
  'scores-rescore': 'write',
  'leads-rescore': 'write',
  'lead-explain': 'read',
  'score-adjust': 'write',
  'score-adjustment-delete': 'write',
} as const satisfies AccessOf<typeof scoringArgs>;

export type ScoringResults = {
  'models-list': readonly ModelSummary[];
  'model-get': ModelDetail;
  'model-create': ModelDetail;
  'model-delete': readonly ModelSummary[];
  'model-validate': ModelValidationResult;
  'model-check': ModelCheck;
  'model-save-draft': ModelValidationResult;
  'model-discard-draft': ModelDetail;
  'model-preview': ModelPreview;
  'model-publish': PublishResult;
  'model-versions': readonly ModelVersionInfo[];
  'model-restore': PublishResult;
  'model-import-json': ModelImportResult;
  'model-export-json': ModelExportResult;
  'model-set-primary': readonly ModelSummary[];
  'scores-rescore': RescoreStarted;
  'leads-rescore': LeadRescoreResult;
  'lead-explain': LeadExplanation;
  'score-adjust': LeadExplanation;
  'score-adjustment-delete': LeadExplanation;
};

export type ScoringEvents = {
  /** A full rescore finished (or failed/cancelled, with `error`). */
  'rescore-finished': Readonly<{ jobId: string; outcome: RescoreOutcome | null; error: string | null }>;
};
