/**
 * Condition operators as a typed registry: each names the operand it needs (so the model
 * validator and the editor know what to ask for) and compiles a condition into a plain
 * predicate once, so scoring a lead never re-parses a rule. Text comparisons are trimmed
 * and case-insensitive unless the condition asks for `caseSensitive`. Comparisons (>, ≥, <, ≤,
 * between) read numbers, "in the last N days" reads dates (epoch ms, as typed custom fields
 * store them) against the scoring instant, yes/no reads flags; a blank or a value of the
 * wrong type never matches them.
 */
import { parseFlag } from '../custom-fields';

/** A field value as conditions see it: text, a number, or null when blank. */
export type FieldValue = string | number | null;

/** What an operator needs besides the field: nothing, one value, a list, a range or a pattern. */
export type OperandKind = 'none' | 'value' | 'number' | 'days' | 'list' | 'range' | 'pattern';

/** The operand part of a condition (on a lead field or on an activity's asset). */
export type Operand = Readonly<{
  value?: string | number | undefined;
  values?: readonly (string | number)[] | undefined;
  min?: number | null | undefined;
  max?: number | null | undefined;
  caseSensitive?: boolean | undefined;
}>;

/** Tests a value; `now` (epoch ms, the scoring instant) is read only by time operators. */
export type Predicate = (v: FieldValue, now?: number) => boolean;

export const DAY_MS = 86_400_000;

export type OperatorSpec = Readonly<{
  /** Words for the editor and for explanations ("contains"). */
  label: string;
  /** A symbol that replaces the words in explanations ("≥"), for comparisons. */
  symbol?: string;
  operand: OperandKind;
  compile: (o: Operand) => Predicate;
}>;

function text(v: FieldValue, caseSensitive: boolean | undefined): string | null {
  if (v === null) return null;
  const s = String(v).trim();
  if (s === '') return null;
  return caseSensitive ? s : s.toLowerCase();
}

function operandText(v: string | number | undefined, caseSensitive: boolean | undefined): string {
  const s = String(v ?? '').trim();
  return caseSensitive ? s : s.toLowerCase();
}

/** Parses a number out of a field value ("1,200" and " 42 " count; "n/a" does not). */
export function toNumber(v: FieldValue): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const s = v.trim().replace(/[\s,]/g, '');
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** A date value as epoch ms: typed dates are numbers; ISO text ("2026-03-01") is read too. */
export function toTime(v: FieldValue): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const s = v.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
  const t = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
  return Number.isFinite(t) ? t : null;
}

/** A flag value: true/false for yes/no cells, null for blanks and anything else. */
export function toFlag(v: FieldValue): boolean | null {
  if (v === null) return null;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : null;
  return parseFlag(v);
}

/** A comparison of the value (as a number) with the operand's number. */
function comparison(test: (n: number, want: number) => boolean): (o: Operand) => Predicate {
  return (o) => {
    const want = toNumber(o.value ?? null);
    if (want === null) return () => false;
    return (v) => {
      const n = toNumber(v);
      return n !== null && test(n, want);
    };
  };
}

function equalsPredicate(o: Operand): Predicate {
  const want = operandText(o.value, o.caseSensitive);
  const wantNum = typeof o.value === 'number' ? o.value : null;
  return (v) => {
    if (wantNum !== null && typeof v === 'number') return v === wantNum;
    const t = text(v, o.caseSensitive);
    return t !== null && t === want;
  };
}

function inPredicate(o: Operand): Predicate {
  const set = new Set((o.values ?? []).map((x) => operandText(x, o.caseSensitive)));
  return (v) => {
    const t = text(v, o.caseSensitive);
    return t !== null && set.has(t);
  };
}

function containsPredicate(o: Operand): Predicate {
  const want = operandText(o.value, o.caseSensitive);
  return (v) => {
    const t = text(v, o.caseSensitive);
    return t !== null && t.includes(want);
  };
}

/** Compiles a user pattern: a regular expression, case-insensitive unless asked. */
export function compilePattern(pattern: string, caseSensitive?: boolean): RegExp {
  return new RegExp(pattern, caseSensitive ? 'u' : 'iu');
}

/** Every operator, by the name models use. */
export const OPERATORS = {
  equals: { label: 'equals', operand: 'value', compile: equalsPredicate },
  not_equals: {
    label: 'does not equal',
    operand: 'value',
    compile: (o) => {
      const eq = equalsPredicate(o);
      return (v) => !eq(v);
    },
  },
  in: { label: 'is one of', operand: 'list', compile: inPredicate },
  not_in: {
    label: 'is none of',
    operand: 'list',
    compile: (o) => {
      const p = inPredicate(o);
      return (v) => !p(v);
    },
  },
  contains: { label: 'contains', operand: 'value', compile: containsPredicate },
  not_contains: {
    label: 'does not contain',
    operand: 'value',
    compile: (o) => {
      const p = containsPredicate(o);
      return (v) => !p(v);
    },
  },
  contains_any: {
    label: 'contains any of',
    operand: 'list',
    compile: (o) => {
      const wants = (o.values ?? []).map((x) => operandText(x, o.caseSensitive));
      return (v) => {
        const t = text(v, o.caseSensitive);
        return t !== null && wants.some((w) => t.includes(w));
      };
    },
  },
  starts_with: {
    label: 'starts with',
    operand: 'value',
    compile: (o) => {
      const want = operandText(o.value, o.caseSensitive);
      return (v) => {
        const t = text(v, o.caseSensitive);
        return t !== null && t.startsWith(want);
      };
    },
  },
  ends_with: {
    label: 'ends with',
    operand: 'value',
    compile: (o) => {
      const want = operandText(o.value, o.caseSensitive);
      return (v) => {
        const t = text(v, o.caseSensitive);
        return t !== null && t.endsWith(want);
      };
    },
  },
  matches: {
    label: 'matches pattern',
    operand: 'pattern',
    compile: (o) => {
      const re = compilePattern(String(o.value ?? ''), o.caseSensitive);
      return (v) => {
        if (v === null) return false;
        const s = String(v).trim();
        return s !== '' && re.test(s);
      };
    },
  },
  between: {
    label: 'is between',
    operand: 'range',
    compile: (o) => {
      const min = o.min ?? -Infinity;
      const max = o.max ?? Infinity;
      return (v) => {
        const n = toNumber(v);
        return n !== null && n >= min && n <= max;
      };
    },
  },
  gt: { label: 'is more than', symbol: '>', operand: 'number', compile: comparison((n, w) => n > w) },
  gte: { label: 'is at least', symbol: '≥', operand: 'number', compile: comparison((n, w) => n >= w) },
  lt: { label: 'is less than', symbol: '<', operand: 'number', compile: comparison((n, w) => n < w) },
  lte: { label: 'is at most', symbol: '≤', operand: 'number', compile: comparison((n, w) => n <= w) },
  in_last_days: {
    label: 'is in the last',
    operand: 'days',
    compile: (o) => {
      const days = toNumber(o.value ?? null);
      if (days === null) return () => false;
      const span = days * DAY_MS;
      // From N days before the scoring instant up to it; a date in the future is not "in the last".
      return (v, now = Number.NaN) => {
        const t = toTime(v);
        return t !== null && t <= now && t >= now - span;
      };
    },
  },
  is_yes: { label: 'is yes', operand: 'none', compile: () => (v) => toFlag(v) === true },
  is_no: { label: 'is no', operand: 'none', compile: () => (v) => toFlag(v) === false },
  is_blank: { label: 'is blank', operand: 'none', compile: () => (v) => text(v, true) === null },
  is_not_blank: { label: 'is not blank', operand: 'none', compile: () => (v) => text(v, true) !== null },
} as const satisfies Record<string, OperatorSpec>;

export type OperatorName = keyof typeof OPERATORS;

/** Operator names in registry order (for the editor's drop-down and the validator). */
export const OPERATOR_NAMES = Object.keys(OPERATORS) as OperatorName[];

/** What a field holds, as far as conditions care (custom fields' types; standard fields are text or number). */
export type ConditionFieldType = 'text' | 'number' | 'date' | 'bool' | 'category';

/** The operators that make sense on each type of field, in the order the editor offers them. */
export const OPERATORS_FOR_TYPE: Readonly<Record<ConditionFieldType, readonly OperatorName[]>> = {
  number: ['gte', 'gt', 'lte', 'lt', 'between', 'equals', 'not_equals', 'is_blank', 'is_not_blank'],
  date: ['in_last_days', 'is_blank', 'is_not_blank'],
  bool: ['is_yes', 'is_no', 'is_blank', 'is_not_blank'],
  category: ['in', 'not_in', 'equals', 'not_equals', 'contains', 'is_blank', 'is_not_blank'],
  text: [
    'equals',
    'not_equals',
    'in',
    'not_in',
    'contains',
    'not_contains',
    'contains_any',
    'starts_with',
    'ends_with',
    'matches',
    'is_blank',
    'is_not_blank',
  ],
};

/** Checks an operand against its operator; returns a reason it is unusable, or null. */
export function operandProblem(op: OperatorName, o: Operand): string | null {
  const spec: OperatorSpec = OPERATORS[op];
  switch (spec.operand) {
    case 'none':
      return null;
    case 'value':
      if (o.value === undefined || String(o.value).trim() === '') return `operator '${op}' needs a value`;
      return null;
    case 'number':
      if (o.value === undefined || String(o.value).trim() === '') return `operator '${op}' needs a number`;
      if (toNumber(o.value) === null) return `operator '${op}' needs a number, not '${String(o.value)}'`;
      return null;
    case 'days': {
      const n = o.value === undefined ? null : toNumber(o.value);
      if (n === null || !Number.isInteger(n) || n < 1)
        return `operator '${op}' needs a whole number of days (1 or more)${o.value === undefined ? '' : `, not '${String(o.value)}'`}`;
      return null;
    }
    case 'list':
      if (!o.values || o.values.length === 0) return `operator '${op}' needs a non-empty list of values`;
      return null;
    case 'range':
      if ((o.min ?? null) === null && (o.max ?? null) === null) return `operator '${op}' needs a min or a max`;
      if (o.min != null && o.max != null && o.min > o.max) return `min (${o.min}) is greater than max (${o.max})`;
      return null;
    case 'pattern':
      if (o.value === undefined || String(o.value) === '') return `operator '${op}' needs a pattern`;
      try {
        compilePattern(String(o.value), o.caseSensitive);
        return null;
      } catch (err) {
        return `pattern '${String(o.value)}' is not a valid regular expression (${err instanceof Error ? err.message : String(err)})`;
      }
  }
}
