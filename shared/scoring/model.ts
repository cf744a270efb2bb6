/**
 * The scoring model as data: its TypeScript shape and the zod schema that validates a model
 * read from JSON (the editor, an imported file, the CLI). Validation errors name the rule,
 * the field and the reason ("engagement rule 'Pricing page' (#3): points must be a number"),
 * because the person reading them is a marketer, not a developer.
 */
import { z } from 'zod';
import { ACTIVITY_TYPES, LEAD_FIELDS, isActivityTypeKey, type ActivityTypeKey } from '../domain';
import { OPERATOR_NAMES, OPERATORS, operandProblem, type OperatorName } from './operators';

/** The model JSON format version this code reads and writes. */
export const MODEL_SCHEMA_VERSION = 1;

/** Fields a condition can test besides the standard lead fields and `custom.<column>`. */
export const DERIVED_FIELDS = [
  { key: 'email_domain', label: 'Email domain' },
  { key: 'seniority', label: 'Seniority' },
  { key: 'stage', label: 'Stage' },
  { key: 'tags', label: 'Tags' },
] as const;

/** A test on one lead field: `{ field: 'title', op: 'contains', value: 'chief' }`. */
export type FieldCondition = Readonly<{
  field: string;
  op: OperatorName;
  value?: string | number;
  values?: readonly (string | number)[];
  min?: number | null;
  max?: number | null;
  caseSensitive?: boolean;
}>;

/** A field test, or an AND (`all`) / OR (`any`) group of conditions. */
export type Condition =
  FieldCondition | Readonly<{ all: readonly Condition[] }> | Readonly<{ any: readonly Condition[] }>;

/** Which activities an engagement rule counts. */
export type ActivityMatch = Readonly<{
  /** Built-in types, or workspace types a file brought ("ws:SMS Sent"). */
  types: readonly ActivityTypeKey[];
  /** A test on the asset (page URL, whitepaper title); absent means any asset. */
  asset?: Readonly<{
    op: OperatorName;
    value?: string | number;
    values?: readonly (string | number)[];
    caseSensitive?: boolean;
  }> | null;
  /** Only activities that lasted at least this long count (video, webinar, page time). */
  minDurationSec?: number | null;
}>;

/** Counting options shared by engagement rules and activity-based negative rules. */
export type CountingOptions = Readonly<{
  /** 'first': only the first matching activity counts; 'every': each one (default). */
  frequency?: 'first' | 'every';
  /** Count the same asset again for this rule (default false: once per asset). */
  countRepeats?: boolean;
  /** Most points (in absolute value) this rule can give a lead in total. */
  cap?: number | null;
  /** Most points (in absolute value) per fixed window of `days` days. */
  windowCap?: Readonly<{ days: number; points: number }> | null;
  /** Decay group (decay settings can differ per group); default 'default'. */
  group?: string;
}>;

export type FitRule = Readonly<{ id: string; name: string; when: Condition; points: number }>;

export type EngagementRule = Readonly<{ id: string; name: string; match: ActivityMatch; points: number }> &
  CountingOptions;

/** A rule that subtracts points, on the profile (free-mail domain) or on behaviour (careers page). */
export type NegativeRule =
  | Readonly<{ id: string; name: string; on: 'profile'; when: Condition; points: number }>
  | (Readonly<{ id: string; name: string; on: 'activity'; match: ActivityMatch; points: number }> & CountingOptions);

/**
 * Engagement from a numeric lead field that measures it (time on site, page views, visits):
 * `points` per whole unit of `per` of the field's amount, at most `cap` in all ("1 point per
 * minute on the website, at most 30": per 60 of a field in seconds). A lead field has no
 * date, so these points never decay and no time window applies to them.
 */
export type FieldEngagementRule = Readonly<{
  id: string;
  name: string;
  /** A numeric lead field: company_size, or custom.<column> of a number field. */
  field: string;
  /** Whole points per unit (negative subtracts); never 0. */
  points: number;
  /** How much of the field makes one unit (60 of a field in seconds is a minute); > 0. */
  per: number;
  /** One unit's name, singular ("minute", "visit"), for the words. */
  unit: string;
  /** What the field's numbers count ("s"), for the words; absent: the unit when per is 1. */
  fieldUnit?: string | null;
  /** Most points (in absolute value) the rule gives a lead. */
  cap: number;
}>;

export type SuppressionRule = Readonly<{ id: string; name: string; when: Condition; reason?: string }>;

export type Suppression = Readonly<{
  rules: readonly SuppressionRule[];
  /** Email addresses that are always suppressed (case-insensitive). */
  emails: readonly string[];
  /** Email domains that are always suppressed (competitors, the company's own). */
  domains: readonly string[];
}>;

/** Age-based decay of engagement points. */
export type DecaySettings = Readonly<{
  /** Points halve every N days of an activity's age (percentage decay); null = off. */
  halfLifeDays?: number | null;
  /** Only activities of the last N days count; null = all. */
  windowDays?: number | null;
}>;

export type InactivityPenalty = Readonly<{
  /** Days without any activity before the first penalty. */
  afterDays: number;
  /** Points per penalty (negative). */
  points: number;
  /** Repeat the penalty every N more inactive days; null = once. */
  everyDays?: number | null;
  /** Largest total penalty (absolute value); null = no limit. */
  maxPoints?: number | null;
}>;

export type Decay = DecaySettings &
  Readonly<{
    inactivity?: InactivityPenalty | null;
    /** Per rule-group overrides of the model-wide half-life and window. */
    groups?: Readonly<Record<string, DecaySettings>>;
  }>;

export const FIT_GRADES = ['A', 'B', 'C', 'D'] as const;
export type FitGrade = (typeof FIT_GRADES)[number];
export const ENGAGEMENT_GRADES = [1, 2, 3, 4] as const;
export type EngagementGrade = (typeof ENGAGEMENT_GRADES)[number];
/** A1 (best fit, most engaged) .. D4. */
export type Grade = `${FitGrade}${EngagementGrade}`;
export const ALL_GRADES: readonly Grade[] = FIT_GRADES.flatMap((f) =>
  ENGAGEMENT_GRADES.map((e) => `${f}${e}` as Grade),
);

/** Lower bounds of the bands: fit >= A is grade A, >= B is B, >= C is C, else D (same for 1..3, else 4). */
export type GradeBands = Readonly<{
  fit: Readonly<{ A: number; B: number; C: number }>;
  engagement: Readonly<{ '1': number; '2': number; '3': number }>;
}>;

export type SegmentBand = Readonly<{
  key: string;
  label: string;
  /** basis 'total': lowest total in this band (ignored on the last band, which catches the rest). */
  min?: number | null;
  /** basis 'grade': the grades in this band (ignored on the last band). */
  grades?: readonly Grade[] | null;
}>;

/** 3 to 5 bands, hottest first; the last band catches every lead the others do not. */
export type Segments = Readonly<{ basis: 'total' | 'grade'; bands: readonly SegmentBand[] }>;

export type Mql = Readonly<{
  /** The tipping score: a lead with total >= threshold is an MQL (unless suppressed). */
  threshold: number;
  /** Optionally require at least this fit grade too. */
  minFitGrade?: FitGrade | null;
}>;

/** A complete scoring model. */
export type ScoringModel = Readonly<{
  schemaVersion: typeof MODEL_SCHEMA_VERSION;
  name: string;
  description?: string;
  /** Which leads this model scores; absent = every lead. */
  appliesTo?: Condition | null;
  fit: readonly FitRule[];
  engagement: readonly EngagementRule[];
  /** Engagement from numeric lead fields; absent in models written before it existed (= none). */
  fieldEngagement?: readonly FieldEngagementRule[];
  negative: readonly NegativeRule[];
  suppression: Suppression;
  decay: Decay;
  grades: GradeBands;
  segments: Segments;
  mql: Mql;
}>;

// ---------------------------------------------------------------------------------------
// Validation

const STANDARD_FIELD_KEYS = new Set<string>(LEAD_FIELDS.map((f) => f.key));
const NUMERIC_STANDARD_FIELDS = new Set<string>(LEAD_FIELDS.filter((f) => f.kind === 'number').map((f) => f.key));
const DERIVED_FIELD_KEYS = new Set<string>(DERIVED_FIELDS.map((f) => f.key));

/** Reason a field name is unusable in a condition, or null. */
export function fieldProblem(field: string): string | null {
  if (STANDARD_FIELD_KEYS.has(field) || DERIVED_FIELD_KEYS.has(field)) return null;
  if (field.startsWith('custom.') && field.length > 'custom.'.length) return null;
  return `field '${field}' is not a lead field (use custom.${field} for a custom column)`;
}

/**
 * Reason a field cannot be counted by a field engagement rule, or null. Only whether a
 * custom column holds numbers is the workspace's to say (services/scoring/model-check.ts).
 */
export function numericFieldProblem(field: string): string | null {
  const problem = fieldProblem(field);
  if (problem) return problem;
  if (field.startsWith('custom.') || NUMERIC_STANDARD_FIELDS.has(field)) return null;
  return `field '${field}' is not a number field (use a number field: company_size or custom.<column>)`;
}

type Ctx = z.core.$RefinementCtx<unknown>;
type Path = (string | number)[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkOperand(o: Record<string, unknown>, ctx: Ctx, path: Path, subject: string): void {
  if (typeof o.op !== 'string' || !Object.hasOwn(OPERATORS, o.op)) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'op'],
      message: `${subject}operator must be one of ${OPERATOR_NAMES.join(', ')}`,
    });
    return;
  }
  if (o.value !== undefined && typeof o.value !== 'string' && typeof o.value !== 'number') {
    ctx.addIssue({ code: 'custom', path: [...path, 'value'], message: 'value must be text or a number' });
    return;
  }
  if (
    o.values !== undefined &&
    (!Array.isArray(o.values) || o.values.some((x) => typeof x !== 'string' && typeof x !== 'number'))
  ) {
    ctx.addIssue({ code: 'custom', path: [...path, 'values'], message: 'values must be a list of texts or numbers' });
    return;
  }
  for (const k of ['min', 'max'] as const) {
    const v = o[k];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
      ctx.addIssue({ code: 'custom', path: [...path, k], message: `${k} must be a number` });
      return;
    }
  }
  if (o.caseSensitive !== undefined && typeof o.caseSensitive !== 'boolean') {
    ctx.addIssue({ code: 'custom', path: [...path, 'caseSensitive'], message: 'caseSensitive must be true or false' });
    return;
  }
  const problem = operandProblem(o.op as OperatorName, o as never);
  if (problem) ctx.addIssue({ code: 'custom', path: [...path, 'op'], message: `${subject}${problem}` });
}

function checkCondition(v: unknown, ctx: Ctx, path: Path, depth: number): void {
  if (!isRecord(v)) {
    ctx.addIssue({
      code: 'custom',
      path,
      message: 'condition must be an object ({ field, op, value } or { all } / { any })',
    });
    return;
  }
  if (depth > 8) {
    ctx.addIssue({ code: 'custom', path, message: 'conditions are nested too deeply (at most 8 levels)' });
    return;
  }
  const group = 'all' in v ? 'all' : 'any' in v ? 'any' : null;
  if (group) {
    const items = v[group];
    if (!Array.isArray(items) || items.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, group],
        message: `'${group}' group needs at least one condition`,
      });
      return;
    }
    items.forEach((c, i) => checkCondition(c, ctx, [...path, group, i], depth + 1));
    return;
  }
  if (typeof v.field !== 'string' || v.field.trim() === '') {
    ctx.addIssue({ code: 'custom', path: [...path, 'field'], message: 'condition needs a field' });
    return;
  }
  const fp = fieldProblem(v.field);
  if (fp) {
    ctx.addIssue({ code: 'custom', path: [...path, 'field'], message: fp });
    return;
  }
  checkOperand(v, ctx, path, `condition on '${v.field}': `);
}

const conditionSchema = z
  .unknown()
  .superRefine((v, ctx) => checkCondition(v, ctx, [], 0))
  .transform((v) => v as Condition);

const text = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .min(1, { error: `${what} is required` });
/** "is required" for a missing number, "must be a number" for anything else. */
const numberError = (iss: { input?: unknown }): string =>
  iss.input === undefined ? 'is required' : 'must be a number';
const points = z.number({ error: numberError }).int({ error: 'must be a whole number' });
const positive = z.number({ error: numberError }).positive({ error: 'must be greater than 0' });
const nonNegative = z.number({ error: numberError }).min(0, { error: 'must be 0 or more' });
const positiveInt = points.min(1, { error: 'must be greater than 0' });

const activityMatchSchema = z.object({
  types: z
    .array(
      z
        .string({ error: `must be one of ${ACTIVITY_TYPES.join(', ')} or a workspace type (ws:Name)` })
        .refine(isActivityTypeKey, {
          error: `must be one of ${ACTIVITY_TYPES.join(', ')} or a workspace type (ws:Name)`,
        })
        .transform((v) => v as ActivityTypeKey),
      {
        error: 'must be a list of activity types',
      },
    )
    .min(1, { error: 'needs at least one activity type' }),
  asset: z
    .unknown()
    .superRefine((v, ctx) => {
      if (v === undefined || v === null) return;
      if (!isRecord(v)) {
        ctx.addIssue({ code: 'custom', message: 'asset must be an object like { op, value }' });
        return;
      }
      checkOperand(v, ctx, [], 'asset ');
    })
    .transform((v) => v as ActivityMatch['asset'])
    .optional(),
  minDurationSec: nonNegative.nullable().optional(),
});

const countingShape = {
  frequency: z.enum(['first', 'every'], { error: "must be 'first' or 'every'" }).optional(),
  countRepeats: z.boolean({ error: 'must be true or false' }).optional(),
  cap: positiveInt.nullable().optional(),
  windowCap: z.object({ days: positive, points: positiveInt }).nullable().optional(),
  group: text('group').optional(),
};

const fitRuleSchema = z.object({ id: text('id'), name: text('name'), when: conditionSchema, points });

const engagementRuleSchema = z.object({
  id: text('id'),
  name: text('name'),
  match: activityMatchSchema,
  points,
  ...countingShape,
});

const fieldEngagementRuleSchema = z.object({
  id: text('id'),
  name: text('name'),
  field: text('field').superRefine((f, ctx) => {
    const problem = numericFieldProblem(f);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  points: points.refine((n) => n !== 0, { error: 'must not be 0' }),
  per: positive,
  unit: text('unit'),
  fieldUnit: z.string({ error: 'must be text' }).trim().nullable().optional(),
  cap: positiveInt,
});

const negativePoints = points.max(-1, { error: 'must be negative (a negative rule subtracts points)' });

const negativeRuleSchema = z.discriminatedUnion(
  'on',
  [
    z.object({
      id: text('id'),
      name: text('name'),
      on: z.literal('profile'),
      when: conditionSchema,
      points: negativePoints,
    }),
    z.object({
      id: text('id'),
      name: text('name'),
      on: z.literal('activity'),
      match: activityMatchSchema,
      points: negativePoints,
      ...countingShape,
    }),
  ],
  { error: "on must be 'profile' or 'activity'" },
);

const suppressionRuleSchema = z.object({
  id: text('id'),
  name: text('name'),
  when: conditionSchema,
  reason: z.string({ error: 'must be text' }).optional(),
});

const decaySettingsShape = { halfLifeDays: positive.nullable().optional(), windowDays: positive.nullable().optional() };

const gradeSchema = z.enum(ALL_GRADES as [Grade, ...Grade[]], { error: 'must be a grade from A1 to D4' });

const scoringModelShape = {
  schemaVersion: z.literal(MODEL_SCHEMA_VERSION, { error: `must be ${MODEL_SCHEMA_VERSION}` }),
  name: text('name'),
  description: z.string({ error: 'must be text' }).optional(),
  appliesTo: conditionSchema.nullable().optional(),
  fit: z.array(fitRuleSchema, { error: 'must be a list of rules' }),
  engagement: z.array(engagementRuleSchema, { error: 'must be a list of rules' }),
  fieldEngagement: z.array(fieldEngagementRuleSchema, { error: 'must be a list of rules' }).optional(),
  negative: z.array(negativeRuleSchema, { error: 'must be a list of rules' }),
  suppression: z.object({
    rules: z.array(suppressionRuleSchema, { error: 'must be a list of rules' }),
    emails: z.array(z.string({ error: 'must be text' }), { error: 'must be a list of emails' }),
    domains: z.array(z.string({ error: 'must be text' }), { error: 'must be a list of domains' }),
  }),
  decay: z.object({
    ...decaySettingsShape,
    inactivity: z
      .object({
        afterDays: positive,
        points: negativePoints,
        everyDays: positive.nullable().optional(),
        maxPoints: positiveInt.nullable().optional(),
      })
      .nullable()
      .optional(),
    groups: z.record(z.string(), z.object(decaySettingsShape)).optional(),
  }),
  grades: z.object({
    fit: z.object({
      A: z.number({ error: numberError }),
      B: z.number({ error: numberError }),
      C: z.number({ error: numberError }),
    }),
    engagement: z.object({
      '1': z.number({ error: numberError }),
      '2': z.number({ error: numberError }),
      '3': z.number({ error: numberError }),
    }),
  }),
  segments: z.object({
    basis: z.enum(['total', 'grade'], { error: "must be 'total' or 'grade'" }),
    bands: z
      .array(
        z.object({
          key: text('key'),
          label: text('label'),
          min: z.number({ error: numberError }).nullable().optional(),
          grades: z.array(gradeSchema).nullable().optional(),
        }),
      )
      .min(3, { error: 'needs 3 to 5 segments' })
      .max(5, { error: 'needs 3 to 5 segments' }),
  }),
  mql: z.object({
    threshold: z.number({ error: numberError }),
    minFitGrade: z.enum(FIT_GRADES, { error: 'must be A, B, C or D' }).nullable().optional(),
  }),
};

export const scoringModelSchema = z
  .object(scoringModelShape)
  .superRefine((m, ctx) => {
    const ids = new Map<string, string>();
    const sections = [
      ['fit', m.fit],
      ['engagement', m.engagement],
      ['fieldEngagement', m.fieldEngagement ?? []],
      ['negative', m.negative],
    ] as const;
    for (const [section, rules] of sections) {
      rules.forEach((r, i) => {
        const seen = ids.get(r.id);
        if (seen)
          ctx.addIssue({
            code: 'custom',
            path: [section, i, 'id'],
            message: `id '${r.id}' is already used by ${seen}`,
          });
        else ids.set(r.id, `${section} rule '${r.name}'`);
      });
    }
    m.suppression.rules.forEach((r, i) => {
      const seen = ids.get(r.id);
      if (seen)
        ctx.addIssue({
          code: 'custom',
          path: ['suppression', 'rules', i, 'id'],
          message: `id '${r.id}' is already used by ${seen}`,
        });
      else ids.set(r.id, `suppression rule '${r.name}'`);
    });
    const g = m.grades;
    if (!(g.fit.A > g.fit.B && g.fit.B > g.fit.C))
      ctx.addIssue({ code: 'custom', path: ['grades', 'fit'], message: 'fit bands must go down: A > B > C' });
    if (!(g.engagement['1'] > g.engagement['2'] && g.engagement['2'] > g.engagement['3']))
      ctx.addIssue({
        code: 'custom',
        path: ['grades', 'engagement'],
        message: 'engagement bands must go down: 1 > 2 > 3',
      });
    const bands = m.segments.bands;
    const keys = new Set<string>();
    bands.forEach((b, i) => {
      if (keys.has(b.key))
        ctx.addIssue({
          code: 'custom',
          path: ['segments', 'bands', i, 'key'],
          message: `key '${b.key}' is used twice`,
        });
      keys.add(b.key);
      const last = i === bands.length - 1;
      if (last) return;
      if (m.segments.basis === 'total') {
        if (b.min == null)
          ctx.addIssue({ code: 'custom', path: ['segments', 'bands', i, 'min'], message: 'min is required' });
        const prev = bands[i - 1];
        if (i > 0 && prev?.min != null && b.min != null && b.min >= prev.min)
          ctx.addIssue({
            code: 'custom',
            path: ['segments', 'bands', i, 'min'],
            message: `min must be lower than the band above (${prev.min})`,
          });
      } else if (!b.grades || b.grades.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['segments', 'bands', i, 'grades'], message: 'grades are required' });
      }
    });
    const groups = new Set<string>(['default']);
    for (const r of [...m.engagement, ...m.negative]) if ('match' in r && r.group) groups.add(r.group);
    for (const name of Object.keys(m.decay.groups ?? {}))
      if (!groups.has(name))
        ctx.addIssue({ code: 'custom', path: ['decay', 'groups', name], message: `no rule uses the group '${name}'` });
  })
  .transform((m) => m as ScoringModel);

/** One validation problem: where (path into the model JSON) and a sentence a marketer can act on. */
export type ModelIssue = Readonly<{ path: readonly (string | number)[]; message: string }>;

export type ModelValidation =
  Readonly<{ ok: true; model: ScoringModel }> | Readonly<{ ok: false; issues: readonly ModelIssue[] }>;

const SECTION_WORDS: Readonly<Record<string, string>> = {
  fit: 'fit rule',
  engagement: 'engagement rule',
  fieldEngagement: 'field engagement rule',
  negative: 'negative rule',
};

/** The rule or segment a path points into, in words ("fit rule 'Germany' (#2)"), or null. */
export function issueSubject(input: unknown, path: readonly (string | number)[]): string | null {
  const ruleAt = (section: readonly (string | number)[], idx: number, words: string) => {
    let node: unknown = input;
    for (const k of [...section, idx]) node = isRecord(node) || Array.isArray(node) ? (node as never)[k] : undefined;
    const name = isRecord(node) && typeof node.name === 'string' && node.name.trim() ? `'${node.name.trim()}' ` : '';
    return `${words} ${name}(#${idx + 1})`;
  };
  const [a, b, c] = path;
  if (typeof a === 'string' && SECTION_WORDS[a] && typeof b === 'number') return ruleAt([a], b, SECTION_WORDS[a]!);
  if (a === 'suppression' && b === 'rules' && typeof c === 'number')
    return ruleAt(['suppression', 'rules'], c, 'suppression rule');
  if (a === 'segments' && b === 'bands' && typeof c === 'number') return `segment #${c + 1}`;
  return null;
}

function describeIssue(input: unknown, path: readonly PropertyKey[], message: string): string {
  const p = path.map((k) => (typeof k === 'symbol' ? String(k) : k));
  const where = issueSubject(input, p);
  const rest = where === null ? p : p.slice(p[0] === 'suppression' || p[0] === 'segments' ? 3 : 2);
  // Leaf field name ("points"), unless the message already names what it is about.
  const leaf = rest
    .filter((k) => typeof k === 'string' && !['when', 'all', 'any', 'match'].includes(k as string))
    .at(-1);
  const field = typeof leaf === 'string' ? leaf : null;
  const sentence = /^Invalid input: expected .*, received undefined$/.test(message)
    ? 'is required'
    : message.replace(/^Invalid input: /, '');
  const starts =
    field !== null &&
    !sentence.startsWith(field) &&
    !/^(condition|operator|asset|'|id '|field|no rule|needs)/.test(sentence);
  const body = starts ? `${field} ${sentence}` : sentence;
  if (where) return `${where}: ${body}`;
  const loc = p.slice(0, field !== null && starts ? -1 : undefined).join('.');
  return loc ? `${loc}: ${body}` : body;
}

/** Validates model JSON; every problem comes back as a readable sentence with its path. */
export function validateModel(input: unknown): ModelValidation {
  const r = scoringModelSchema.safeParse(input);
  if (r.success) return { ok: true, model: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({
      path: i.path.map((k) => (typeof k === 'symbol' ? String(k) : k)),
      message: describeIssue(input, i.path, i.message),
    })),
  };
}

/** Thrown by parseModel: carries every issue, its message joins them. */
export class ModelValidationError extends Error {
  readonly issues: readonly ModelIssue[];
  constructor(issues: readonly ModelIssue[]) {
    super(`The scoring model is not valid: ${issues.map((i) => i.message).join('; ')}`);
    this.name = 'ModelValidationError';
    this.issues = issues;
  }
}

/** Validates model JSON and returns the model, or throws ModelValidationError. */
export function parseModel(input: unknown): ScoringModel {
  const r = validateModel(input);
  if (!r.ok) throw new ModelValidationError(r.issues);
  return r.model;
}

// ---------------------------------------------------------------------------------------
// Unknown keys: the schema drops keys it does not know, so a typo ("pionts") would pass
// silently. The known keys are read from the schemas above, not listed a second time.

const CONDITION_KEYS = new Set(['field', 'op', 'value', 'values', 'min', 'max', 'caseSensitive', 'all', 'any']);
const ASSET_KEYS = new Set(['op', 'value', 'values', 'caseSensitive']);

const keysOf = (shape: object): ReadonlySet<string> => new Set(Object.keys(shape));

const KNOWN = {
  model: keysOf(scoringModelShape),
  fit: keysOf(fitRuleSchema.shape),
  engagement: keysOf(engagementRuleSchema.shape),
  fieldEngagement: keysOf(fieldEngagementRuleSchema.shape),
  negativeProfile: keysOf(negativeRuleSchema.options[0].shape),
  negativeActivity: keysOf(negativeRuleSchema.options[1].shape),
  match: keysOf(activityMatchSchema.shape),
  suppression: keysOf(scoringModelShape.suppression.shape),
  suppressionRule: keysOf(suppressionRuleSchema.shape),
  decay: keysOf(scoringModelShape.decay.shape),
  decayGroup: keysOf(decaySettingsShape),
  inactivity: new Set(['afterDays', 'points', 'everyDays', 'maxPoints']),
  windowCap: new Set(['days', 'points']),
  grades: new Set(['fit', 'engagement']),
  segments: new Set(['basis', 'bands']),
  band: new Set(['key', 'label', 'min', 'grades']),
  mql: new Set(['threshold', 'minFitGrade']),
} as const;

/** Every key of the model JSON that the format does not know, as issues naming where they are. */
export function unknownKeyIssues(input: unknown): ModelIssue[] {
  const out: ModelIssue[] = [];
  const check = (v: unknown, known: ReadonlySet<string>, path: (string | number)[]): void => {
    if (!isRecord(v)) return;
    for (const k of Object.keys(v)) {
      if (known.has(k)) continue;
      const subject = path[0] === 'appliesTo' ? 'the model\'s "applies to" condition' : issueSubject(input, path);
      out.push({ path: [...path, k], message: `${subject ? `${subject}: ` : ''}unknown key '${k}'` });
    }
  };
  const condition = (c: unknown, path: (string | number)[]): void => {
    check(c, CONDITION_KEYS, path);
    if (!isRecord(c)) return;
    for (const g of ['all', 'any'] as const)
      if (Array.isArray(c[g])) (c[g] as unknown[]).forEach((x, i) => condition(x, [...path, g, i]));
  };
  const match = (m: unknown, path: (string | number)[]): void => {
    check(m, KNOWN.match, path);
    if (isRecord(m)) check(m.asset, ASSET_KEYS, [...path, 'asset']);
  };
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  if (!isRecord(input)) return out;
  check(input, KNOWN.model, []);
  if (input.appliesTo) condition(input.appliesTo, ['appliesTo']);
  list(input.fit).forEach((r, i) => {
    check(r, KNOWN.fit, ['fit', i]);
    if (isRecord(r)) condition(r.when, ['fit', i, 'when']);
  });
  list(input.engagement).forEach((r, i) => {
    check(r, KNOWN.engagement, ['engagement', i]);
    if (isRecord(r)) {
      match(r.match, ['engagement', i, 'match']);
      check(r.windowCap, KNOWN.windowCap, ['engagement', i, 'windowCap']);
    }
  });
  list(input.fieldEngagement).forEach((r, i) => check(r, KNOWN.fieldEngagement, ['fieldEngagement', i]));
  list(input.negative).forEach((r, i) => {
    if (!isRecord(r)) return;
    const onActivity = r.on === 'activity';
    check(r, onActivity ? KNOWN.negativeActivity : KNOWN.negativeProfile, ['negative', i]);
    if (onActivity) {
      match(r.match, ['negative', i, 'match']);
      check(r.windowCap, KNOWN.windowCap, ['negative', i, 'windowCap']);
    } else condition(r.when, ['negative', i, 'when']);
  });
  check(input.suppression, KNOWN.suppression, ['suppression']);
  if (isRecord(input.suppression))
    list(input.suppression.rules).forEach((r, i) => {
      check(r, KNOWN.suppressionRule, ['suppression', 'rules', i]);
      if (isRecord(r)) condition(r.when, ['suppression', 'rules', i, 'when']);
    });
  check(input.decay, KNOWN.decay, ['decay']);
  if (isRecord(input.decay)) {
    check(input.decay.inactivity, KNOWN.inactivity, ['decay', 'inactivity']);
    if (isRecord(input.decay.groups))
      for (const [name, g] of Object.entries(input.decay.groups)) check(g, KNOWN.decayGroup, ['decay', 'groups', name]);
  }
  check(input.grades, KNOWN.grades, ['grades']);
  check(input.segments, KNOWN.segments, ['segments']);
  if (isRecord(input.segments))
    list(input.segments.bands).forEach((b, i) => check(b, KNOWN.band, ['segments', 'bands', i]));
  check(input.mql, KNOWN.mql, ['mql']);
  return out;
}
