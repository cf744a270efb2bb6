/**
 * The editor's working copy of a model. Drafts come from the backend as plain JSON that
 * may be unfinished (or an imported file with holes), so `normalizeDraft` fills the
 * structural gaps the editor needs to render (missing lists, missing band objects) and
 * keeps every value as it is: the validator, not the editor, decides what is wrong.
 */
import { DEFAULT_MODEL, MODEL_SCHEMA_VERSION, type ModelIssue, type ScoringModel } from '../../../../shared/scoring';

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function records(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A model the editor can render from any JSON: gaps are filled, values are kept. */
export function normalizeDraft(input: unknown, fallbackName: string): ScoringModel {
  const m: Json = isRecord(input) ? input : {};
  const suppression = isRecord(m.suppression) ? m.suppression : {};
  const decay = isRecord(m.decay) ? m.decay : {};
  const grades = isRecord(m.grades) ? m.grades : {};
  const segments = isRecord(m.segments) ? m.segments : {};
  const mql = isRecord(m.mql) ? m.mql : {};
  const model: Json = {
    ...m,
    schemaVersion: m.schemaVersion ?? MODEL_SCHEMA_VERSION,
    name: typeof m.name === 'string' ? m.name : fallbackName,
    fit: records(m.fit),
    engagement: records(m.engagement),
    negative: records(m.negative),
    suppression: {
      ...suppression,
      rules: records(suppression.rules),
      emails: strings(suppression.emails),
      domains: strings(suppression.domains),
    },
    decay,
    grades: {
      fit: isRecord(grades.fit) ? grades.fit : { ...DEFAULT_MODEL.grades.fit },
      engagement: isRecord(grades.engagement) ? grades.engagement : { ...DEFAULT_MODEL.grades.engagement },
    },
    segments: {
      basis: segments.basis ?? 'total',
      bands: Array.isArray(segments.bands) ? records(segments.bands) : DEFAULT_MODEL.segments.bands,
    },
    mql: { ...mql, threshold: mql.threshold ?? DEFAULT_MODEL.mql.threshold },
  };
  return model as unknown as ScoringModel;
}

/** A rule id not yet used in the model: `eng-pricing-page`, `eng-pricing-page-2`, ... */
export function newRuleId(model: ScoringModel, prefix: string, name: string): string {
  const used = new Set<string>(
    [
      ...model.fit,
      ...model.engagement,
      ...(model.fieldEngagement ?? []),
      ...model.negative,
      ...model.suppression.rules,
    ].map((r) => r.id),
  );
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'rule';
  const base = `${prefix}-${slug}`;
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

export type IssuePath = readonly (string | number)[];

function startsWith(path: IssuePath, prefix: IssuePath): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => path[i] === k);
}

/** Issues at `prefix` or anywhere below it. */
export function issuesUnder(issues: readonly ModelIssue[], prefix: IssuePath): ModelIssue[] {
  return issues.filter((i) => startsWith(i.path, prefix));
}

/** Issues exactly at `path`. */
export function issuesAt(issues: readonly ModelIssue[], path: IssuePath): ModelIssue[] {
  return issues.filter((i) => i.path.length === path.length && startsWith(i.path, path));
}

/**
 * The message without its locator ("fit rule 'CEO' (#1): points must be a number" reads
 * "points must be a number" next to the points box, which already says where it is).
 */
export function shortMessage(message: string): string {
  return message
    .replace(/^(fit|engagement|field engagement|negative|suppression) rule (?:'[^']*' )?\(#\d+\): /, '')
    .replace(/^segment #\d+: /, '');
}

/** Which editor tab a validation issue belongs to. */
export type EditorTab =
  'fit' | 'engagement' | 'negative' | 'suppression' | 'decay' | 'bands' | 'settings' | 'versions' | 'test';

export function issueTab(issue: ModelIssue): EditorTab {
  const head = issue.path[0];
  switch (head) {
    case 'fit':
    case 'engagement':
    case 'negative':
    case 'suppression':
    case 'decay':
      return head;
    case 'fieldEngagement':
      return 'engagement';
    case 'grades':
    case 'segments':
    case 'mql':
      return 'bands';
    default:
      return 'settings';
  }
}

/** Returns a copy of `list` with item `i` replaced by `fn(item)`. */
export function replaceAt<T>(list: readonly T[], i: number, fn: (item: T) => T): T[] {
  return list.map((x, j) => (j === i ? fn(x) : x));
}

/** Returns a copy of `list` with the item at `from` moved to `to`. */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return [...list];
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

export function removeAt<T>(list: readonly T[], i: number): T[] {
  return list.filter((_, j) => j !== i);
}
