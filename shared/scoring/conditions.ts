/**
 * Conditions on lead fields, compiled once per model into closures. A field is a standard
 * lead field, a derived one (email_domain, seniority, stage, tags) or `custom.<column>`
 * (an unmapped spreadsheet column). Derived values are computed at most once per lead.
 */
import { customValue } from '../custom-fields';
import { emailDomain, LEAD_FIELDS, type Lead } from '../domain';
import type { Condition, FieldCondition } from './model';
import { DERIVED_FIELDS } from './model';
import { OPERATORS, type FieldValue, type Predicate } from './operators';
import { SENIORITY_LABELS, titleSeniority, type Seniority } from './seniority';

/** A lead plus lazily computed derived values, shared by every rule scoring that lead. */
export type LeadContext = {
  readonly lead: Lead;
  /** The scoring instant (epoch ms) "in the last N days" counts back from; NaN: none, they never match. */
  readonly now: number;
  seniority?: Seniority;
  domain?: string | null;
};

export function leadContext(lead: Lead, now = Number.NaN): LeadContext {
  return { lead, now };
}

type Getter = (c: LeadContext) => FieldValue;

function blankToNull(v: unknown): FieldValue {
  if (v === null || v === undefined) return null;
  // Yes/no custom fields are stored as booleans; rules compare them as the file said them.
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const s = String(v);
  return s.trim() === '' ? null : s;
}

/** Reads one field of a lead as conditions see it. */
export function fieldGetter(field: string): Getter {
  if (field.startsWith('custom.')) {
    const column = field.slice('custom.'.length);
    return ({ lead }) => blankToNull(customValue(lead.custom, column));
  }
  switch (field) {
    case 'seniority':
      return (c) => (c.seniority ??= titleSeniority(c.lead.title));
    case 'email_domain':
      return (c) => {
        if (c.domain === undefined) c.domain = emailDomain(c.lead.email);
        return c.domain;
      };
    case 'stage':
      return ({ lead }) => blankToNull(lead.stage);
    case 'tags':
      return ({ lead }) => (lead.tags.length ? lead.tags.join(', ') : null);
    default: {
      const key = field as keyof Lead;
      return ({ lead }) => blankToNull(lead[key]);
    }
  }
}

export type CompiledCondition = (c: LeadContext) => boolean;

function isGroupAll(c: Condition): c is Readonly<{ all: readonly Condition[] }> {
  return 'all' in c;
}
function isGroupAny(c: Condition): c is Readonly<{ any: readonly Condition[] }> {
  return 'any' in c;
}

function compileLeaf(c: FieldCondition): CompiledCondition {
  const get = fieldGetter(c.field);
  if (c.field === 'tags' && (c.op === 'equals' || c.op === 'in')) {
    // "tags equals vip" means "has the tag vip", not "the whole tag list is exactly vip".
    const p: Predicate = OPERATORS[c.op].compile(c);
    return ({ lead, now }) => lead.tags.some((t) => p(t, now));
  }
  const p: Predicate = OPERATORS[c.op].compile(c);
  return (ctx) => p(get(ctx), ctx.now);
}

/** Compiles a condition (leaf or AND/OR group) into a predicate on a lead. */
export function compileCondition(c: Condition): CompiledCondition {
  if (isGroupAll(c)) {
    const parts = c.all.map(compileCondition);
    return (ctx) => parts.every((p) => p(ctx));
  }
  if (isGroupAny(c)) {
    const parts = c.any.map(compileCondition);
    return (ctx) => parts.some((p) => p(ctx));
  }
  return compileLeaf(c);
}

const FIELD_LABELS: ReadonlyMap<string, string> = new Map<string, string>([
  ...LEAD_FIELDS.map((f) => [f.key, f.label] as [string, string]),
  ...DERIVED_FIELDS.map((f) => [f.key, f.label] as [string, string]),
]);

/** A field's name in plain words ("Job title", "Industry", custom columns by their header). */
export function fieldLabel(field: string): string {
  if (field.startsWith('custom.')) return field.slice('custom.'.length);
  return FIELD_LABELS.get(field) ?? field;
}

/** The field and value that made a (matching) condition true, for the ledger's words. */
export type Evidence = Readonly<{ field: string; value: string | null }>;

function displayValue(field: string, v: FieldValue): string | null {
  if (v === null) return null;
  if (field === 'seniority') return SENIORITY_LABELS[v as Seniority] ?? String(v);
  return String(v);
}

/** Finds the first leaf that holds for the lead (call only after the condition matched). */
export function conditionEvidence(c: Condition, ctx: LeadContext): Evidence | null {
  if (isGroupAll(c) || isGroupAny(c)) {
    const items = isGroupAll(c) ? c.all : c.any;
    for (const item of items) {
      if (compileCondition(item)(ctx)) {
        const e = conditionEvidence(item, ctx);
        if (e) return e;
      }
    }
    return null;
  }
  const raw = fieldGetter(c.field)(ctx);
  const value = displayValue(c.field, raw);
  if (c.field === 'seniority' && ctx.lead.title)
    return { field: c.field, value: `${value} ('${ctx.lead.title.trim()}')` };
  return { field: c.field, value };
}
