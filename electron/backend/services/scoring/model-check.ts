/**
 * A model checked against the workspace it scores: how many leads each rule matches now, and
 * the problems a model file can have there (a rule on a field the workspace does
 * not have, a key the format does not know, a value no lead has). One computation for the
 * editor (warnings and counts beside each rule) and the CLI (`score --model`, `learn`, which
 * refuse with the problems as errors).
 *
 * What is an error: an unknown key anywhere; in a fit rule, a field the workspace lacks, an
 * "equals" value no lead has, or an "is one of" list no lead has any value of; in a field
 * engagement rule, a field the workspace lacks or one that is not a number field. The same in a
 * negative or suppression rule is a warning (those guard against leads that may come: a
 * competitor's domain nobody has yet), as is one absent value in a list others are found in.
 *
 * A rule that gives points (fit, engagement, negative) matches the leads the compiled scorer
 * gives its points to now, read from its ledger as Model health counts a rule's "leads
 * matched" (shared/learn/rule-hits.ts); a suppression rule, the leads its condition holds
 * for. No second, SQL definition of what a rule means; every lead, in id ranges, its
 * activities read only when the model has activity rules.
 */
import type Database from 'better-sqlite3';
import type { Activity } from '../../../../shared/domain';
import type { ModelCheck, ModelCheckProblem, RuleMatchCount } from '../../../../shared/contract/scoring';
import { forEachHit, ruleTable } from '../../../../shared/learn/rule-hits';
import {
  compileCondition,
  compileModel,
  describeCondition,
  fieldGetter,
  fieldLabel,
  issueSubject,
  leadContext,
  SENIORITY_LABELS,
  unknownKeyIssues,
  type Condition,
  type FieldCondition,
  type ScoringModel,
  type Seniority,
} from '../../../../shared/scoring';
import { modelLeadFields } from '../../../../shared/scoring/compile/lead-fields';
import { WORKSPACE_TYPE_PREFIX, activityTypeLabel } from '../../../../shared/domain';
import { activityTypeAliases, activityTypeLabels, listActivityTypes } from '../leads/activity-types';
import { customFieldNames } from '../leads/grid';
import { customFieldTypes } from '../leads/custom-fields';
import { describeMatch } from '../../../../shared/scoring/describe';
import { describeFieldRule } from '../../../../shared/scoring/compile/field-rules';
import { CUSTOM_FIELD_TYPE_LABELS } from '../../../../shared/custom-fields';
import { activitiesInRangeFlat, activityCursor, leadColumnsFor, leadsInRange } from './lead-data';

const BATCH = 5_000;

const NO_ACTIVITIES: readonly Activity[] = Object.freeze([]);

/** A rule with a condition, where it sits in the model JSON. */
type ConditionRule = Readonly<{ path: readonly (string | number)[]; ruleId: string; name: string; when: Condition }>;

/** Fit rules, negative rules on the profile and suppression rules, with their paths. */
export function conditionRules(model: ScoringModel): ConditionRule[] {
  return [
    ...model.fit.map((r, i) => ({ path: ['fit', i], ruleId: r.id, name: r.name, when: r.when })),
    ...model.negative.flatMap((r, i) =>
      r.on === 'profile' ? [{ path: ['negative', i], ruleId: r.id, name: r.name, when: r.when }] : [],
    ),
    ...model.suppression.rules.map((r, i) => ({
      path: ['suppression', 'rules', i],
      ruleId: r.id,
      name: r.name,
      when: r.when,
    })),
  ];
}

type Leaf = Readonly<{ path: readonly (string | number)[]; leaf: FieldCondition }>;

/** Every field test in a condition, with its path. */
function leaves(c: Condition, path: readonly (string | number)[]): Leaf[] {
  if ('all' in c) return c.all.flatMap((x, i) => leaves(x, [...path, 'all', i]));
  if ('any' in c) return c.any.flatMap((x, i) => leaves(x, [...path, 'any', i]));
  return [{ path, leaf: c }];
}

/** Operators whose operand names values a lead's field should have ("is one of 'Reference'"). */
const VALUE_OPS = new Set(['equals', 'in']);

function operandValues(leaf: FieldCondition): readonly (string | number)[] {
  if (leaf.op === 'in') return leaf.values ?? [];
  return leaf.value === undefined ? [] : [leaf.value];
}

/** A field value as the equals/in operators compare it (trimmed, case-insensitive unless asked). */
function comparable(v: string | number, caseSensitive: boolean | undefined): string {
  const s = String(v).trim();
  return caseSensitive ? s : s.toLowerCase();
}

/** A value in words: seniority levels by their label ("C-level / founder"), the rest as written. */
function shownValue(field: string, v: string | number): string {
  return field === 'seniority' ? (SENIORITY_LABELS[v as Seniority] ?? String(v)) : String(v);
}

/**
 * Custom fields of the workspace, by lower-cased name (custom values are looked up
 * case-insensitively): the typed fields imports recorded, and the names leads carry.
 */
function workspaceCustomFields(db: Database.Database): ReadonlySet<string> {
  return new Set([...customFieldTypes(db).keys(), ...customFieldNames(db)].map((n) => n.toLowerCase()));
}

/**
 * Checks a valid model against the workspace at `now`; `raw` is the JSON it was read from
 * (for keys the format does not know). Problems name the rule and say what to fix.
 */
export function checkModel(db: Database.Database, model: ScoringModel, raw: unknown, now: number): ModelCheck {
  const problems: ModelCheckProblem[] = unknownKeyIssues(raw).map((i) => ({ ...i, severity: 'error' as const }));
  const rules = conditionRules(model);
  const customFields = workspaceCustomFields(db);
  const subject = (path: readonly (string | number)[]) => issueSubject(raw, path) ?? 'a rule';
  const severity = (path: readonly (string | number)[]) => (path[0] === 'fit' ? 'error' : 'warning');

  // Fields the workspace does not have: the rule can never match.
  const allLeaves = rules.flatMap((r) => leaves(r.when, [...r.path, 'when']));
  for (const { path, leaf } of allLeaves) {
    if (!leaf.field.startsWith('custom.')) continue;
    const name = leaf.field.slice('custom.'.length);
    if (!customFields.has(name.toLowerCase()))
      problems.push({
        path: [...path, 'field'],
        message: `${subject(path)}: the field '${name}' does not exist in this workspace`,
        severity: severity(path),
      });
  }

  // Values named by equals / is-one-of tests: collected from the leads in the same pass.
  const valueLeaves = allLeaves.filter(
    ({ leaf }) =>
      VALUE_OPS.has(leaf.op) &&
      (!leaf.field.startsWith('custom.') || customFields.has(leaf.field.slice(7).toLowerCase())),
  );
  const seenByField = new Map<string, Set<string>>();
  for (const { leaf } of valueLeaves) seenByField.set(`${leaf.field}\u0000${leaf.caseSensitive === true}`, new Set());
  const getters = [...seenByField.keys()].map((key) => {
    const [field, cs] = key.split('\u0000') as [string, string];
    return { field, caseSensitive: cs === 'true', seen: seenByField.get(key)!, get: fieldGetter(field) };
  });

  // Suppression rules: the leads their condition holds for. The rest: the leads they give points.
  const suppressionTests = model.suppression.rules.map((r) => compileCondition(r.when));
  const suppressed = new Array<number>(suppressionTests.length).fill(0);
  const compiled = compileModel(model);
  const table = ruleTable(model);
  const scored = new Array<number>(table.rules.length).fill(0);
  const lastLead = new Float64Array(table.rules.length).fill(-1);
  const readActivities = table.activity.length > 0;
  const fields = new Set<string>(modelLeadFields(model));
  for (const { leaf } of valueLeaves) if (leaf.field === 'tags') fields.add('tags');
  const columns = leadColumnsFor(fields);
  const bounds = db.prepare('SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM leads').get() as {
    lo: number | null;
    hi: number | null;
    n: number;
  };
  if (bounds.lo !== null && bounds.hi !== null) {
    for (let from = bounds.lo; from <= bounds.hi; from += BATCH) {
      const activitiesOf = readActivities
        ? activityCursor(activitiesInRangeFlat(db, from, from + BATCH - 1))
        : () => NO_ACTIVITIES;
      for (const lead of leadsInRange(db, from, from + BATCH - 1, columns)) {
        const ctx = leadContext(lead, now);
        for (let i = 0; i < suppressionTests.length; i++) if (suppressionTests[i]!(ctx)) suppressed[i]!++;
        if (compiled.applies(lead, now))
          forEachHit(compiled.scoreCore(lead, activitiesOf(lead.id), now).compact, table, (rule) => {
            if (lastLead[rule] === lead.id) return;
            lastLead[rule] = lead.id;
            scored[rule]!++;
          });
        for (const g of getters) {
          if (g.field === 'tags') {
            for (const t of lead.tags) g.seen.add(comparable(t, g.caseSensitive));
            continue;
          }
          const v = g.get(ctx);
          if (v !== null) g.seen.add(comparable(v, g.caseSensitive));
        }
      }
    }
  }

  // With no leads yet every value is one "no lead has": nothing to say until the first import.
  for (const { path, leaf } of bounds.n === 0 ? [] : valueLeaves) {
    const seen = seenByField.get(`${leaf.field}\u0000${leaf.caseSensitive === true}`)!;
    const values = operandValues(leaf).filter((v) => String(v).trim() !== '');
    const absent = values.filter((v) => !seen.has(comparable(v, leaf.caseSensitive)));
    for (const v of absent)
      problems.push({
        path: [...path, leaf.op === 'in' ? 'values' : 'value'],
        message: `${subject(path)}: no lead has ${fieldLabel(leaf.field)} '${shownValue(leaf.field, v)}'`,
        severity: absent.length === values.length ? severity(path) : 'warning',
      });
  }

  problems.push(...absentTypeWarnings(db, model, subject));
  problems.push(...fieldEngagementProblems(db, model, customFields, subject));

  const matches: RuleMatchCount[] = [
    ...table.rules.map((r, i) => ({
      path: table.paths[i]!,
      ruleId: r.id,
      name: r.name,
      condition: ruleWords(model, table.paths[i]!),
      matches: scored[i]!,
    })),
    ...model.suppression.rules.map((r, i) => ({
      path: ['suppression', 'rules', i],
      ruleId: r.id,
      name: r.name,
      condition: describeCondition(r.when),
      matches: suppressed[i]!,
    })),
  ];
  return { leads: bounds.n, rules: matches, problems };
}

/** What a rule that gives points tests, in words: its condition, or the activities it counts. */
function ruleWords(model: ScoringModel, path: readonly (string | number)[]): string {
  const [section, i] = path as [string, number];
  if (section === 'fit') return describeCondition(model.fit[i]!.when);
  if (section === 'engagement') return describeMatch(model.engagement[i]!.match);
  if (section === 'fieldEngagement') return describeFieldRule(model.fieldEngagement![i]!);
  const n = model.negative[i]!;
  return n.on === 'profile' ? describeCondition(n.when) : describeMatch(n.match);
}

/**
 * Workspace types ("ws:SMS Sent") an activity rule counts that no activity of this workspace
 * has: a warning, not an error (a later import may bring them), naming the rule.
 */
function absentTypeWarnings(
  db: Database.Database,
  model: ScoringModel,
  subject: (path: readonly (string | number)[]) => string,
): ModelCheckProblem[] {
  const stored = new Set(listActivityTypes(db).flatMap((t) => (t.activities > 0 ? [t.type] : [])));
  const labels = activityTypeLabels(db);
  const aliases = activityTypeAliases(db);
  const absent = (type: string) => {
    const merged = aliases[type];
    return merged
      ? `the type '${activityTypeLabel(type, labels)}' was merged into '${activityTypeLabel(merged, labels)}'`
      : `no activity in this workspace has the type '${activityTypeLabel(type, labels)}'`;
  };
  const activityRules = [
    ...model.engagement.map((r, i) => ({ path: ['engagement', i], types: r.match.types })),
    ...model.negative.flatMap((r, i) => (r.on === 'activity' ? [{ path: ['negative', i], types: r.match.types }] : [])),
  ];
  return activityRules.flatMap(({ path, types }) =>
    types.flatMap((type, t) =>
      type.startsWith(WORKSPACE_TYPE_PREFIX) && !stored.has(type)
        ? [
            {
              path: [...path, 'match', 'types', t],
              message: `${subject(path)}: ${absent(type)}`,
              severity: 'warning' as const,
            },
          ]
        : [],
    ),
  );
}

/**
 * A field engagement rule counts a number field: one the workspace lacks, or a custom field
 * typed other than number (text, dates, categories), is an error naming the rule. A field
 * with no type recorded (a workspace from before typed fields) is let through: its values
 * are read as numbers where they are numbers.
 */
function fieldEngagementProblems(
  db: Database.Database,
  model: ScoringModel,
  customFields: ReadonlySet<string>,
  subject: (path: readonly (string | number)[]) => string,
): ModelCheckProblem[] {
  const types = new Map([...customFieldTypes(db)].map(([name, type]) => [name.toLowerCase(), type]));
  return (model.fieldEngagement ?? []).flatMap((r, i) => {
    if (!r.field.startsWith('custom.')) return [];
    const path = ['fieldEngagement', i, 'field'];
    const name = r.field.slice('custom.'.length);
    const type = types.get(name.toLowerCase());
    const message = !customFields.has(name.toLowerCase())
      ? `the field '${name}' does not exist in this workspace`
      : type !== undefined && type !== 'number'
        ? `the field '${name}' is not a number field (it is ${CUSTOM_FIELD_TYPE_LABELS[type].toLowerCase()})`
        : null;
    return message ? [{ path, message: `${subject(path)}: ${message}`, severity: 'error' as const }] : [];
  });
}

/** The check's errors. */
export function checkErrors(check: ModelCheck): ModelCheckProblem[] {
  return check.problems.filter((p) => p.severity === 'error');
}

/** The check's problems as CLI lines: errors under a heading naming the file, then warnings. */
export function modelCheckLines(check: ModelCheck, file: string): string[] {
  const errors = checkErrors(check);
  const warnings = check.problems.filter((p) => p.severity === 'warning');
  return [
    ...(errors.length ? [`The model in ${file} does not fit this workspace:`] : []),
    ...errors.map((p) => `  - ${p.message}`),
    ...warnings.map((p) => `  warning: ${p.message}`),
  ];
}

/** Each rule with its condition and how many leads it matches now (the CLI's table). */
export function ruleMatchLines(check: ModelCheck): string[] {
  const width = String(check.leads).length;
  return check.rules.map(
    (r) => `  ${String(r.matches).padStart(width)} of ${check.leads} leads  ${r.name}: ${r.condition}`,
  );
}
